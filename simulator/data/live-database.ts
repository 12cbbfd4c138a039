// One stand-in database that holds real data: a PGlite instance behind PGlite's socket server,
// reached through a listener of its own. A restore swaps the instance but not that listener, so the
// database keeps its address, as a real one keeps its host name.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import net from 'net';
import { Snapshot } from './snapshot';

/** Sessions one instance serves at once (pg's Pool opens up to 10). */
const MAX_SESSIONS = 32;
/** The instance's own socket server is reached only through the listener, over loopback. */
const BACKEND_HOST = '127.0.0.1';

interface Backend {
  pglite: PGlite;
  server: PGLiteSocketServer;
  port: number;
}

export class LiveDatabase {
  /** Settles once the address is bound; until then `port` throws. */
  readonly listening: Promise<void>;
  /** Settles once the first data is served; rejects when it could not be loaded. */
  readonly ready: Promise<void>;
  /** Why the latest load failed; cleared by the next load that succeeds. */
  failure?: Error;
  private readonly listener: net.Server;
  private readonly sessions = new Set<net.Socket>();
  /** The instance serving now; undefined while none is up (loading, failed or closed). */
  private current?: Backend;
  /** Where new sessions go: settles when the latest load queued so far is done. */
  private serving: Promise<Backend | undefined> = Promise.resolve(undefined);
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private loads = 0;
  private closed = false;

  /** Starts loading `from` once `after` settles (databases being closed free their memory first). */
  constructor(
    readonly id: string,
    /** Where clients connect: the simulator's host. */
    readonly host: string,
    from: Snapshot,
    after: Promise<unknown>,
  ) {
    this.listener = net.createServer((client) => this.accept(client));
    this.listening = new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(0, host, () => resolve());
    });
    this.listening.catch(() => {}); // reported to whoever asks for the address
    this.ready = this.load(from, after);
  }

  get port(): number {
    const address = this.listener.address();
    if (address === null || typeof address === 'string') throw new Error(`Database ${this.id} is not listening`);
    return address.port;
  }

  /** True while a load (the first one, or a restore) is queued or running. */
  get loading(): boolean {
    return this.loads > 0;
  }

  /**
   * The data as it is now. PGlite runs queries and dumps one at a time, in the order asked, so a
   * dump asked for at once holds every query before it and none after; only a pending load comes first.
   */
  snapshot(): Snapshot {
    const dump = () => {
      if (!this.current) throw new Error(`Database ${this.id} has no data to snapshot: ${this.failure?.message ?? 'it is closed'}`);
      return this.current.pglite.dumpDataDir('gzip');
    };
    return new Snapshot(this.run(dump, this.loads === 0));
  }

  /** Replaces the data with the snapshot's, ending open sessions as a restore does; resolves once the new data is served. */
  replace(snapshot: Snapshot): Promise<void> {
    return this.load(snapshot, undefined);
  }

  /** Stops serving: the address at once, the instance after the work queued before. */
  close(): Promise<void> {
    this.closed = true;
    this.serving = Promise.resolve(undefined);
    this.endSessions();
    const released = this.listening.then(
      () => new Promise<void>((resolve) => this.listener.close(() => resolve())),
      () => {},
    );
    return this.run(async () => {
      await this.stopCurrent();
      await released;
    });
  }

  /** Resolves when the work queued so far (and any queued meanwhile) is done. */
  async idle(): Promise<void> {
    while (this.queued > 0) await this.tail;
  }

  private load(from: Snapshot, after: Promise<unknown> | undefined): Promise<void> {
    this.loads += 1;
    let settle: (backend: Backend | undefined) => void = () => {};
    // Sessions opened from now on wait for the new data rather than see the old.
    this.serving = new Promise((resolve) => (settle = resolve));
    const loaded = this.run(async () => {
      try {
        await after;
        const bytes = await from.bytes();
        this.endSessions();
        await this.stopCurrent();
        this.current = await startBackend(bytes);
        this.failure = undefined;
      } catch (err) {
        this.failure = err instanceof Error ? err : new Error(String(err));
        throw this.failure;
      } finally {
        this.loads -= 1;
        settle(this.closed ? undefined : this.current);
      }
    });
    loaded.catch(() => {}); // kept in `failure`; callers that await it still see the rejection
    return loaded;
  }

  /**
   * Runs `step` after the work queued before it, or synchronously, at once, when none is queued or
   * `now` says it need not wait; either way later steps wait for it.
   */
  private run<T>(step: () => Promise<T>, now = false): Promise<T> {
    const result = this.queued === 0 || now ? new Promise<T>((resolve) => resolve(step())) : this.tail.then(step);
    this.queued += 1;
    const done = () => {
      this.queued -= 1;
    };
    this.tail = Promise.all([this.tail, result.then(done, done)]).then(() => {});
    return result;
  }

  /** Pipes a client to the instance serving; one arriving while a load is queued waits for the new data. */
  private accept(client: net.Socket): void {
    client.on('error', () => client.destroy());
    void this.serving.then((backend) => {
      if (!backend || this.closed || client.destroyed) return client.destroy();
      this.sessions.add(client);
      client.once('close', () => this.sessions.delete(client));
      const upstream = net.connect(backend.port, BACKEND_HOST);
      upstream.on('error', () => client.destroy());
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
  }

  private endSessions(): void {
    for (const client of this.sessions) client.destroy();
  }

  private async stopCurrent(): Promise<void> {
    const backend = this.current;
    this.current = undefined;
    if (!backend) return;
    await backend.server.stop();
    await backend.pglite.close();
  }
}

async function startBackend(bytes: Blob): Promise<Backend> {
  const pglite = await PGlite.create({ loadDataDir: bytes });
  try {
    const server = new PGLiteSocketServer({ db: pglite, host: BACKEND_HOST, port: 0, maxConnections: MAX_SESSIONS });
    await server.start();
    // getServerConn() is host:port once started on port 0.
    return { pglite, server, port: Number(server.getServerConn().split(':').pop()) };
  } catch (err) {
    await pglite.close();
    throw err;
  }
}
