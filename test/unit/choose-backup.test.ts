import { strict as assert } from 'assert';
import { chooseBackup } from '../../src/activities/choose-backup';
import type { PrismaBackup, PrismaBackupList, PrismaBackupStatus } from '../../src/shared/api-types';
import { ErrorType } from '../../src/shared/errors';

const backup = (id: string, status: PrismaBackupStatus, createdAt: string): PrismaBackup => ({ id, backupType: 'full', createdAt, status });
const list = (data: PrismaBackup[], { hasMore = false, days = 7 } = {}): PrismaBackupList => ({
  data,
  meta: { backupRetentionDays: days },
  pagination: { hasMore, limit: 100 },
});

// Listed out of order on purpose: the choice must not depend on the list's order, which is not documented.
const backups = list([
  backup('bkp_mon', 'completed', '2026-11-23T03:00:00Z'),
  backup('bkp_wed', 'completed', '2026-11-25T03:00:00Z'),
  backup('bkp_thu', 'unknown', '2026-11-26T03:00:00Z'),
  backup('bkp_tue', 'failed', '2026-11-24T03:00:00Z'),
]);

const refusal = (choice: ReturnType<typeof chooseBackup>) => {
  assert.equal(choice.kind, 'refused');
  return choice as { type: string; message: string };
};

describe('choosing a backup (prisma profile)', () => {
  it('takes the newest completed one by createdAt, skipping unknown and failed ones, and says when it was taken', () => {
    assert.deepEqual(chooseBackup(backups, { databaseId: 'db_1' }), {
      kind: 'chosen',
      backup: { backupId: 'bkp_wed', status: 'completed', createdAt: '2026-11-25T03:00:00Z' },
    });
  });

  it('only one created after a given time, when asked', () => {
    const choice = chooseBackup(backups, { databaseId: 'db_1', createdAfter: '2026-11-23T03:00:00Z' });
    assert.equal(choice.kind === 'chosen' && choice.backup.backupId, 'bkp_wed');
    const none = refusal(chooseBackup(backups, { databaseId: 'db_1', createdAfter: '2026-11-25T03:00:00Z' }));
    assert.equal(none.type, ErrorType.BackupNotFound);
    assert.match(none.message, /no completed backup created after 2026-11-25T03:00:00Z among the 4 backups listed \(bkp_thu: unknown\)/);
    assert.match(none.message, /wait for the next one, or name one with --backup-id/);
  });

  it('waits for a running one when no completed one qualifies', () => {
    const today = list([...backups.data, backup('bkp_fri', 'running', '2026-11-27T03:00:00Z')]);
    const choice = chooseBackup(today, { databaseId: 'db_1', createdAfter: '2026-11-26T00:00:00Z' });
    assert.deepEqual(choice, { kind: 'chosen', backup: { backupId: 'bkp_fri', status: 'running', createdAt: '2026-11-27T03:00:00Z' } });
    // With a completed one to take, a newer running one is not waited for.
    assert.equal((chooseBackup(today, { databaseId: 'db_1' }) as { backup: { backupId: string } }).backup.backupId, 'bkp_wed');
  });

  describe('a named backup', () => {
    it('completed → chosen; running → wait for it', () => {
      assert.equal(
        (chooseBackup(backups, { databaseId: 'db_1', backupId: 'bkp_mon' }) as { backup: { status: string } }).backup.status,
        'completed',
      );
      const running = list([backup('bkp_now', 'running', '2026-11-27T03:00:00Z')]);
      assert.deepEqual(chooseBackup(running, { databaseId: 'db_1', backupId: 'bkp_now' }), {
        kind: 'chosen',
        backup: { backupId: 'bkp_now', status: 'running', createdAt: '2026-11-27T03:00:00Z' },
      });
    });
    it('failed → BackupFailed; unknown → BackupNotUsable (never restored)', () => {
      assert.equal(refusal(chooseBackup(backups, { databaseId: 'db_1', backupId: 'bkp_tue' })).type, ErrorType.BackupFailed);
      const unknown = refusal(chooseBackup(backups, { databaseId: 'db_1', backupId: 'bkp_thu' }));
      assert.equal(unknown.type, ErrorType.BackupNotUsable);
      assert.match(unknown.message, /status unknown: Prisma cannot say it is complete/);
    });
    it('not listed → BackupNotFound, saying when the list was cut short', () => {
      const missing = refusal(chooseBackup(list(backups.data, { hasMore: true }), { databaseId: 'db_1', backupId: 'bkp_x' }));
      assert.equal(missing.type, ErrorType.BackupNotFound);
      assert.match(
        missing.message,
        /Backup bkp_x of database db_1 is not among the 4 newest backups listed; .*Prisma keeps backups 7 days/,
      );
    });
    it('taken before createdAfter → BackupNotUsable', () => {
      const old = refusal(chooseBackup(backups, { databaseId: 'db_1', backupId: 'bkp_mon', createdAfter: '2026-11-24T00:00:00Z' }));
      assert.equal(old.type, ErrorType.BackupNotUsable);
    });
  });

  it('a database Prisma keeps no backups for says so', () => {
    const none = refusal(chooseBackup(list([], { days: 0 }), { databaseId: 'db_free' }));
    assert.equal(none.type, ErrorType.BackupNotFound);
    assert.match(none.message, /Prisma keeps none for it \(backupRetentionDays 0; the free plan has none\)/);
  });

  it('refuses a createdAfter that is not a time', () => {
    assert.equal(refusal(chooseBackup(backups, { databaseId: 'db_1', createdAfter: 'last week' })).type, ErrorType.InvalidInput);
  });
});
