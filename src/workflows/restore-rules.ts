// How a failed restore request is answered, so a restore is applied at most once: sent again only when the last request
// had no effect (RequestNotSent, 429); anything else is read back (prisma) or resent under an honoured key (seed). Pure.
import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/workflow';
import { ErrorType } from '../shared/errors';
import type { ApiProfile } from '../shared/input';

/** `resend` (seed: `outcomeUnknown` if one may have applied); prisma: `read-back` (`lost`: its worker died), `conflict` (409); `fail`. */
export type RestoreFailureAction =
  | { kind: 'resend'; afterMs?: number; outcomeUnknown: boolean }
  | { kind: 'read-back'; lost: boolean }
  | { kind: 'conflict' }
  | { kind: 'fail' };

/** Retry-After, passed in the failure's details: a workflow does not see nextRetryDelay. */
function retryAfterMs(failure: ApplicationFailure): number | undefined {
  const [details] = (failure.details ?? []) as ({ retryAfterMs?: unknown } | undefined)[];
  return typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
}

export function restoreFailureAction(profile: ApiProfile, err: unknown): RestoreFailureAction {
  if (!(err instanceof ActivityFailure)) return { kind: 'fail' };
  const { cause } = err;
  if (cause instanceof ApplicationFailure) {
    const notApplied = cause.type === ErrorType.RequestNotSent || cause.type === ErrorType.RateLimited;
    if (notApplied && !cause.nonRetryable) return { kind: 'resend', afterMs: retryAfterMs(cause), outcomeUnknown: false };
    if (profile === 'prisma' && cause.type === ErrorType.RestoreConflict) return { kind: 'conflict' };
    if (profile === 'prisma' && cause.type === ErrorType.RestoreOutcomeUnknown) return { kind: 'read-back', lost: false };
    if (cause.nonRetryable) return { kind: 'fail' };
    return profile === 'prisma'
      ? { kind: 'read-back', lost: false }
      : { kind: 'resend', afterMs: retryAfterMs(cause), outcomeUnknown: true };
  }
  // The attempt was lost (its worker died, or it was cancelled), perhaps before its request left, perhaps after.
  if (cause instanceof TimeoutFailure || cause instanceof CancelledFailure)
    return profile === 'prisma' ? { kind: 'read-back', lost: true } : { kind: 'resend', outcomeUnknown: true };
  return { kind: 'fail' };
}
