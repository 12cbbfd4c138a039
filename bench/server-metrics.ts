// The dev server's own Prometheus metrics: which requests it served, by operation. The dev server
// serves them on a port of its choosing, found here among the ports its process listens on.
import { listenersOf } from '../reliability/listeners';

export interface ServerRequests {
  /** gRPC requests the frontend served (`service_requests` of service frontend), by operation. */
  frontend: Record<string, number>;
  /** Requests to the server's stores, history and visibility (`persistence_requests`), by operation. */
  persistence: Record<string, number>;
}

/** One counter's values by operation, summed over its other labels (`where` filters on them). Pure. */
export function countsByOperation(metricsText: string, metric: string, where?: RegExp): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of metricsText.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\}\s+([0-9.eE+-]+)$/.exec(line.trim());
    if (!match || match[1] !== metric || (where && !where.test(match[2]))) continue;
    const operation = /operation="([^"]+)"/.exec(match[2])?.[1];
    if (operation) counts[operation] = (counts[operation] ?? 0) + Number(match[3]);
  }
  return counts;
}

export const serverRequestsOf = (metricsText: string): ServerRequests => ({
  frontend: countsByOperation(metricsText, 'service_requests', /service_name="frontend"/),
  persistence: countsByOperation(metricsText, 'persistence_requests'),
});

/** `(after − before) / per`, by operation; operations that did not change left out. Pure. */
export function countsDelta(before: Record<string, number>, after: Record<string, number>, per = 1): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([operation, count]): [string, number] => [operation, (count - (before[operation] ?? 0)) / per])
      .filter(([, delta]) => delta > 0),
  );
}

export const requestsDelta = (before: ServerRequests, after: ServerRequests, per = 1): ServerRequests => ({
  frontend: countsDelta(before.frontend, after.frontend, per),
  persistence: countsDelta(before.persistence, after.persistence, per),
});

/** Reads the server's request counts; undefined when its metrics endpoint is not found. */
export async function serverMetrics(pid: number): Promise<(() => Promise<ServerRequests>) | undefined> {
  for (const { port } of await listenersOf([{ pid, role: 'dev server', descendants: false }])) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
      const text = answer.ok ? await answer.text() : '';
      if (text.includes('service_requests')) {
        return async () => serverRequestsOf(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      }
    } catch {
      // Not HTTP, or not this.
    }
  }
  return undefined;
}
