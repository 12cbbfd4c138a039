// The admin routes (/_simulator/…) of both profiles: back up now, finish an unfinished backup; only
// for loopback callers with the API's token, never recorded as API requests.
import { strict as assert } from 'assert';
import type { PrismaSimulator, Simulator } from '../../simulator';
import { answerAdmin, isLoopback, type AdminActions } from '../../simulator/admin';
import { seedApi } from '../support/openapi';
import { call, listBackups, prismaApi, startPrismaSimulator, startTestSimulator, TOKEN, type CallOptions } from './client';

/** `path` under /_simulator; POST unless told. */
const admin = (sim: { url: string }, path: string, options: CallOptions & { method?: string } = {}) =>
  call({ url: `${new URL(sim.url).origin}/_simulator` }, options.method ?? 'POST', path, options);

describe('admin routes: who may call them', () => {
  it('counts 127.0.0.0/8 and ::1 as loopback, IPv4-mapped too, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2'])
      assert.ok(isLoopback(address), address);
    for (const address of [
      undefined,
      '',
      '192.0.2.7',
      '::ffff:192.0.2.7',
      '10.0.0.1',
      'fd00::2',
      '::',
      '0.0.0.0',
      '127.0.0.1.example',
      'localhost',
    ]) {
      assert.ok(!isLoopback(address), String(address));
    }
  });

  it('refuses a caller from another machine with 403 before reading the token, and does nothing', async () => {
    const called: string[] = [];
    const actions: AdminActions = {
      unfinished: 'running',
      backupNow: async (id) => (called.push(id), { status: 201, body: {} }),
      finishBackup: async (id) => (called.push(id), { status: 200, body: {} }),
    };
    const request = { method: 'POST', path: '/_simulator/databases/db_demo/backups', authorization: `Bearer ${TOKEN}`, raw: '' };
    const refused = await answerAdmin(actions, TOKEN, { ...request, remoteAddress: '192.0.2.7' });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, {
      error: {
        code: 'LOOPBACK_ONLY',
        message: "The simulator's admin routes (/_simulator/…) answer callers on this machine (loopback) only",
      },
    });
    assert.equal((await answerAdmin(actions, TOKEN, { ...request, remoteAddress: undefined })).status, 403);
    assert.deepEqual(called, []);
    assert.equal((await answerAdmin(actions, TOKEN, { ...request, remoteAddress: '::ffff:127.0.0.1' })).status, 201);
    assert.deepEqual(called, ['db_demo']);
  });
});

