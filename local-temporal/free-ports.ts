import * as net from 'node:net';

import { LOOPBACK_IP } from './dev-server-args';

function listenOnFreePort(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * `count` distinct ports that were free on `host` a moment ago (found by binding port 0).
 * All are held open until every one is found, so they differ from each other; another process can still
 * take one before the caller binds it, so callers retry on "address already in use".
 */
export async function findFreePorts(count: number, host: string = LOOPBACK_IP): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      servers.push(await listenOnFreePort(host));
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** One free port on `host`. */
export async function findFreePort(host: string = LOOPBACK_IP): Promise<number> {
  const [port] = await findFreePorts(1, host);
  return port;
}

/** True when `port` can be bound on `host` right now (it is closed again at once). */
export async function isPortFree(port: number, host: string = LOOPBACK_IP): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
