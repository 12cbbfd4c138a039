// The run: the seed's flow (seed.ts) or Prisma's (prisma.ts), with its status query, approval update and Web UI story. Deterministic.
import { isCancellation, log, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { DATABASE_ID_KEY, PHASE_KEY } from '../shared/constants';
import { ErrorType } from '../shared/errors';
import { problemsOf, problemText, RunInputSchema, type RunInput } from '../shared/input';
import { resolvePollPolicy } from '../shared/policy';
import type { RunResult, RunStatus } from '../shared/types';
import { cleanUpScratch } from './database';
import { currentDetails } from './details';
import { approveRestoreUpdate, statusQuery } from './messages';
import { fail } from './options';
import { prismaRun } from './prisma';
import { seedRun } from './seed';
import type { Run } from './steps';

export async function backupAndRestoreDatabase(input: RunInput): Promise<RunResult> {
  const problems = problemsOf(RunInputSchema, input);
  const info = workflowInfo();
  // Search attributes only when the client set them: a server without them registered refuses upserts.
  const publish = info.typedSearchAttributes.get(DATABASE_ID_KEY) !== undefined;
  const status: RunStatus = {
    phase: 'starting',
    profile: input?.profile,
    databaseId: input?.databaseId,
    runStartedAt: info.startTime.getTime(),
    // The database whose data it replaces, known from the start so `approve` can ask consent for it.
    ...(input?.restore !== false && !input?.newDatabase ? { targetDatabaseId: input?.targetDatabaseId ?? input?.databaseId } : {}),
    ...(input?.drill ? { drill: true as const } : {}),
  };
  const run: Run = {
    input,
    policy: resolvePollPolicy(problems.length === 0 ? input.poll : {}),
    status,
    scratch: new Map(),
    looks: 0,
    setPhase(phase) {
      status.phase = phase;
      if (phase === 'completed' || phase === 'failed' || phase === 'cancelled') status.endedAt = Date.now();
      if (publish) upsertSearchAttributes([{ key: PHASE_KEY, value: phase }]);
      run.show();
    },
    show() {
      // The details are for people: one they cannot render must never fail the workflow task.
      try {
        setCurrentDetails(currentDetails(status));
      } catch (err) {
        log.warn('Could not render the current details', { error: String(err) });
      }
    },
  };
  setHandler(statusQuery, () => status);
  const validator = ({ backupId }: { backupId: string }) => {
    if (status.phase !== 'awaiting-approval')
      throw new Error(`This run is not waiting for approval (it is ${status.phase}); nothing was approved.`);
    if (backupId !== status.backupId)
      throw new Error(`This run would restore backup ${status.backupId}, not ${backupId}; nothing was approved.`);
  };
  setHandler(approveRestoreUpdate, (approval) => (run.approval = approval), { validator });
  try {
    if (problems.length > 0) fail(ErrorType.InvalidInput, `The input was refused; nothing was sent. ${problemText(problems)}`);
    return await (input.profile === 'prisma' ? prismaRun(run) : seedRun(run));
  } catch (err) {
    const ending = await cleanUpScratch(run, err);
    run.setPhase(isCancellation(ending) ? 'cancelled' : 'failed');
    throw ending;
  }
}
