// Why a poll failed, in words that name the cause. Activity failures carry the API's redacted
// messages, never the token. Pure.
import { TimeoutFailure, type ActivityFailure } from '@temporalio/workflow';

export function pollErrorText(err: ActivityFailure): string {
  const { cause } = err;
  if (cause instanceof TimeoutFailure) {
    const when = (cause.timeoutType ?? 'unknown').toLowerCase().replace(/_/g, '-');
    // The server puts the last attempt's failure under the timeout, when there was one.
    return cause.cause?.message
      ? `The poll timed out (${when}); its last attempt: ${cause.cause.message}`
      : `The poll timed out (${when}).`;
  }
  return cause?.message || err.message;
}
