// The workflow code must bundle for Temporal's sandbox. What it may import, directly or through other
// modules, is checked by `npm run lint` (.dependency-cruiser.js).
import { strict as assert } from 'assert';
import { workflowBundle } from '../support/harness';

describe('workflow bundle', function () {
  this.timeout(60_000);

  it('builds', async () => {
    const { code } = await workflowBundle();
    assert.ok(code.includes('backupAndRestoreDatabase'));
  });
});
