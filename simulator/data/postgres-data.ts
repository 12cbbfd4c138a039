// The simulator's real data: opens databases within maxLiveDatabases, closes them, runs the timers
// that end backups, keeps the prisma profile's shared empty database, and gives the handle its
// connection strings and SQL.
import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import type { DataMethods } from '../types';
import { LiveDatabase } from './live-database';
import { Snapshot } from './snapshot';

/** The shared empty database listens on loopback whatever the simulator's host. */
const SHARED_HOST = '127.0.0.1';

export interface PostgresDataSettings {
  /** Where each database of its own listens (the simulator's host). */
  host: string;
  maxLiveDatabases: number;
  log: (line: string) => void;
}

export class PostgresData {
  private readonly live = new Set<LiveDatabase>();
  private readonly closing = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Where connections of databases without data of their own lead; not counted in maxLiveDatabases. */
  private sharedDatabase?: LiveDatabase;
  /** The handle's connection strings carry it; PGlite accepts any user and password. */
  private readonly password = randomBytes(12).toString('hex');

  constructor(readonly settings: PostgresDataSettings) {}

  /** Why no other database can be opened now, naming the option; undefined when one can. */
  limitReached(): string | undefined {
    const { maxLiveDatabases } = this.settings;
    if (this.live.size < maxLiveDatabases) return undefined;
    return (
      `The simulator already holds ${maxLiveDatabases} databases with real data (maxLiveDatabases, each an ` +
      'in-memory Postgres); delete one, or start the simulator with a larger maxLiveDatabases'
    );
  }

  /** How many more databases can be opened now. */
  freePlaces(): number {
    return Math.max(0, this.settings.maxLiveDatabases - this.live.size);
  }

  /** The one empty database shared by every database without data of its own, opened on the first call. */
  shared(): LiveDatabase {
    this.sharedDatabase ??= this.watch(
      new LiveDatabase('shared', SHARED_HOST, emptySnapshot(), Promise.resolve()),
      'the shared empty database',
    );
    return this.sharedDatabase;
  }

  /** A database holding `from`'s data, or an empty one. Throws when maxLiveDatabases are held. */
  open(databaseId: string, from?: Snapshot): LiveDatabase {
    const refused = this.limitReached();
    if (refused) throw new Error(refused);
    // Databases still closing hold their memory until they are gone.
    const db = new LiveDatabase(databaseId, this.settings.host, from ?? emptySnapshot(), Promise.all(this.closing));
    this.live.add(db);
    return this.watch(db, `database ${databaseId}`);
  }

  drop(db: LiveDatabase): void {
    if (!this.live.delete(db)) return;
    this.closeDatabase(db);
  }

  /** Every database, the shared one too, and pending timers: for reset and close. */
  dropAll(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    [...this.live].forEach((db) => this.drop(db));
    if (this.sharedDatabase) this.closeDatabase(this.sharedDatabase);
    this.sharedDatabase = undefined;
  }

  /** Runs `action` after `ms` of real time, unless dropAll comes first. */
  schedule(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Logs a failure of background work (the data itself records it; nobody else may be waiting). */
  report(work: Promise<unknown>, what: string): Promise<void> {
    return work.then(
      () => {},
      (err: unknown) => this.settings.log(`simulator: ${what} failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /** Resolves when the data work started so far is done; rejects with the first database that failed to load. */
  async settled(): Promise<void> {
    const open = [...this.live, ...(this.sharedDatabase ? [this.sharedDatabase] : [])];
    await Promise.all([...open.map((db) => db.idle()), ...this.closing]);
    const failed = open.find((db) => db.failure);
    if (failed?.failure) throw new Error(`Database ${failed.id} failed to load: ${failed.failure.message}`);
  }

  async close(): Promise<void> {
    this.dropAll();
    await Promise.all(this.closing);
  }

  private watch(db: LiveDatabase, what: string): LiveDatabase {
    void this.report(db.ready, `loading ${what}`);
    return db;
  }

  private closeDatabase(db: LiveDatabase): void {
    const closed = this.report(db.close(), `closing database ${db.id}`);
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
  }

  /** The handle's methods over the profile's databases; `find` answers undefined for an unknown id. */
  methods(find: (databaseId: string) => LiveDatabase | undefined): DataMethods {
    const connectionString = async (databaseId: string) => {
      const db = find(databaseId);
      if (!db) throw new Error(`No database ${databaseId} in the simulator`);
      await db.listening;
      return postgresUrl(db.host, db.port, 'postgres', this.password);
    };
    return {
      connectionString,
      async sql(databaseId, text, params) {
        const client = new Client({ connectionString: await connectionString(databaseId) });
        // A session ended by a restore emits 'error' besides failing the query.
        client.on('error', () => {});
        await client.connect();
        try {
          return (await client.query(text, params)).rows;
        } finally {
          await client.end();
        }
      },
      settled: () => this.settled(),
    };
  }
}

/** The handle's methods when the simulator keeps metadata only. */
export function metadataOnlyMethods(): DataMethods {
  const refuse = () =>
    Promise.reject(new Error("The simulator keeps metadata only; start it with data: 'postgres' for databases that hold data"));
  return { connectionString: refuse, sql: refuse, settled: () => Promise.resolve() };
}

/** A postgres:// URL; PGlite's socket server speaks no TLS, so clients are told not to ask. */
export function postgresUrl(host: string, port: number, user: string, password: string): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${hostPart}:${port}/postgres?sslmode=disable`;
}

let emptyDump: Promise<Blob> | undefined;

/**
 * A fresh cluster, dumped once per process: loading it takes about a second, running initdb again
 * several. Kept uncompressed (about 40 MB), as decompressing it would slow every new database.
 */
export function emptySnapshot(): Snapshot {
  if (!emptyDump) {
    emptyDump = createEmptyDump();
    emptyDump.catch(() => (emptyDump = undefined)); // the next database tries again
  }
  return new Snapshot(emptyDump);
}

async function createEmptyDump(): Promise<Blob> {
  const pglite = await PGlite.create();
  try {
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}
