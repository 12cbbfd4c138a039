// Request bodies: what the records keep, and what a POST must look like.
import { errorReply, type Reply } from './reply';
import type { OperationId } from './types';

/** Parsed JSON when possible, the raw text otherwise, undefined when empty. */
export function bodyForRecord(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Undefined when the body is acceptable; otherwise the 400 to send. A POST body is optional but must be JSON. */
export function checkRequestBody(operation: OperationId, raw: string): Reply | undefined {
  // GET bodies carry no meaning, so they are not judged.
  if (operation === 'listDatabaseBackups' || raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return errorReply(400, 'INVALID_JSON', 'The request body is not valid JSON');
  }
  return operation === 'createDatabaseBackup' ? checkBackupCreate(value) : undefined;
}

/** The seed's BackupCreate: an object whose optional `label` is a string. */
function checkBackupCreate(value: unknown): Reply | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return errorReply(400, 'VALIDATION_ERROR', 'The request body must be a JSON object');
  }
  const label = (value as { label?: unknown }).label;
  if (label !== undefined && typeof label !== 'string') {
    return errorReply(400, 'VALIDATION_ERROR', 'label must be a string', { field: 'label' });
  }
  return undefined;
}
