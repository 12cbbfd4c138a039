import { strict as assert } from 'assert';
import { ApiError } from '../../src/api/api-error';
import { parseBackup, parseBackupList, parseRestoreAccepted } from '../../src/api/parse';
import { ErrorType } from '../../src/shared/errors';

const backup = {
  id: 'bkp_1',
  databaseId: 'db_1',
  type: 'manual',
  status: 'pending',
  createdAt: '2026-11-27T10:00:00Z',
};
const req = 'GET databases/db_1/backups';

function assertProtocolError(fn: () => unknown, detail: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.type, ErrorType.ProtocolError);
    assert.equal(err.retryable, false);
    assert.match(err.message, detail);
    return true;
  });
}

describe('response parsing', () => {
  it('accepts a backup as described, with optional fields', () => {
    assert.deepEqual(parseBackup(req, JSON.stringify(backup)), backup);
    const done = { ...backup, status: 'completed', sizeBytes: 42, completedAt: '2026-11-27T10:01:00Z' };
    assert.deepEqual(parseBackup(req, JSON.stringify(done)), done);
  });

  it('accepts a list and an empty list', () => {
    assert.deepEqual(parseBackupList(req, JSON.stringify({ data: [backup] })).data, [backup]);
    assert.deepEqual(parseBackupList(req, '{"data":[]}').data, []);
  });

  it('accepts a restore answer', () => {
    assert.deepEqual(parseRestoreAccepted(req, '{"status":"restoring","message":"ok"}'), { status: 'restoring', message: 'ok' });
  });

  it('rejects non-JSON', () => assertProtocolError(() => parseBackup(req, '<html>'), /body is not JSON/));
  it('rejects a backup without an id', () => {
    const { id: _id, ...noId } = backup;
    assertProtocolError(() => parseBackup(req, JSON.stringify(noId)), /body\.id is missing/);
  });
  it('rejects an unknown status', () =>
    assertProtocolError(() => parseBackup(req, JSON.stringify({ ...backup, status: 'done' })), /body\.status is not one of/));
  it('rejects an unknown type', () =>
    assertProtocolError(() => parseBackup(req, JSON.stringify({ ...backup, type: 'weekly' })), /body\.type is not one of/));
  it('rejects a non-integer size', () =>
    assertProtocolError(() => parseBackup(req, JSON.stringify({ ...backup, sizeBytes: '12' })), /sizeBytes is not an integer/));
  it('rejects a list without data, and names the bad item', () => {
    assertProtocolError(() => parseBackupList(req, '{"items":[]}'), /body\.data is not an array/);
    assertProtocolError(
      () => parseBackupList(req, JSON.stringify({ data: [backup, { ...backup, status: 1 }] })),
      /body\.data\[1\]\.status/,
    );
  });
  it('takes any 2xx answer to the restore POST as accepted, saying when its body was off-description', () => {
    assert.deepEqual(parseRestoreAccepted(req, '{"status":"restoring","message":"ok"}'), { status: 'restoring', message: 'ok' });
    for (const body of ['{"status":"done"}', '<html>', '{"status":"restoring","message":1}']) {
      assert.deepEqual(parseRestoreAccepted(req, body), {
        status: 'restoring',
        message: `${req} was accepted (2xx), but its answer does not match the API description; the restore is under way.`,
      });
    }
  });
  it('tells the user to check PRISMA_API_URL', () => assertProtocolError(() => parseBackup(req, '[]'), /PRISMA_API_URL/));
});
