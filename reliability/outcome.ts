// How a run ended, told apart the way the report counts it: completed, failed with one of our
// typed errors (src/shared/errors.ts), failed some other way, or not ended at all (lost).
import { failureReason } from '../src/shared/failure-reason';
import { ErrorType } from '../src/shared/errors';
import type { RunResult } from '../src/shared/types';

export type RunVerdict =
  | { kind: 'completed'; result: RunResult }
  | { kind: 'failed-typed'; type: ErrorType; message: string }
  | { kind: 'failed-untyped'; description: string }
  | { kind: 'lost'; description: string };

const ERROR_TYPES = new Set<string>(Object.values(ErrorType));

/**
 * The outcome of a run whose result() rejected with a workflow failure: typed when an
 * ApplicationFailure in the cause chain carries one of our ErrorType names.
 */
export function failureOutcome(err: unknown): RunVerdict {
  const { type, message } = failureReason(err);
  if (ERROR_TYPES.has(type)) return { kind: 'failed-typed', type: type as ErrorType, message };
  const chain: string[] = [];
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) chain.push(`${cause.name}: ${cause.message}`);
  return { kind: 'failed-untyped', description: chain.join(' <- ') || String(err) };
}
