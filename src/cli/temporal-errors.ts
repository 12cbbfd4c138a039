// Temporal's errors, said in the CLI's terms: what went wrong and what to do next.
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../shared/constants';
import { unreachable } from '../temporal/connect';
import { CliError, commandLine, EXIT, type CliContext } from './context';

/** gRPC status codes (as in @grpc/grpc-js, which is not our dependency). */
export const GRPC = { INVALID_ARGUMENT: 3, UNAVAILABLE: 14 } as const;

/** The gRPC error in a cause chain, if any. */
export function grpcError(err: unknown) {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause)) return cause;
  }
  return undefined;
}

export function temporalErrorToCli(err: unknown, ctx: CliContext, subject = 'run'): unknown {
  if (err instanceof CliError) return err;
  const where = `namespace ${ctx.temporal.namespace} at ${ctx.temporal.address}`;
  if (err instanceof WorkflowNotFoundError) {
    return new CliError(
      `No ${subject} ${err.workflowId} in ${where}. \`${commandLine(ctx, 'list')}\` shows the recent runs.`,
      EXIT.notFound,
    );
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return new CliError(
      `A run with id ${err.workflowId} already exists; nothing was started. Pick another --workflow-id, or leave it out.`,
      EXIT.usage,
    );
  }
  if (err instanceof WorkflowUpdateFailedError) {
    return new CliError(err.cause?.message ?? err.message, EXIT.runFailed);
  }
  const code = grpcError(err)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === GRPC.UNAVAILABLE) {
    return new CliError(unreachable(ctx.temporal.address, err).message, EXIT.unavailable);
  }
  if (code === GRPC.INVALID_ARGUMENT && /search attribute/i.test(message)) {
    const create = Object.values(SEARCH_ATTRIBUTES)
      .map((name) => `--name ${name} --type Keyword`)
      .join(' ');
    return new CliError(
      `Temporal refused the run's search attributes (${message}). Register them once in ${where}: ` +
        `temporal operator search-attribute create --namespace ${ctx.temporal.namespace} ${create}`,
      EXIT.usage,
    );
  }
  if (err instanceof ServiceError) return new CliError(`Temporal refused the request: ${message}`, EXIT.runFailed);
  return err;
}
