// `run`, `backup` and `restore`: check the input, confirm a restore, start the run, follow it.
import { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { BackupAndRestoreInput } from '../../shared/workflow-types';
import { assertValidInput, defaultWorkflowId, InvalidInputError, startBackupRun } from '../../runs/start-run';
import { webUiBase, workflowUrl } from '../../runs/web-ui';
import { backupInWords, confirmReplacement, needlessConsent, replacedDatabase, YES_REFUSED } from '../confirm';
import { CliError, commandLine, EXIT, type CliContext } from '../context';
import { followToEnd } from '../follow';
import { inFlagTerms, inputFromRunOptions, withRunOptions, workflowIdProblem, type RunKind, type RunOptions } from '../run-options';
import { temporalErrorToCli } from '../temporal-errors';

const DESCRIPTIONS: Record<RunKind, string> = {
  run: 'Seed profile: back up a database, wait until the backup is completed, then restore the database from it (the seed workflow). Needs --confirm <database id>.',
  backup: 'Seed profile: back up a database and wait until the backup is completed; nothing is restored.',
  restore:
    'Restore a database from one of its existing backups (waits if it is not completed yet): in the prisma profile the newest completed ' +
    'backup by default, into any database or a new one. Replacing an existing database needs --confirm <target database id>.',
};

export function startCommand(ctx: CliContext, kind: RunKind): Command {
  const command = withRunOptions(new Command(kind).description(DESCRIPTIONS[kind]), kind);
  return command.action(async (options: RunOptions) => {
    const prepared = await prepareRun(ctx, kind, options);
    ctx.exitCode = await startAndFollow(ctx, prepared, options);
  });
}

export interface PreparedRun {
  input: BackupAndRestoreInput;
  workflowId: string;
}

/** Checks the options and confirms a restore; throws a CliError, before anything starts, when either fails. */
export async function prepareRun(ctx: CliContext, kind: RunKind, options: RunOptions): Promise<PreparedRun> {
  if (options.yes) throw new CliError(`Nothing was started: ${YES_REFUSED}`, EXIT.usage);
  const profile = ctx.apiProfile();
  const prepared = checkedRun(() => inputFromRunOptions(kind, options, profile), inFlagTerms, options.workflowId);
  await confirmRun(ctx, kind, prepared.input, options.confirm);
  return prepared;
}

/**
 * The input `build` makes, checked, and the workflow id to start it under; a CliError (usage), in
 * the command's flag terms, before anything starts when either is wrong.
 */
export function checkedRun(
  build: () => BackupAndRestoreInput,
  inTerms: (message: string) => string,
  workflowId: string | undefined,
  idKind?: 'drill',
): PreparedRun {
  let input: BackupAndRestoreInput;
  try {
    input = build();
    assertValidInput(input);
  } catch (err) {
    const message = err instanceof InvalidInputError ? err.message : `Nothing was started: ${(err as Error).message}`;
    throw new CliError(inTerms(message), EXIT.usage);
  }
  const idProblem = workflowId === undefined ? undefined : workflowIdProblem('--workflow-id', workflowId);
  if (idProblem) throw new CliError(`Nothing was started: ${idProblem}`, EXIT.usage);
  return { input, workflowId: workflowId ?? defaultWorkflowId(input.databaseId, new Date(), idKind) };
}

/** A run that replaces an existing database's data starts only with its exact id as consent; other runs take none. */
async function confirmRun(ctx: CliContext, kind: RunKind, input: BackupAndRestoreInput, confirm: string | undefined): Promise<void> {
  const target = replacedDatabase(input);
  if (target === undefined) {
    if (confirm === undefined) return;
    const what = input.newDatabase ? `a restore into a new database (--new-database-in)` : `\`${kind}\``;
    throw new CliError(`Nothing was started: ${needlessConsent(what)}`, EXIT.usage);
  }
  const example = [
    kind,
    '--database-id',
    input.databaseId,
    ...(input.backupId ? ['--backup-id', input.backupId] : []),
    ...(input.waitForNewerBackup ? ['--newer-backup'] : []),
    ...(target !== input.databaseId ? ['--target-database', target] : []),
    '--confirm',
    target,
  ].join(' ');
  const alternative =
    input.profile === 'prisma'
      ? 'To restore into a new database instead, replacing nothing, use --new-database-in <project id>.'
      : input.backupId
        ? undefined
        : 'To back up without restoring, use `backup`.';
  await confirmReplacement(
    ctx,
    {
      target,
      warning: `This restores database ${target} from ${backupInWords(input)}, replacing all of its current data.`,
      example: commandLine(ctx, example),
      nothing: 'started',
      alternative,
    },
    confirm,
  );
}

/**
 * Whether a worker polls the task queue: Temporal lists the pollers of the last few minutes.
 * Undefined when Temporal does not say; the run is started either way.
 */
async function workerPolls(client: Client, taskQueue: string): Promise<boolean | undefined> {
  try {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
    });
    return (pollers?.length ?? 0) > 0;
  } catch {
    return undefined;
  }
}

/** Starts the run, says where to watch it, and follows it unless --detach; returns the exit code. */
export async function startAndFollow(
  ctx: CliContext,
  { input, workflowId }: PreparedRun,
  options: Pick<RunOptions, 'detach' | 'json'>,
): Promise<number> {
  const client = await ctx.client();
  const handle = await startBackupRun(client, input, { workflowId, taskQueue: ctx.taskQueue }).catch((err) => {
    throw temporalErrorToCli(err, ctx);
  });
  const ui = webUiBase(ctx.temporal.address);
  const link = ui ? workflowUrl(ui, ctx.temporal.namespace, workflowId) : undefined;
  const fields = { workflowId, runId: handle.firstExecutionRunId, databaseId: input.databaseId };
  if (options.json) {
    ctx.out(JSON.stringify({ event: 'started', workflowId, databaseId: input.databaseId, webUi: link }), fields);
  } else {
    ctx.out(`Started run ${workflowId} (database ${input.databaseId}).`, fields);
    ctx.out(link ? `Watch it in the Temporal Web UI: ${link}` : 'Set TEMPORAL_UI_URL to get a Web UI link to the run.', fields);
  }
  const target = replacedDatabase(input);
  const approveLine = `approve ${workflowId} --backup-id <id>${target ? ` --confirm ${target}` : ''}`;
  const approve = input.approval ? `approve the restore with \`${commandLine(ctx, approveLine)}\` once the backup is completed` : '';
  if (options.detach) {
    // Detached, nobody watches the run: say now if nothing will pick it up.
    if ((await workerPolls(client, ctx.taskQueue)) === false) {
      ctx.err(
        `No worker polls task queue ${ctx.taskQueue}: the run stays queued, and nothing happens, until one does. ` +
          `Start a worker (\`npm run worker\`) against ${ctx.temporal.address}, namespace ${ctx.temporal.namespace}.`,
      );
    }
    if (!options.json) ctx.out(`Follow it with \`${commandLine(ctx, `watch ${workflowId}`)}\`${approve ? `; ${approve}` : ''}.`);
    return EXIT.ok;
  }
  if (approve && !options.json) ctx.out(`To let it restore, ${approve} (the id shows below).`);
  return followToEnd(ctx, handle, { json: options.json, startedAt: Date.now(), runId: fields.runId, databaseId: fields.databaseId });
}
