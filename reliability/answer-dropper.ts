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

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { target } = this;
    const path = (req.url ?? '/').split('?')[0];
    const drop = req.method === 'POST' && this.armed.delete(path);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
      (answer) => {
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
    // A client that gave up does not take the request back: the simulator still answers (into nothing).
    upstream.on('error', () => req.socket.destroy());
    res.on('error', () => {});
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
  }
}
