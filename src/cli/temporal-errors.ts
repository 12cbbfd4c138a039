// Temporal's errors, said in the CLI's terms: what went wrong and what to do next.
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_NAMES } from '../shared/constants';
import { CliError, commandLine, EXIT, invalid, START_TEMPORAL, type CliContext } from './context';

const UNAVAILABLE = 14;
const INVALID_ARGUMENT = 3;

export function temporalErrorToCli(err: unknown, ctx: CliContext, subject = 'run'): unknown {
  if (err instanceof CliError) return err;
  const where = `namespace ${ctx.temporal.namespace} at ${ctx.temporal.address}`;
  const list = `\`${commandLine(ctx, 'list')}\` shows the recent runs.`;
  if (err instanceof WorkflowNotFoundError)
    return new CliError('NOT_FOUND', `No ${subject} ${err.workflowId} in ${where}.`, list, EXIT.notFound);
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return new CliError(
      'ALREADY_EXISTS',
      `A run with id ${err.workflowId} already exists; nothing was started.`,
      'Pick another --workflow-id, or leave it out.',
    );
  const status = `\`${commandLine(ctx, 'status <id>')}\` shows what the run waits for.`;
  if (err instanceof WorkflowUpdateFailedError) return new CliError('REFUSED', err.cause?.message ?? err.message, status, EXIT.failed);
  let grpc: { code?: number } | undefined;
  for (let cause: unknown = err; cause instanceof Error && !grpc; cause = cause.cause) if (isGrpcServiceError(cause)) grpc = cause;
  const message = err instanceof Error ? err.message : String(err);
  if (grpc?.code === UNAVAILABLE)
    return new CliError('TEMPORAL_UNREACHABLE', `Cannot reach Temporal at ${ctx.temporal.address}.`, START_TEMPORAL, EXIT.unavailable);
  if (grpc?.code === INVALID_ARGUMENT && /search attribute/i.test(message)) {
    const create = SEARCH_ATTRIBUTE_NAMES.map((name) => `--name ${name} --type Keyword`).join(' ');
    return new CliError(
      'SEARCH_ATTRIBUTES',
      `Temporal refused the run's search attributes (${message}).`,
      `Register them once: temporal operator search-attribute create --namespace ${ctx.temporal.namespace} ${create}`,
    );
  }
  // A value Temporal itself refuses (a cron field, say): bad input, nothing done.
  if (grpc?.code === INVALID_ARGUMENT) return invalid(`Temporal refused it: ${message}`, 'Correct the value it names.');
  if (err instanceof ServiceError)
    return new CliError(
      'TEMPORAL_REFUSED',
      `Temporal refused the request: ${message}`,
      'Check the namespace and your permissions.',
      EXIT.failed,
    );
  return err;
}

/** The promise, with a Temporal error said in the CLI's terms. */
export const inCliTerms = <T>(promise: Promise<T>, ctx: CliContext, subject?: string): Promise<T> =>
  promise.catch((err: unknown) => Promise.reject(temporalErrorToCli(err, ctx, subject)));
