// Helpers for tests that talk to Temporal. The server comes from TEMPORAL_ADDRESS, which
// test/support/global-temporal.ts sets (starting a dev server) unless it was already set (CI).

import { Client, type ClientOptions, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';

import { startDevServer, temporalBinary } from '../../local-temporal';

/** gRPC address of the test server (`127.0.0.1:port`). */
export function testTemporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    throw new Error(
      'TEMPORAL_ADDRESS is not set. Run the tests through mocha with .mocharc.json (its global fixture ' +
        'test/support/global-temporal.ts starts a dev server), or start one with `npm run temporal:dev` ' +
        'and export TEMPORAL_ADDRESS=127.0.0.1:7233.',
    );
  }
  return address;
}

/** Namespace of the test server (`default` unless TEMPORAL_NAMESPACE says otherwise). */
export function testNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE || 'default';
}

/**
 * A Client for the test server. Close it with `await client.connection.close()` (e.g. in `after`).
 * `client.connection.operatorService` / `.workflowService` give the raw gRPC services.
 */
export async function connectTestClient(options: Omit<ClientOptions, 'connection' | 'namespace'> = {}): Promise<Client> {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  return new Client({ ...options, connection, namespace: testNamespace() });
}

/** A NativeConnection to the test server, for `Worker.create({ connection, namespace: testNamespace(), ... })`. Close it when done. */
export function connectWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: testTemporalAddress() });
}

/**
 * A time-skipping TestWorkflowEnvironment on the pip-installed `temporal-test-server` (the SDK's own
 * download does not work offline). Call `await env.teardown()` when done.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = temporalBinary('temporal-test-server');
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

/**
 * A TestWorkflowEnvironment on the shared test server (no time skipping): `env.client`,
 * `env.nativeConnection`, `env.namespace`. Its teardown leaves the server running.
 */
export function existingServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: testTemporalAddress(), namespace: testNamespace() });
}

/**
 * A dev server of its own that suggests continue-as-new after 20 history events (in memory), with a
 * client and a worker connection to it: `close()` stops all three.
 */
export async function continueAsNewTemporal() {
  const server = await startDevServer({ headless: true, dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 20 } });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const connection = await NativeConnection.connect({ address: server.address });
  return {
    address: server.address,
    namespace: server.namespace,
    client,
    connection,
    async close() {
      await client.connection.close();
      await connection.close();
      await server.stop();
    },
  };
}
