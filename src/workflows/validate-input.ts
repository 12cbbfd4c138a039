// Input checks shared by the starter (before a run starts) and the workflow (before any request).
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { pollPolicyProblems, resolvePollPolicy } from './poll-policy';

/**
 * The safe subset of Prisma's published id pattern (`^(db_)?([cC][^\s-]{8,}|[a-z0-9]+)$`):
 * letters, digits and `_` only, so an id can never change the request path.
 */
export const DATABASE_ID_PATTERN = /^[A-Za-z0-9_]{1,128}$/;
export const MAX_LABEL_LENGTH = 200;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Every problem with the input, each saying what to change; empty when the input is usable. */
export function inputProblems(input: BackupAndRestoreInput | undefined): string[] {
  if (typeof input !== 'object' || input === null) return ['The input must be an object with a databaseId.'];
  const problems: string[] = [];
  const { databaseId, backupLabel, restore, poll } = input;
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
    problems.push(...pollPolicyProblems(resolvePollPolicy(poll)));
  }
  return problems;
}
