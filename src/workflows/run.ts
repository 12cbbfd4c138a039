// What the steps of one execution share, and how they fail.
import { ApplicationFailure, type RetryPolicy } from '@temporalio/workflow';
import { ErrorType, NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';
import type { BackupAndRestoreInput, BackupAndRestoreResult, CarriedState, Phase, PollPolicy } from '../shared/workflow-types';
import type { RunState } from './run-state';
import type { WebUi } from './web-ui';

/** The workflow's signature, for continue-as-new. */
export type BackupAndRestoreWorkflow = (input: BackupAndRestoreInput, carried?: CarriedState) => Promise<BackupAndRestoreResult>;

export interface Run {
  input: BackupAndRestoreInput;
  policy: PollPolicy;
  /** The one record of where the run is; the status query and the Web UI derive from it. */
  state: RunState;
  ui: WebUi;
  approved: boolean;
  setPhase(phase: Phase): void;
  /** Publishes the current details after a change. */
  show(): void;
}

export const fail = (type: ErrorType, message: string): never => {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
};

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1m',
  nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
};

// Each request times out after 20 s, inside the 30 s start-to-close; activities heartbeat every 2 s
// during a call, so an attempt whose worker died is retried after 10 s rather than 30.
export const attempt = { startToCloseTimeout: '30s', heartbeatTimeout: '10s', retry } as const;

/** A read that must succeed for the run to go on: retried as long as a POST. */
export const read = { ...attempt, scheduleToCloseTimeout: '10m' } as const;

// A poll is a read: after a few attempts (about 3 s on a quick error) it counts as failed, which the
// status shows, and the next timer looks again; polls failing for poll.failingLimitMs end the run.
const POLL_ATTEMPTS = 3;
export const poll = { ...attempt, retry: { ...retry, maximumAttempts: POLL_ATTEMPTS }, scheduleToCloseTimeout: '10m' } as const;

/**
 * A destructive restore: one attempt, and the workflow decides what follows a failure
 * (restore-state.ts), so a request is never sent again by a retry that cannot know whether the
 * last one took effect. No schedule-to-close: an attempt that never started is never guessed lost.
 */
export const once = { ...attempt, retry: { ...retry, maximumAttempts: 1 } } as const;
