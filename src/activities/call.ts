// One Management API call from an activity: heartbeats while under way (so a dead worker is noticed), failures typed for Temporal.
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { ApiError } from '../api/errors';
import type { ManagementApi, PrismaApi, SeedApi } from '../api/client';
import { ErrorType } from '../shared/errors';

const HEARTBEAT_EVERY_MS = 2_000;
/** A garbled answer may be a one-off: retried this many attempts, then taken as another protocol. */
export const PROTOCOL_ERROR_ATTEMPTS = 3;
export const nonRetryable = (type: ErrorType, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/** An ApiError as Temporal sees it on this attempt: its type, whether to retry, and when (Retry-After). */
export function toFailure(err: unknown, attempt: number): unknown {
  if (!(err instanceof ApiError)) return err;
  const retryable = err.retryable || (err.type === ErrorType.ProtocolError && attempt < PROTOCOL_ERROR_ATTEMPTS);
  return ApplicationFailure.create({
    type: err.type,
    message: err.message,
    nonRetryable: !retryable,
    nextRetryDelay: err.retryAfterMs,
    // Also in the details: a workflow that resends a restore itself does not get nextRetryDelay.
    ...(err.retryAfterMs === undefined ? {} : { details: [{ retryAfterMs: err.retryAfterMs }] }),
  });
}

/** Runs `fn`, heartbeating `details` every 2 s, and maps its failure. */
export async function call<T>(fn: () => Promise<T>, details?: unknown): Promise<T> {
  const context = Context.current();
  context.heartbeat(details);
  const beat = setInterval(() => context.heartbeat(details), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } catch (err) {
    // An aborted request is our own cancellation, not a failure of the API.
    if (context.cancellationSignal.aborted) throw new CancelledFailure('Activity cancelled while calling the Management API');
    throw toFailure(err, context.info.attempt);
  } finally {
    clearInterval(beat);
  }
}

/** The client of the profile an activity speaks, or ProfileMismatch saying how to fix the worker. */
export function requireProfile(api: ManagementApi, profile: 'prisma', activity: string): PrismaApi;
export function requireProfile(api: ManagementApi, profile: 'seed', activity: string): SeedApi;
export function requireProfile(api: ManagementApi, profile: ManagementApi['profile'], activity: string): ManagementApi {
  if (api.profile === profile) return api;
  throw nonRetryable(
    ErrorType.ProfileMismatch,
    `${activity} speaks the ${profile} API, but this worker's PRISMA_API_PROFILE is ${api.profile}. Run the worker with PRISMA_API_PROFILE=${profile}, or start the run for ${api.profile}.`,
  );
}
