import { strict as assert } from 'assert';

import { resolveTemporal } from '../../local-temporal';

describe('resolveTemporal with TEMPORAL_ADDRESS', () => {
  it('uses the given server and starts nothing', async () => {
    const resolved = await resolveTemporal({
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_NAMESPACE: 'ns',
      TEMPORAL_UI_URL: 'http://ui.example',
    });
    assert.equal(resolved.address, 'temporal.example:7233');
    assert.equal(resolved.namespace, 'ns');
    assert.equal(resolved.uiUrl, 'http://ui.example');
    assert.equal(resolved.started, false);
    await resolved.stop();
  });

  it('defaults the namespace to "default" and the UI URL to none', async () => {
    const resolved = await resolveTemporal({ TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: '' });
    assert.equal(resolved.namespace, 'default');
    assert.equal(resolved.uiUrl, undefined);
  });
});
