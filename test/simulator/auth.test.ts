import { strict as assert } from 'assert';
import type { Simulator } from '../../simulator';
import { seedApi } from '../support/openapi';
import { createBackup, listBackups, restoreBackup, startTestSimulator, TOKEN } from './client';

describe('simulator bearer auth', () => {
  let sim: Simulator;
  const logLines: string[] = [];
  beforeEach(async () => {
    logLines.length = 0;
    sim = await startTestSimulator({ log: (line) => logLines.push(line) });
  });
  afterEach(() => sim.close());

  it('answers 401 with the envelope and a Bearer challenge when the header is missing', async () => {
    const res = await listBackups(sim, 'db_demo', { token: null });
    assert.equal(res.status, 401);
    assert.deepEqual(seedApi.validateResponse('listDatabaseBackups', 401, res.json), []);
    assert.equal(res.json.error.code, 'UNAUTHORIZED');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  });

  it('answers 401 to a wrong token without echoing it anywhere', async () => {
    const presented = 'wrong-token-ZQ81x';
    const answers = [
      await createBackup(sim, 'db_demo', { token: presented }),
      await listBackups(sim, 'db_demo', { token: presented }),
      await restoreBackup(sim, 'bkp_1', 'db_demo', { token: presented }),
    ];
    for (const res of answers) {
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, 'UNAUTHORIZED');
      assert.ok(!res.text.includes(presented), res.text);
      assert.ok(![...res.headers.values()].some((v) => v.includes(presented)));
    }
    assert.ok(!logLines.join('\n').includes(presented));
    assert.ok(!logLines.join('\n').includes(TOKEN));
    assert.equal(sim.effects.backupsCreated.length, 0);
  });

  it('rejects a token that only shares a prefix with the right one', async () => {
    const res = await listBackups(sim, 'db_demo', { token: TOKEN.slice(0, -1) });
    assert.equal(res.status, 401);
    const longer = await listBackups(sim, 'db_demo', { token: `${TOKEN}x` });
    assert.equal(longer.status, 401);
  });

  it('answers 401 to another scheme carrying the right token', async () => {
    const res = await listBackups(sim, 'db_demo', { token: null, headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(res.status, 401);
    assert.ok(!res.text.includes(TOKEN));
  });

  it('accepts the scheme name in any case', async () => {
    const res = await listBackups(sim, 'db_demo', { token: null, headers: { authorization: `bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
  });
});
