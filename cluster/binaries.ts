// Temporal's server and SQL tool at TEMPORAL_SERVER_VERSION, built from source through the Go module
// proxy once and kept in the cache folder, with the module's PostgreSQL schema beside them (the SQL
// tool applies it). Temporal publishes no binaries on a package registry, hence `go install`; Go's
// own module and build caches make a rebuild after the folder was removed quick.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEMPORAL_SERVER_VERSION } from './topology';

const MODULE = 'go.temporal.io/server';
/** `go install` names a binary after its package folder; these are the names in Temporal's images. */
const PACKAGES = { server: 'cmd/server', sql: 'cmd/tools/sql' } as const;
const NAMES = { server: 'temporal-server', sql: 'temporal-sql-tool' } as const;
/** Written last: a folder without it is an interrupted build. */
const COMPLETE_MARKER = 'COMPLETE';

export interface TemporalBinaries {
  /** Folder holding temporal-server and temporal-sql-tool (put on PATH for the schema script). */
  binDir: string;
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the module: temporal/ and visibility/, each with versioned/. */
  postgresSchemaDir: string;
}

function binariesIn(dir: string): TemporalBinaries {
  const binDir = path.join(dir, 'bin');
  return {
    binDir,
    server: path.join(binDir, NAMES.server),
    sqlTool: path.join(binDir, NAMES.sql),
    postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
  };
}

/** The go.temporal.io/server module needs a newer Go than Debian ships; Go ≥ 1.21 fetches that toolchain itself. */
async function checkGo(): Promise<string> {
  let version: string;
  try {
    version = (await promisify(execFile)('go', ['version'])).stdout.trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new Error(
      `Go is not installed (no \`go\` on PATH). The cluster builds Temporal's server v${TEMPORAL_SERVER_VERSION} from source ` +
        'through the Go module proxy: install Go 1.21 or newer (https://go.dev/doc/install), which fetches the toolchain ' +
        'the server needs by itself, then run this again. The build takes about 4 minutes on 2 cores, once.',
    );
  }
  const m = /go(\d+)\.(\d+)/.exec(version);
  if (m && Number(m[1]) === 1 && Number(m[2]) < 21) {
    throw new Error(`${version} is too old to build Temporal's server v${TEMPORAL_SERVER_VERSION}: install Go 1.21 or newer.`);
  }
  return version;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: (line: string) => void },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // go prints its downloads here: passed on, so a first build shows it is doing something.
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) options.log(`  ${line}`);
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${stderr.slice(-3000)}`)),
    );
  });
}

/** Copies from the read-only module cache leave read-only folders, which nobody but root could delete. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) makeWritable(file);
    else chmodSync(file, 0o644);
  }
}

/**
 * The binaries of TEMPORAL_SERVER_VERSION under `cacheDir`, built first when they are not there.
 * `log` hears what is going on (a first build takes minutes).
 */
export async function ensureTemporalBinaries(cacheDir: string, log: (line: string) => void): Promise<TemporalBinaries> {
  const dir = path.join(cacheDir, `temporal-server-v${TEMPORAL_SERVER_VERSION}`);
  if (existsSync(path.join(dir, COMPLETE_MARKER))) return binariesIn(dir);

  const goVersion = await checkGo();
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'bin'), { recursive: true });
  const built = binariesIn(staging);
  const started = Date.now();
  log(`Building Temporal's server and SQL tool v${TEMPORAL_SERVER_VERSION} with ${goVersion} (go install; minutes the first time)...`);
  // Run outside any Go module, so only the pinned module versions count; static binaries, as in Temporal's images.
  const env = { ...process.env, GOBIN: built.binDir, CGO_ENABLED: '0' };
  await run('go', ['install', ...Object.values(PACKAGES).map((p) => `${MODULE}/${p}@v${TEMPORAL_SERVER_VERSION}`)], {
    cwd: staging,
    env,
    log,
  });
  for (const key of Object.keys(PACKAGES) as (keyof typeof PACKAGES)[]) {
    renameSync(path.join(built.binDir, path.basename(PACKAGES[key])), path.join(built.binDir, NAMES[key]));
  }
  // The module is in Go's module cache now; its schema is what the SQL tool applies.
  const { Dir: moduleDir } = JSON.parse(
    await run('go', ['mod', 'download', '-json', `${MODULE}@v${TEMPORAL_SERVER_VERSION}`], { cwd: staging, env, log }),
  ) as { Dir: string };
  cpSync(path.join(moduleDir, 'schema', 'postgresql', 'v12'), built.postgresSchemaDir, { recursive: true });
  makeWritable(path.join(staging, 'schema'));
  writeFileSync(path.join(staging, COMPLETE_MARKER), `${MODULE}@v${TEMPORAL_SERVER_VERSION}, ${goVersion}\n`);
  if (existsSync(path.join(dir, COMPLETE_MARKER))) {
    // Another process finished the same build first (and may be using it): keep its copy.
    rmSync(staging, { recursive: true, force: true });
  } else {
    rmSync(dir, { recursive: true, force: true }); // an interrupted build's leftovers
    renameSync(staging, dir);
  }
  log(`Built in ${Math.round((Date.now() - started) / 1000)} s; kept in ${path.relative(process.cwd(), dir) || dir}.`);
  return binariesIn(dir);
}
