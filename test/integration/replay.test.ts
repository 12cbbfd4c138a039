// Determinism guard: histories recorded by an earlier version must replay on the current code.
import { strict as assert } from 'assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { WorkerMetrics } from '../../src/temporal/metrics';
import { workflowBundle } from '../support/harness';

// Histories recorded by this version (test/fixtures/record-histories.ts says how each was made): the
// seed's flow, a failed backup, an approval, a restore of an existing backup, looks failing until
// PollFailing, a seed restore sent again, a prediction learnt at the first look; prisma with a running
// backup and a lost answer read back, a request sent again after the hold window, verification on
// real data (seed and prisma), a drill, a ready wait predicted from earlier runs; and a fleet drill.
const HISTORIES = [
  'completed',
  'backup-failed',
  'approved',
  'restore-existing',
  'poll-failing',
  'restore-resent',
  'predicted',
  'prisma-restored',
  'prisma-resent',
  'seed-verified',
  'prisma-verified',
  'prisma-drill',
  'prisma-predicted-ready',
  'fleet-drill',
];
const load = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../fixtures/histories', `${name}.json`), 'utf8'));

describe('replay of recorded histories', function () {
  this.timeout(60_000);
  // The metrics sink is registered as on a real worker; it is never called during replay.
  const sinks = new WorkerMetrics().sinks();

  for (const name of HISTORIES) {
    it(`replays the "${name}" history without a determinism violation`, async () => {
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks }, load(name), `recorded-${name}`);
    });
  }

  it('would catch a changed command sequence', async () => {
    const history = load('completed');
    const scheduled = history.events.find(
      (e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes,
    );
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'restoreBackup';
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle(), sinks }, history, 'recorded-completed'),
      DeterminismViolationError,
    );
  });
});
