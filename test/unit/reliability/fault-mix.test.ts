import { strict as assert } from 'assert';
import { FaultBook } from '../../../simulator';
import { faultMix, faultsSeen, ratePerFault, RESTORE_OPERATION, RUN_OPERATIONS } from '../../../reliability/fault-mix';
import { seededRandom } from '../../../reliability/random';

describe('reliability fault mix', () => {
  it('solves the per-fault rate so that the whole mix faults the asked share of requests', () => {
    const rate = ratePerFault(0.25, 8);
    assert.ok(Math.abs(1 - (1 - rate) ** 8 - 0.25) < 1e-12);
    assert.equal(ratePerFault(0, 3), 0);
    assert.throws(() => ratePerFault(1, 3), RangeError);
    assert.throws(() => ratePerFault(0.2, 0), RangeError);
  });

  it('has every kind in the full mix and only retryable ones in the load mix; the delay outlasts the request timeout', () => {
    const all = faultMix('all', 0.25, 2_000, 'seed').filter((f) => f.rate !== undefined);
    const labels = all.map((f) => (f.kind === 'status' ? `${f.status}` : f.kind));
    assert.deepEqual(labels, ['429', '500', '503', 'reset-before', 'reset-after', 'delay', 'malformed-json', 'invalid-body']);
    const retryable = faultMix('retryable', 0.15, 2_000, 'seed').map((f) => f.kind);
    assert.ok(!retryable.includes('malformed-json') && !retryable.includes('invalid-body'));
    const delay = all.find((f) => f.kind === 'delay');
    assert.ok(delay?.kind === 'delay' && delay.ms > 2_000);
    for (const f of all.filter((f) => f.kind === 'status' && f.status !== 500)) assert.equal(f.kind === 'status' && f.retryAfterSeconds, 1);
  });

  it('first puts each kind once on each operation a run calls in the profile, so even a small run sees every kind everywhere', () => {
    for (const profile of ['seed', 'prisma'] as const) {
      const book = new FaultBook(seededRandom(1));
      for (const fault of faultMix('all', 0, 2_000, profile)) book.add(fault);
      for (const operation of RUN_OPERATIONS[profile]) {
        const kinds = Array.from({ length: 8 }, () => book.take(operation)?.kind);
        assert.deepEqual(new Set(kinds), new Set(['status', 'reset-before', 'reset-after', 'delay', 'malformed-json', 'invalid-body']));
        assert.equal(book.take(operation), undefined, 'then only the rate, here 0');
      }
    }
    assert.ok(RUN_OPERATIONS.prisma.includes(RESTORE_OPERATION.prisma) && RUN_OPERATIONS.seed.includes(RESTORE_OPERATION.seed));
  });

  it("makes the simulator's FaultBook fault about the asked share of requests", () => {
    const book = new FaultBook(seededRandom(42));
    for (const fault of faultMix('all', 0.25, 2_000, 'seed').filter((f) => f.rate !== undefined)) book.add(fault);
    let faulted = 0;
    const requests = 20_000;
    for (let i = 0; i < requests; i++) if (book.take('listDatabaseBackups')) faulted++;
    assert.ok(Math.abs(faulted / requests - 0.25) < 0.02, `faulted ${faulted} of ${requests}`);
  });

  it('counts recorded faults by kind, status faults by status', () => {
    const seen = faultsSeen([
      { fault: 'status', status: 429 },
      { fault: 'status', status: 429 },
      { fault: 'status', status: 503 },
      { fault: 'reset-after' },
      {},
    ]);
    assert.deepEqual(seen, { 'HTTP 429': 2, 'HTTP 503': 1, 'reset-after': 1 });
  });
});
