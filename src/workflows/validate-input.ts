// Input checks shared by the starter (before a run starts) and the workflow (before any request).
import type { BackupAndRestoreInput, ResumeState } from '../shared/workflow-types';
import { DEFAULT_POLL_POLICY, pollPolicyProblems, resolvePollPolicy } from './poll-policy';

/**
 * The safe subset of Prisma's published id pattern (`^(db_)?([cC][^\s-]{8,}|[a-z0-9]+)$`):
 * letters, digits and `_` only, so an id can never change the request path.
 */
export const DATABASE_ID_PATTERN = /^[A-Za-z0-9_]{1,128}$/;
export const MAX_LABEL_LENGTH = 200;
// C0, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const INPUT_FIELDS = ['databaseId', 'backupLabel', 'poll', 'restore', 'resume'];
const POLL_FIELDS = Object.keys(DEFAULT_POLL_POLICY);

/** Fields the input does not know: a typo would otherwise silently fall back to a default. */
function unknownFieldProblems(value: object, known: string[], where: string): string[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) =>
      key === 'apiToken'
        ? 'apiToken must not be part of the input (inputs are kept in workflow history): give the worker the token in PRISMA_API_TOKEN or PRISMA_API_TOKEN_FILE.'
        : `${where}${key} is not a known field; the known ones are ${known.join(', ')}.`,
    );
}

const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

/** The state a run carries into its continuation; anything else could skip the wait. */
function resumeProblems(resume: ResumeState): string[] {
  const valid =
    typeof resume === 'object' &&
    resume !== null &&
    typeof resume.backupId === 'string' &&
    resume.backupId !== '' &&
    (resume.backupStatus === 'pending' || resume.backupStatus === 'in_progress') &&
    [resume.pollsMade, resume.unlistedPolls, resume.continuedAsNew, resume.startedAt, resume.deadlineAt].every(isCount) &&
    resume.deadlineAt > resume.startedAt;
  return valid ? [] : ['resume is internal state carried by continue-as-new and is not valid here; start runs without it.'];
}

/** Every problem with the input, each saying what to change; empty when the input is usable. */
export function inputProblems(input: BackupAndRestoreInput | undefined): string[] {
  if (typeof input !== 'object' || input === null) return ['The input must be an object with a databaseId.'];
  const problems = unknownFieldProblems(input, INPUT_FIELDS, '');
  const { databaseId, backupLabel, restore, poll, resume } = input;
  if (typeof databaseId !== 'string' || databaseId.trim() === '') {
    problems.push('databaseId is required: pass the id of the database to back up (e.g. db_abc123).');
  } else if (!DATABASE_ID_PATTERN.test(databaseId)) {
    problems.push(
      `databaseId ${JSON.stringify(databaseId.slice(0, 40))} is not a valid database id: use only letters, digits and _ (at most 128), as in the Prisma Console.`,
    );
  }
  if (backupLabel !== undefined) {
    if (typeof backupLabel !== 'string' || backupLabel.length === 0) {
      problems.push('backupLabel, when given, must be a non-empty string.');
    } else if (backupLabel.length > MAX_LABEL_LENGTH) {
      problems.push(`backupLabel is ${backupLabel.length} characters long; shorten it to at most ${MAX_LABEL_LENGTH}.`);
    } else if (CONTROL_CHARACTERS.test(backupLabel)) {
      problems.push('backupLabel contains control characters (such as newlines or tabs); remove them.');
    }
  }
  if (restore !== undefined && typeof restore !== 'boolean') problems.push('restore, when given, must be true or false.');
  if (poll !== undefined && (typeof poll !== 'object' || poll === null)) {
    problems.push('poll, when given, must be an object of poll settings.');
  } else {
    if (poll) problems.push(...unknownFieldProblems(poll, POLL_FIELDS, 'poll.'));
    problems.push(...pollPolicyProblems(resolvePollPolicy(poll)));
  }
  if (resume !== undefined) problems.push(...resumeProblems(resume));
  return problems;
}
