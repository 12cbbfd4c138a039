import { strict as assert } from 'assert';
import { requestTimeline, runsWorthKeeping } from '../../../reliability/evidence';
import type { TrackedRun } from '../../../reliability/lane';

describe('reliability evidence', () => {
  it("lists one database's requests with time, answer, fault and replay", () => {
    const requests = [
      { method: 'POST', path: '/v1/databases/db_1/backups', status: undefined, fault: 'reset-after', time: 1_100 },
      { method: 'POST', path: '/v1/databases/db_2/backups', status: 202, time: 1_200 },
      { method: 'POST', path: '/v1/databases/db_1/backups', status: 202, replayed: true, time: 2_250 },
      { method: 'GET', path: '/v1/databases/db_1/backups', status: 200, time: 3_000 },
      { method: 'POST', path: '/v1/databases/db_1/backups/bkp_1/restore', status: 503, fault: 'status', time: 4_000 },
      { method: 'GET', path: '/v1/databases/db_10/backups', status: 200, time: 4_100 },
    ];
    assert.deepEqual(requestTimeline(requests, 'db_1', 1_000), [
      '+0.10 s POST backups no answer (fault reset-after)',
      '+1.25 s POST backups 202 (replayed)',
      '+2.00 s GET backups 200',
      '+3.00 s POST restore 503 (fault status)',
    ]);
  });

  it("lists a prisma database's reads of itself, and not another database's whose id it begins", () => {
    const requests = [
      { method: 'GET', path: '/v1/databases/db_crash1/backups', status: 200, time: 1_000 },
      { method: 'GET', path: '/v1/databases/db_crash1', status: 200, time: 1_100 },
      { method: 'GET', path: '/v1/databases/db_crash10', status: 200, time: 1_150 },
      { method: 'POST', path: '/v1/databases/db_crash1/restore', status: undefined, fault: 'reset-after', time: 1_200 },
      { method: 'GET', path: '/v1/databases/db_crash1', status: 200, time: 1_500 },
    ];
    assert.deepEqual(requestTimeline(requests, 'db_crash1', 1_000), [
      '+0.00 s GET backups 200',
      '+0.10 s GET database 200',
      '+0.20 s POST restore no answer (fault reset-after)',
      '+0.50 s GET database 200',
    ]);
  });

  it('keeps every run that did not complete and the slowest ones', () => {
    const run = (id: string, ms: number | undefined, kind: 'completed' | 'lost' = 'completed') =>
      ({ workflowId: id, startedAt: 0, endedAt: ms, outcome: { kind } }) as unknown as TrackedRun;
    const runs = [run('fast', 1), run('slow', 9), run('lost', undefined, 'lost'), run('mid', 5), run('slower', 10)];
    assert.deepEqual(
      runsWorthKeeping(runs, 2).map((r) => r.workflowId),
      ['lost', 'slower', 'slow'],
    );
  });
});
