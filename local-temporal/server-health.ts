// Talking to a (possibly still starting) Temporal server through @temporalio/client.

import * as net from 'node:net';

import { Connection } from '@temporalio/client';

/** `IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD` in temporal.api.enums.v1 (avoids a direct @temporalio/proto import). */
const INDEXED_VALUE_TYPE_KEYWORD = 2;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(address.slice(colon + 1)) };
}

/** True when something accepts TCP connections at `host:port` (cheap pre-check before gRPC). */
export function canConnectTcp(address: string, timeoutMs = 1000): Promise<boolean> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Makes sure every name in `names` is a Keyword search attribute of `namespace`, adding the missing ones.
 * (`start-dev --search-attribute` only registers them when it creates a new database file, so a reused
 * `.temporal/dev.sqlite` from before a name was added would otherwise lack it.)
 */
export async function ensureKeywordSearchAttributes(
  connection: Connection,
  namespace: string,
  names: readonly string[],
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const wrongType = names.filter((n) => n in existing && existing[n] !== INDEXED_VALUE_TYPE_KEYWORD);
  if (wrongType.length > 0) {
    throw new Error(
      `Search attribute(s) ${wrongType.join(', ')} exist in namespace ${namespace} with a type other than Keyword; ` +
        'use a fresh database file.',
    );
  }
  const missing = names.filter((n) => !(n in existing));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((n) => [n, INDEXED_VALUE_TYPE_KEYWORD])),
    });
  }
  return missing;
}

export interface WaitForServerOptions {
  address: string;
  namespace: string;
  /** Give up after this long. */
  timeoutMs: number;
  /** Checked between attempts; a string aborts the wait with that reason (e.g. "the server process exited"). */
  abortReason?: () => string | undefined;
  /** Runs once the namespace answers, on the same connection (e.g. to register search attributes). */
  onReady?: (connection: Connection) => Promise<unknown>;
}

/**
 * Polls until the server's frontend answers `DescribeNamespace(namespace)`, then runs `onReady`.
 * Throws with the last error when `timeoutMs` passes or `abortReason` returns a reason.
 */
export async function waitForServer(options: WaitForServerOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.abortReason?.();
    if (reason) throw new Error(reason);
    if (Date.now() > deadline) {
      throw new Error(
        `Temporal at ${options.address} not ready after ${options.timeoutMs} ms` +
          (lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : ''),
      );
    }
    if (await canConnectTcp(options.address)) {
      // lazy + ensureConnected rather than Connection.connect: when connect fails it does not close its
      // gRPC channel, which then keeps retrying (and keeps the process alive).
      let connection: Connection | undefined = Connection.lazy({ address: options.address, connectTimeout: 2000 });
      try {
        const conn = connection;
        await conn.ensureConnected();
        await conn.withDeadline(Date.now() + 5000, () => conn.workflowService.describeNamespace({ namespace: options.namespace }));
      } catch (err) {
        lastError = err;
        await connection.close();
        connection = undefined;
      }
      if (connection) {
        // Ready. Errors from here on are not transient: let them through.
        try {
          await options.onReady?.(connection);
        } finally {
          await connection.close();
        }
        return;
      }
    } else {
      lastError = new Error('connection refused');
    }
    await sleep(100);
  }
}