describe('admin routes, prisma profile', () => {
  let sim: PrismaSimulator;
  const lines: string[] = [];
  beforeEach(async () => {
    lines.length = 0;
    sim = await startPrismaSimulator({ adminRoutes: true, log: (line) => lines.push(line) });
  });
  afterEach(() => sim.close());

  it('takes a completed automatic backup now, answered as the list shows it; not an API request', async () => {
    const res = await admin(sim, '/databases/db_demo/backups');
    assert.equal(res.status, 201);
    const listed = await prismaApi.listBackups(sim, 'db_demo');
    assert.deepEqual(listed.json.data, [res.json]);
    assert.equal(res.json.status, 'completed');
    assert.equal(typeof res.json.size, 'number');
    assert.deepEqual(
      sim.requests.map((r) => r.path),
      ['/v1/databases/db_demo/backups'],
      'only the API request is recorded',
    );
    assert.equal(sim.stats.requestsReceived, 1);
    assert.deepEqual(lines, ['POST /_simulator/databases/db_demo/backups -> 201', 'GET /v1/databases/db_demo/backups -> 200']);
  });

  it('takes a running backup and finishes it completed or failed; a finished one answers 409', async () => {
    const running = await admin(sim, '/databases/db_demo/backups', { body: { status: 'running' } });
    assert.equal(running.status, 201);
    assert.equal(running.json.status, 'running');
    assert.equal(running.json.size, undefined);
    const done = await admin(sim, `/backups/${running.json.id}/finish`, { body: { status: 'completed' } });
    assert.equal(done.status, 200);
    assert.equal(done.json.status, 'completed');
    assert.deepEqual((await prismaApi.listBackups(sim, 'db_demo')).json.data, [done.json]);
    const again = await admin(sim, `/backups/${running.json.id}/finish`, { body: { status: 'failed' } });
    assert.equal(again.status, 409);
    assert.deepEqual(again.json.error, {
      code: 'BACKUP_NOT_RUNNING',
      message: `Backup ${running.json.id} is completed; only a running backup can finish`,
    });
    const other = (await admin(sim, '/databases/db_demo/backups', { body: { status: 'running' } })).json;
    assert.equal((await admin(sim, `/backups/${other.id}/finish`, { body: { status: 'failed' } })).json.status, 'failed');
  });

  it('answers 4xx with a code and a message to what it cannot do', async () => {
    const cases: [string, CallOptions & { method?: string }, number, string, RegExp][] = [
      ['/databases/db_gone/backups', {}, 404, 'DATABASE_NOT_FOUND', /Database db_gone not found/],
      ['/backups/cnope/finish', { body: { status: 'completed' } }, 404, 'BACKUP_NOT_FOUND', /Backup cnope not found/],
      [
        '/databases/db_demo/backups',
        { body: { status: 'pending' } },
        400,
        'VALIDATION_ERROR',
        /status must be "completed" \(the default\) or "running"/,
      ],
      ['/backups/cnope/finish', {}, 400, 'VALIDATION_ERROR', /status must be "completed" or "failed", got undefined/],
      ['/backups/cnope/finish', { body: '{"status"' }, 400, 'VALIDATION_ERROR', /not valid JSON/],
      ['/backups/cnope/finish', { body: '[1]' }, 400, 'VALIDATION_ERROR', /must be a JSON object/],
      ['/databases/db_demo/backups', { method: 'GET' }, 405, 'METHOD_NOT_ALLOWED', /use POST/],
      ['/restore', {}, 404, 'NOT_FOUND', /No admin route at \/_simulator\/restore; there are: POST \/_simulator\/databases/],
      ['/databases/db_demo/backups', { token: 'wrong' }, 401, 'UNAUTHORIZED', /bearer token is not valid/],
      ['/databases/db_demo/backups', { token: null }, 401, 'UNAUTHORIZED', /Missing Authorization header/],
    ];
    for (const [path, options, status, code, message] of cases) {
      const res = await admin(sim, path, options);
      assert.equal(res.status, status, `${path} ${JSON.stringify(options)}: ${res.text}`);
      assert.equal(res.json.error.code, code);
      assert.match(res.json.error.message, message);
    }
    assert.deepEqual((await prismaApi.listBackups(sim, 'db_demo')).json.data, [], 'nothing was taken');
  });

  it('is not served unless asked for: the API answers 404 as for any unknown path', async () => {
    const plain = await startPrismaSimulator();
    try {
      const res = await admin(plain, '/databases/db_demo/backups');
      assert.equal(res.status, 404);
      assert.equal(res.json.error.code, 'NOT_FOUND');
      assert.deepEqual((await prismaApi.listBackups(plain, 'db_demo')).json.data, []);
    } finally {
      await plain.close();
    }
  });

  it('backs up the rows now with data postgres, so a restore brings them back', async () => {
    const rows = await startPrismaSimulator({ adminRoutes: true, data: 'postgres', recoveryMs: 0 });
    try {
      await rows.sql('db_demo', 'CREATE TABLE notes (body text)');
      await rows.sql('db_demo', "INSERT INTO notes VALUES ('mine')");
      const backup = await admin(rows, '/databases/db_demo/backups');
      assert.equal(backup.status, 201);
      assert.ok(backup.json.size > 0, 'the answer waits for the snapshot, so it shows its size');
      await rows.sql('db_demo', "UPDATE notes SET body = 'changed'");
      assert.equal((await prismaApi.restore(rows, 'db_demo', { databaseId: 'db_demo', backupId: backup.json.id })).status, 200);
      await rows.settled();
      assert.deepEqual(await rows.sql('db_demo', 'SELECT body FROM notes'), [{ body: 'mine' }]);
    } finally {
      await rows.close();
    }
  });
});

describe('admin routes, seed profile', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startTestSimulator({ adminRoutes: true });
  });
  afterEach(() => sim.close());

  it('takes a completed automatic backup now, answered as the list shows it', async () => {
    const res = await admin(sim, '/databases/db_demo/backups');
    assert.equal(res.status, 201);
    assert.deepEqual(seedApi.validateComponent('DatabaseBackup', res.json), []);
    assert.deepEqual([res.json.type, res.json.status], ['automatic', 'completed']);
    assert.deepEqual((await listBackups(sim)).json.data, [res.json]);
    assert.deepEqual(sim.effects.backupsCreated, [], 'an automatic backup is not an effect of the API');
  });

  it('takes a pending backup and finishes it completed or failed; a finished one answers 409', async () => {
    const pending = await admin(sim, '/databases/db_demo/backups', { body: { status: 'pending' } });
    assert.equal(pending.json.status, 'pending');
    const done = await admin(sim, `/backups/${pending.json.id}/finish`, { body: { status: 'completed' } });
    assert.equal(done.status, 200);
    assert.deepEqual([done.json.status, typeof done.json.completedAt], ['completed', 'string']);
    assert.deepEqual((await listBackups(sim)).json.data, [done.json]);
    const refused = await admin(sim, `/backups/${pending.json.id}/finish`, { body: { status: 'failed' } });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'BACKUP_FINISHED');
    assert.match(refused.json.error.message, /is completed; only a pending or in-progress backup can finish/);

    const other = (await admin(sim, '/databases/db_demo/backups', { body: { status: 'pending' } })).json;
    assert.equal((await admin(sim, `/backups/${other.id}/finish`, { body: { status: 'failed' } })).json.status, 'failed');
    const manual = (await call(sim, 'POST', '/databases/db_demo/backups')).json;
    assert.equal((await admin(sim, `/backups/${manual.id}/finish`, { body: { status: 'completed' } })).json.status, 'completed');
    assert.equal((await admin(sim, '/databases/db_demo/backups', { body: { status: 'running' } })).status, 400);
  });

  it('refuses a wrong token and an unknown database', async () => {
    assert.equal((await admin(sim, '/databases/db_demo/backups', { token: 'nope' })).status, 401);
    const unknown = await admin(sim, '/databases/db_gone/backups');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'DATABASE_NOT_FOUND');
    assert.deepEqual((await listBackups(sim)).json.data, []);
  });
});
