import { strict as assert } from 'assert';
import { AnswerDropper } from '../../../reliability/answer-dropper';
import { startSimulator, type PrismaSimulator } from '../../../simulator';

const TOKEN = 'tok_answer_dropper_test';

describe('reliability answer dropper', () => {
  let sim: PrismaSimulator;
  let dropper: AnswerDropper;
  beforeEach(async () => {
    sim = await startSimulator({ token: TOKEN, profile: 'prisma', databases: ['db_a', 'db_b'], recoveryMs: 100 });
    dropper = await AnswerDropper.start(sim.url);
  });
  afterEach(async () => {
    await dropper.close();
    await sim.close();
  });

  const restore = (db: string) =>
    fetch(`${dropper.url}/databases/${db}/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { type: 'backup', databaseId: db, backupId: sim.addBackup(db).id } }),
    });

  it('passes requests through on 127.0.0.1, and drops the answer to the armed POST once the held request was applied', async () => {
    assert.match(dropper.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'delay', ms: 300 });
    dropper.arm('/v1/databases/db_a/restore');
    const began = Date.now();
    await assert.rejects(restore('db_a'));
    assert.ok(Date.now() - began >= 300, 'the answer was dropped after the hold, not before');
    assert.deepEqual(
      sim.effects.restoresApplied.map((r) => r.databaseId),
      ['db_a'],
    );
    assert.deepEqual(dropper.dropped, ['/v1/databases/db_a/restore']);
    // Armed once: the next request, and any other, is answered.
    const answered = await restore('db_b');
    assert.equal(answered.status, 200);
    const read = await fetch(`${dropper.url}/databases/db_a`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(read.status, 200);
    assert.equal(dropper.dropped.length, 1);
  });

  it('sends on a request whose client gave up after sending it, as a real API would still get it', async () => {
    sim.faults.add({ operation: 'postV1DatabasesByTargetDatabaseIdRestore', kind: 'delay', ms: 300 });
    const gaveUp = new AbortController();
    const sent = fetch(`${dropper.url}/databases/db_a/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { type: 'backup', databaseId: 'db_a', backupId: sim.addBackup('db_a').id } }),
      signal: gaveUp.signal,
    });
    setTimeout(() => gaveUp.abort(), 100);
    await assert.rejects(sent);
    const end = Date.now() + 2_000;
    while (sim.effects.restoresApplied.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.effects.restoresApplied.length, 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(dropper.counts, { received: 1, clientGoneFirst: 1 });
  });
});
