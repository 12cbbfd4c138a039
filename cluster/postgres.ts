// PostgreSQL for the cluster: the system's binaries (Debian's `postgresql` package, installed with
// apt-get when missing), a data folder of our own in the cache folder, started by hand with pg_ctl on
// 127.0.0.1 only. initdb refuses to run as root, so as root every PostgreSQL command runs as the
// `postgres` user the package creates. The database superuser is `temporal` (as in docker-compose.yml),
// with a random password kept beside the data folder.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LOOPBACK, POSTGRES_MAX_CONNECTIONS, SHARED_SERVER_SETTINGS } from './topology';

const execFileAsync = promisify(execFile);
const OS_USER = 'postgres';
const DEBIAN_BIN_ROOT = '/usr/lib/postgresql';

export type StopMode = 'fast' | 'immediate';

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** `initdb`'s folder: CLUSTER_PG_BIN, else Debian's newest /usr/lib/postgresql/<major>/bin, else PATH. */
function findBinDir(): string | undefined {
  const given = process.env.CLUSTER_PG_BIN;
  if (given) {
    if (!existsSync(path.join(given, 'initdb'))) throw new Error(`CLUSTER_PG_BIN=${given} holds no initdb: fix or unset it.`);
    return given;
  }
  if (existsSync(DEBIAN_BIN_ROOT)) {
    const majors = readdirSync(DEBIAN_BIN_ROOT)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(DEBIAN_BIN_ROOT, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length > 0) return path.join(DEBIAN_BIN_ROOT, majors[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

/** Debian's `postgresql` through apt-get, as root or with password-less sudo; otherwise says what to do. */
async function installWithApt(log: (line: string) => void): Promise<void> {
  const manual =
    'install PostgreSQL (Debian/Ubuntu: `sudo apt-get install postgresql`), or set CLUSTER_PG_BIN to the folder holding its initdb and pg_ctl.';
  if (!existsSync('/usr/bin/apt-get')) throw new Error(`PostgreSQL is not installed and there is no apt-get here: ${manual}`);
  let asRoot: string[] = [];
  if (!isRoot()) {
    try {
      await execFileAsync('sudo', ['-n', 'true']);
      asRoot = ['sudo', '-n'];
    } catch {
      throw new Error(`PostgreSQL is not installed, and installing it needs root or password-less sudo: ${manual}`);
    }
  }
  const apt = [...asRoot, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-q', '-o', 'DPkg::Lock::Timeout=120'];
  log('PostgreSQL is not installed: apt-get install postgresql ...');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const [command, ...rest] = [...apt, ...args];
    await execFileAsync(command, rest, { maxBuffer: 64 * 1024 * 1024 });
  }
}

/** The pid in postmaster.pid, if that process is alive and a postgres (a crash may leave a pid now used by something else). */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (existsSync('/proc') && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export class Postgres {
  private constructor(
    private readonly binDir: string,
    /** Owned by the user PostgreSQL runs as: data/, the socket and the server log. */
    private readonly home: string,
    readonly port: number,
    readonly password: string,
    /** `psql (PostgreSQL) 15.x ...` */
    readonly version: string,
  ) {}

  /**
   * Finds (or installs) PostgreSQL and creates the data folder under `stateDir` on first use, or anew
   * with `fresh` (stopping a server a killed run left on it). Starts nothing.
   */
  static async prepare(stateDir: string, port: number, log: (line: string) => void, fresh = false): Promise<Postgres> {
    let binDir = findBinDir();
    if (!binDir) {
      await installWithApt(log);
      binDir = findBinDir();
      if (!binDir) throw new Error('apt-get installed postgresql, but no initdb was found under /usr/lib/postgresql.');
    }
    const home = path.join(stateDir, 'postgres');
    const passwordFile = path.join(stateDir, 'postgres.password');
    const asUser = isRoot() ? Postgres.osUser() : undefined;
    mkdirSync(home, { recursive: true, mode: 0o700 });
    if (asUser) chownSync(home, asUser.uid, asUser.gid);
    const version = Postgres.runSync(binDir, 'postgres', ['--version']).trim();
    if (fresh) {
      if (postmasterPid(path.join(home, 'data')) !== undefined) {
        Postgres.runSync(binDir, 'pg_ctl', ['stop', '-D', path.join(home, 'data'), '-m', 'immediate', '-w']);
      }
      rmSync(path.join(home, 'data'), { recursive: true, force: true });
    }

    if (!existsSync(path.join(home, 'data', 'PG_VERSION'))) {
      rmSync(path.join(home, 'data'), { recursive: true, force: true });
      const password = randomBytes(18).toString('hex');
      // initdb reads the superuser's password from a file the server's user can read; gone right after.
      const pwfile = path.join(home, 'initdb-password');
      writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (asUser) chownSync(pwfile, asUser.uid, asUser.gid);
      log(`initdb (${version}) in ${path.relative(process.cwd(), home) || home}${asUser ? ', as the postgres user' : ''}`);
      try {
        Postgres.runSync(binDir, 'initdb', [
          '-D',
          path.join(home, 'data'),
          '-U',
          SHARED_SERVER_SETTINGS.POSTGRES_USER,
          `--pwfile=${pwfile}`,
          '--auth-host=scram-sha-256',
          '--auth-local=peer',
          '--encoding=UTF8',
          '--locale=C',
        ]);
      } finally {
        rmSync(pwfile, { force: true });
      }
      writeFileSync(passwordFile, password, { mode: 0o600 });
    }
    if (!existsSync(passwordFile)) throw new Error(`${passwordFile} is missing: remove ${home} to start over with a new database.`);
    return new Postgres(binDir, home, port, readFileSync(passwordFile, 'utf8').trim(), version);
  }

  private static osUser(): { uid: number; gid: number } {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, OS_USER], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new Error(
        `initdb refuses to run as root, and there is no "${OS_USER}" user to run PostgreSQL as: create one (Debian's postgresql package does), or run this as a non-root user.`,
      );
    }
  }

  /** A PostgreSQL program, as the postgres user when we are root. */
  private static command(binDir: string, program: string, args: string[]): [string, string[]] {
    const file = path.join(binDir, program);
    return isRoot() ? ['runuser', ['-u', OS_USER, '--', file, ...args]] : [file, args];
  }

  private static runSync(binDir: string, program: string, args: string[]): string {
    const [command, rest] = Postgres.command(binDir, program, args);
    try {
      return execFileSync(command, rest, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      const detail = e.stderr?.toString().trim() || e.message;
      if (/Permission denied/i.test(detail) && isRoot()) {
        throw new Error(
          `${program} failed: ${detail}\nThe postgres user must reach the cluster folder: make its parent folders searchable (chmod o+x), or set CLUSTER_DIR to a folder it can reach.`,
        );
      }
      throw new Error(`${program} ${args.join(' ')} failed: ${detail}`);
    }
  }

  private run(program: string, args: string[]): Promise<void> {
    const [command, rest] = Postgres.command(this.binDir, program, args);
    return new Promise((resolve, reject) => {
      // detached: the server pg_ctl starts is in a process group of its own, out of reach of a terminal's
      // Ctrl-C, so that the Temporal services are stopped before it.
      const child = spawn(command, rest, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`${program} ${args.join(' ')} failed: ${stderr.trim()}\n${this.logTail()}`)),
      );
    });
  }

  get dataDir(): string {
    return path.join(this.home, 'data');
  }

  get logFile(): string {
    return path.join(this.home, 'postgresql.log');
  }

  /** The postmaster's pid while it runs. */
  get pid(): number | undefined {
    return postmasterPid(this.dataDir);
  }

  /** pg_ctl start, waiting until it accepts connections. Listens on 127.0.0.1 only, socket in our folder. */
  async start(): Promise<void> {
    if (this.pid !== undefined) {
      // Left running by a run that was killed: stopped, so this start gets the options below.
      await this.stop('fast');
    }
    const socketDir = path.join(this.home, 'run');
    if (socketDir.includes("'")) throw new Error(`The cluster folder ${socketDir} may not contain a quote.`);
    mkdirSync(socketDir, { recursive: true });
    if (isRoot()) {
      const { uid, gid } = Postgres.osUser();
      chownSync(socketDir, uid, gid);
    }
    const settings = [
      `listen_addresses=${LOOPBACK}`,
      `port=${this.port}`,
      `unix_socket_directories='${socketDir}'`,
      `max_connections=${POSTGRES_MAX_CONNECTIONS}`,
    ];
    await this.run('pg_ctl', [
      'start',
      '-D',
      this.dataDir,
      '-l',
      this.logFile,
      '-w',
      '-t',
      '120',
      '-o',
      settings.map((s) => `-c ${s}`).join(' '),
    ]);
  }

  /** pg_ctl stop: `fast` disconnects clients and shuts down cleanly; `immediate` is a crash (recovery at the next start). */
  async stop(mode: StopMode): Promise<void> {
    if (this.pid === undefined) return;
    await this.run('pg_ctl', ['stop', '-D', this.dataDir, '-m', mode, '-w', '-t', '120']);
  }

  /** For process exit handlers, which cannot wait for promises. */
  stopSync(): void {
    if (this.pid === undefined) return;
    try {
      Postgres.runSync(this.binDir, 'pg_ctl', ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30']);
    } catch {
      // Nothing more can be done while exiting.
    }
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
