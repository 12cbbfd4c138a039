import { strict as assert } from 'assert';
import * as net from 'node:net';

import { findFreePorts, isPortFree } from '../../local-temporal/free-ports';
import { resolveTemporal } from '../../local-temporal/resolve-temporal';

describe('resolveTemporal with TEMPORAL_ADDRESS', () => {
  it('uses the given server and starts nothing', async () => {
    const resolved = await resolveTemporal(
      {},
      { TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'ns', TEMPORAL_UI_URL: 'http://ui.example' },
    );
    assert.equal(resolved.address, 'temporal.example:7233');
    assert.equal(resolved.namespace, 'ns');
    assert.equal(resolved.uiUrl, 'http://ui.example');
    assert.equal(resolved.started, false);
    await resolved.stop();
  });

  it('defaults the namespace to "default" and the UI URL to none', async () => {
    const resolved = await resolveTemporal({}, { TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: '' });
    assert.equal(resolved.namespace, 'default');
    assert.equal(resolved.uiUrl, undefined);
  });
});

describe('findFreePorts', () => {
  it('returns distinct ports that can be bound on 127.0.0.1', async () => {
    const ports = await findFreePorts(4);
    assert.equal(new Set(ports).size, 4);
    for (const port of ports) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('isPortFree tells a taken port from a free one', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    assert.equal(await isPortFree(port), false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.equal(await isPortFree(port), true);
  });
});
