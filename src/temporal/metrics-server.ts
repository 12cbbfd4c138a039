// One Prometheus endpoint for the worker: our registry, then the SDK's metrics, served by its exporter on an internal loopback port.
import http from 'node:http';
import net from 'node:net';
import type { Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

/** A port nothing listens on now, on 127.0.0.1 (for the SDK's internal exporter, which cannot report the port it took). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Serves GET /metrics at `address`: ours, then the SDK's (from `sdkMetricsUrl`) when it answers; returns its URL. */
export async function serveMetrics(address: { host: string; port: number }, registry: Registry, sdkMetricsUrl?: string) {
  const scrape = async (): Promise<string> => {
    const ours = await registry.metrics();
    if (!sdkMetricsUrl) return ours;
    try {
      const sdk = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(5_000) });
      return `${ours}\n${await sdk.text()}`;
    } catch (err) {
      // The worker is up: say what is missing rather than failing the scrape (and firing "worker gone").
      return `${ours}\n# The SDK's metrics could not be read: ${(err as Error).message}\n`;
    }
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Metrics are at ${METRICS_PATH}\n`);
      return;
    }
    scrape().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  const where = `${address.host}:${address.port}`;
  await new Promise<void>((resolve, reject) => {
    const fix = 'set PRISMA_BACKUP_METRICS_ADDRESS to a free host:port, or off.';
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`Cannot serve metrics on ${where} (${err.code ?? err.message}): ${fix}`)),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${address.port}${METRICS_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
