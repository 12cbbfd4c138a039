// A pass-through HTTP proxy on 127.0.0.1 between a worker and its simulator that can drop one
// answer: the request goes through whole (the simulator holds it as its faults say, then applies
// it), and once the simulator has answered, the worker's socket is destroyed instead. The
// simulator's own faults cannot do both on one request (a delay and then a reset). Nothing is
// logged: the requests carry the token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class AnswerDropper {
  /** Paths whose next POST loses its answer. */
  private readonly armed = new Set<string>();
  /** Paths whose answer was dropped, in order. */
  readonly dropped: string[] = [];
  private readonly agent = new http.Agent({ keepAlive: false });

  private readonly server: http.Server;

  private constructor(private readonly target: URL) {
    this.server = http.createServer((req, res) => this.forward(req, res));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The proxy's base URL, with the simulator's path (…/v1). */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.target.pathname.replace(/\/+$/, '')}`;
  }

  /** Proxies to `targetUrl` (the simulator's base URL, e.g. http://127.0.0.1:PORT/v1). */
  static async start(targetUrl: string): Promise<AnswerDropper> {
    const dropper = new AnswerDropper(new URL(targetUrl));
    const { server } = dropper;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return dropper;
  }

  /** The next POST to `path` (as sent, e.g. /v1/databases/db_x/restore) has its answer dropped. */
  arm(path: string): void {
    this.armed.add(path);
  }

  /** Requests received, and those whose client had gone before the simulator answered (for the report). */
  readonly counts = { received: 0, clientGoneFirst: 0 };

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { target } = this;
    this.counts.received += 1;
    const path = (req.url ?? '/').split('?')[0];
    const drop = req.method === 'POST' && this.armed.delete(path);
    // The whole request is read first, then sent on: a client that gave up after sending it (its
    // timeout, its worker killed) does not take it back, as it would not from a real API.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {});
    req.once('end', () => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
        (answer) => {
          if (res.destroyed) this.counts.clientGoneFirst += 1;
          if (drop) {
            answer.resume();
            this.dropped.push(path);
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
    res.on('error', () => {});
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }
}
