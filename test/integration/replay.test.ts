// Determinism guard: histories recorded by an earlier version must replay on the current code.
import { strict as assert } from 'assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { WorkerMetrics } from '../../src/temporal/metrics';
import { workflowBundle } from '../support/harness';

// completed and backup-failed predate the Web UI story, approval and restore-from-backup; the others have them.
// continued-legacy is a continuation started by the code that carried its state in input.resume;
// continued one that carries it as its second argument; poll-failing ends with PollFailing.
// restore-resent sends the seed's restore again from the workflow (restore-at-most-once patch);
// prisma-restored is the prisma profile: a running backup waited for, a restore whose answer was
// lost (read back as applied), then the wait until the database is ready. seed-verified,
// prisma-verified and prisma-drill verify on real data: the seed's inventories around the backup;
// a reference database created, awaited, read and deleted; a drill's scratch database deleted.
// predicted waits for the end its first look predicted from earlier backups (predictive-polling patch);
// prisma-predicted-ready waits until ready around the end earlier runs predict (predictive-ready-wait patch).
const HISTORIES = [
  'completed',
  'backup-failed',
  'approved',
  'restore-existing',
  'continued-legacy',
  'continued',
  'poll-failing',
  'restore-resent',
  'prisma-restored',
  'seed-verified',
  'prisma-verified',
  'prisma-drill',
  'predicted',
  'prisma-predicted-ready',
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
