import { strict as assert } from 'assert';
import { restoreVerdict } from '../../src/activities/restore-verdict';
import type { DatabaseStatus } from '../../src/shared/api-types';

const ours = { databaseId: 'db_src', backupId: 'bkp_1' };
const other = { databaseId: 'db_src', backupId: 'bkp_0' };
const at = (status: DatabaseStatus, source?: typeof ours) => ({ status, ...(source ? { source } : {}) });

describe('reading a restore back (prisma profile)', () => {
  it('recovering from our backup, or from one it does not name → applied', () => {
    assert.equal(restoreVerdict(at('recovering', ours), ours), 'applied');
    assert.equal(restoreVerdict(at('recovering'), ours), 'applied');
  });
  it('ready or failed with our backup as its source → applied', () => {
    assert.equal(restoreVerdict(at('ready', ours), ours, null), 'applied');
    assert.equal(restoreVerdict(at('failure', ours), ours, other), 'applied');
  });
  it('ready or failed from anything else → not applied: safe to send', () => {
    assert.equal(restoreVerdict(at('ready'), ours), 'not-applied');
    assert.equal(restoreVerdict(at('ready', other), ours), 'not-applied');
    assert.equal(restoreVerdict(at('failure', other), ours), 'not-applied');
    // Same backup id of another database is another backup.
    assert.equal(restoreVerdict(at('ready', { databaseId: 'db_x', backupId: 'bkp_1' }), ours), 'not-applied');
  });
  it('provisioning, or recovering from another backup → busy: read again later', () => {
    assert.equal(restoreVerdict(at('provisioning'), ours), 'busy');
    assert.equal(restoreVerdict(at('recovering', other), ours), 'busy');
  });
  it('our backup already its source before we sent anything → undecidable', () => {
    assert.equal(restoreVerdict(at('ready', ours), ours, ours), 'undecidable');
  });
});
