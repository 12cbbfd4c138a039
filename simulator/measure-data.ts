// Prints what real data costs in the simulator (data: 'postgres'): the first and later empty
// databases, a snapshot of 10,000 rows (time, compressed size), a restore of it, and RSS per live
// database. A measurement to read, not a test: `npx ts-node simulator/measure-data.ts`.
import { startSimulator, type PrismaSimulator } from './index';

const ROWS = 10_000;
const TOKEN = 'measure-token';
const MiB = 1_048_576;

async function main(): Promise<void> {
  const rss = () => process.memoryUsage().rss / MiB;
  const baseline = rss();
  let started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(2);

  // The first database runs initdb once for the process; later empty ones load that template.
  const sim = await startSimulator({
    token: TOKEN,
    profile: 'prisma',
    data: 'postgres',
    recoveryMs: 0,
    provisioningMs: 0,
    maxLiveDatabases: 4,
  });
  console.log(`first database (initdb, then load): ${elapsed()} s, RSS ${rss().toFixed(0)} MiB (before: ${baseline.toFixed(0)} MiB)`);
  try {
    started = performance.now();
    sim.addDatabase('db_second');
    await sim.settled();
    console.log(`another empty database: ${elapsed()} s`);

    await sim.sql('db_demo', 'CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, added timestamptz NOT NULL)');
    started = performance.now();
    await sim.sql(
      'db_demo',
      "INSERT INTO items SELECT g, 'item ' || g || ' ' || md5(g::text), g % 97, now() FROM generate_series(1, $1::int) g",
      [ROWS],
    );
    console.log(`${ROWS} rows written over the socket: ${elapsed()} s`);

    started = performance.now();
    const backup = sim.addBackup('db_demo');
    await sim.settled();
    const snapshotSeconds = elapsed();
    const size = (await api<{ data: { size: number }[] }>(sim, 'GET', '/databases/db_demo/backups')).data[0].size;
    console.log(`snapshot of ${ROWS} rows (gzipped dump of the data directory): ${snapshotSeconds} s, ${(size / MiB).toFixed(1)} MiB`);

    await sim.sql('db_demo', 'DELETE FROM items');
    started = performance.now();
    await api(sim, 'POST', '/databases/db_demo/restore', { source: { type: 'backup', databaseId: 'db_demo', backupId: backup.id } });
    while ((await api(sim, 'GET', '/databases/db_demo')).data.status !== 'ready') await new Promise((r) => setTimeout(r, 10));
    const restoreSeconds = elapsed();
    const [{ count }] = await sim.sql<{ count: string }>('db_demo', 'SELECT count(*) FROM items');
    console.log(`restore (reload of the snapshot) until ready: ${restoreSeconds} s, ${count} rows back`);

    // Two more databases created from the backup: each holds the 10,000 rows.
    const before = rss();
    for (let i = 0; i < 2; i++) {
      const source = { type: 'backup', databaseId: 'db_demo', backupId: backup.id };
      const { data } = await api(sim, 'POST', '/databases', { projectId: 'proj_demo', source });
      while ((await api(sim, 'GET', `/databases/${data.id}`)).data.status !== 'ready') await new Promise((r) => setTimeout(r, 10));
    }
    console.log(`RSS with 4 live databases: ${rss().toFixed(0)} MiB; ${((rss() - before) / 2).toFixed(0)} MiB more per database`);
  } finally {
    await sim.close();
  }
}

/** One call with the token; `T` is the part of the answer the measurement reads. */
async function api<T = { data: { id: string; status: string } }>(
  sim: PrismaSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
