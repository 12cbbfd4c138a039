import { strict as assert } from 'assert';
import { existsSync, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { Client, Connection } from '@temporalio/client';

import { BACKUP_ID_KEY, SEARCH_ATTRIBUTE_NAMES } from '../../src/shared/constants';
import { type DevServer, startDevServer } from '../../local-temporal';
import { listenersOf } from '../../reliability/listeners';
import { connectTestClient, testNamespace, testTemporalAddress, timeSkippingEnv } from '../support/temporal';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Temporal test server', () => {
  let client: Client;

  before(async () => {
    client = await connectTestClient();
  });

  after(async () => {
    await client?.connection.close();
  });

  it('is reachable at TEMPORAL_ADDRESS', async () => {
    const info = await client.connection.workflowService.getSystemInfo({});
    assert.ok(info.serverVersion, 'server reports a version');
    const ns = await client.connection.workflowService.describeNamespace({ namespace: testNamespace() });
    assert.equal(ns.namespaceInfo?.name, testNamespace());
  });

  it('has every SEARCH_ATTRIBUTE_NAMES name registered as Keyword', async () => {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
      namespace: testNamespace(),
    });
    for (const name of SEARCH_ATTRIBUTE_NAMES) {
      assert.equal(customAttributes?.[name], KEYWORD, `${name} should be a Keyword search attribute`);
    }
  });
});

describe('startDevServer', () => {
  let tempDir: string;
  let server: DevServer | undefined;

  before(async () => {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'temporal-second-server-'));
  });

  after(async () => {
    await server?.stop();
    await fs.rm(tempDir, { recursive: true, force: true });
  });

  it('starts a second server on 127.0.0.1 only, with the Web UI and custom dynamic config, and stops it', async () => {
    const dbFilename = path.join(tempDir, 'second.sqlite');
    server = await startDevServer({
      dbFilename,
      // Observable without a worker: ids (workflow id, task queue, request id, ...) longer than 40 characters are refused.
      dynamicConfig: { 'limit.maxIDLength': 40 },
    });
    const { address, pid } = server;
    assert.notEqual(address, testTemporalAddress());
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    assert.match(server.uiUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(existsSync(dbFilename), 'uses the given sqlite file');
    assert.equal((await fetch(server.uiUrl!)).status, 200, 'the Web UI answers');

    if (existsSync('/proc')) {
      assert.ok(pid, 'the server process is found in /proc');
      const listeners = await listenersOf([{ pid, role: 'dev server', descendants: false }]);
      const listening = listeners.map((l) => `${l.address.replace(/^::ffff:/, '')}:${l.port}`);
      assert.ok(listening.includes(address), `listens on ${address}: ${listening}`);
      assert.ok(listening.includes(new URL(server.uiUrl!).host), `UI listens on ${server.uiUrl}: ${listening}`);
      const exposed = listeners.filter((l) => !l.loopback);
      assert.deepEqual(exposed, [], 'every listening socket is on the loopback interface');
    }

    const connection = await Connection.connect({ address });
    try {
      const second = new Client({ connection, namespace: server.namespace });
      await assert.rejects(
        second.workflow.start('noSuchWorkflow', { taskQueue: 'limit-test', workflowId: 'x'.repeat(41) }),
        (err: Error) => {
          // ServiceError('Failed to start Workflow') wrapping the gRPC error.
          assert.match(`${err.message} ${(err.cause as Error | undefined)?.message}`, /exceeds maximum allowed length/);
          return true;
        },
      );
      const handle = await second.workflow.start('noSuchWorkflow', { taskQueue: 'limit-test', workflowId: 'x'.repeat(40) });
      await handle.terminate('test over');
      // Gone from the file, so the restart below must register it again.
      await connection.operatorService.removeSearchAttributes({ namespace: 'default', searchAttributes: [BACKUP_ID_KEY.name] });
    } finally {
      await connection.close();
    }

    await server.stop();
    server = undefined;
    if (pid) assert.ok(!isAlive(pid), 'the server process is gone');

    // Started again on the same file and port: the state is there, and every search attribute is back.
    server = await startDevServer({ dbFilename, port: Number(address.split(':')[1]), headless: true });
    assert.equal(server.address, address);
    assert.equal(server.uiUrl, undefined);
    const again = await Connection.connect({ address });
    try {
      const { customAttributes } = await again.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const name of SEARCH_ATTRIBUTE_NAMES) assert.equal(customAttributes?.[name], KEYWORD, name);
      const { status } = await new Client({ connection: again }).workflow.getHandle('x'.repeat(40)).describe();
      assert.equal(status.name, 'TERMINATED', 'the run started before the restart is still in the file');
    } finally {
      await again.close();
    }
  });
});

describe('startDevServer on a taken port', () => {
  it('refuses at once, and says how to use a server that is already there', async () => {
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(startDevServer({ port, headless: true }), (err: Error) => {
        assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port} is in use`));
        assert.match(err.message, new RegExp(`TEMPORAL_ADDRESS=127\\.0\\.0\\.1:${port}`));
        return true;
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('timeSkippingEnv', () => {
  it('runs the pip-installed time-skipping test server', async () => {
    const env = await timeSkippingEnv();
    try {
      assert.equal(env.supportsTimeSkipping, true);
      const before = await env.currentTimeMs();
      await env.sleep('1 day');
      const after = await env.currentTimeMs();
      assert.ok(after - before >= 24 * 60 * 60 * 1000, 'time skipped a day');
    } finally {
      await env.teardown();
    }
  });
});
