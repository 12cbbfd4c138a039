// The reliability run in fast mode (`npm run test:all`, CI): a few SIGKILLs of a real worker process, one
// restart of a Temporal dev server of its own, a few dozen runs under injected faults, and restore
// requests held by the API (answered after the hold, given up on, the worker SIGKILLed during it,
// the answer dropped), in the prisma profile against a simulator that ignores Idempotency-Key; the
// killed runs' databases hold real rows, read back after each run. The full mode (npm run
// test:reliability) is the same code, bigger, in both profiles. Figures are printed; what is asserted
// is the invariants (reliability/report.ts findViolations), not timings.
import { modeFrom } from '../../reliability/modes';
import { checkReliability } from './check';

describe('reliability, fast mode (kills, a server restart, faults, load, held requests, token search)', function () {
  // Kills with a request in flight cost the run the 10 s heartbeat timeout, a held request up to 60 s,
  // and the machine may be busy.
  this.timeout(300_000);

  it('loses no run, duplicates nothing, never reports a restore not applied, never restores an unfinished or other backup, never leaks the token', () =>
    checkReliability(modeFrom(process.env.RELIABILITY_MODE, 'fast', process.env.RELIABILITY_PROFILES, process.env.RELIABILITY_LANES)));
});
