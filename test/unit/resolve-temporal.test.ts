import { strict as assert } from 'assert';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { DEV_DEFAULTS, resolveTemporal } from '../../local-temporal';

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

describe('resolveTemporal with nothing configured (npm start)', () => {
  it('starts its dev server on 127.0.0.1:7233, Web UI on 8233: with that port taken, it refuses naming it', async () => {
    assert.deepEqual([DEV_DEFAULTS.port, DEV_DEFAULTS.uiPort], [7233, 8233]);
    // Where it binds, without starting a server: 127.0.0.1:7233 taken (by a server there already, or here), it must refuse.
    const holder = net.createServer();
    await new Promise<void>((resolve) => {
      holder.once('error', () => resolve());
      holder.listen({ host: '127.0.0.1', port: 7233, exclusive: true }, () => resolve());
    });
    try {
      // A config file that does not exist: no profile of this machine's names a server.
      const nowhere = path.join(os.tmpdir(), `no-temporal-config-${randomBytes(4).toString('hex')}.toml`);
      await assert.rejects(resolveTemporal({ TEMPORAL_CONFIG_FILE: nowhere }), (err: Error) => {
        assert.match(err.message, /^Cannot start a Temporal dev server: 127\.0\.0\.1:7233 is in use\./);
        return true;
      });
    } finally {
      if (holder.listening) await new Promise((resolve) => holder.close(resolve));
    }
  });
});
