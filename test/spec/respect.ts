// Running an Arazzo document with Redocly Respect (`redocly respect`, from the CLI we lint with) over
// real loopback HTTP, for arazzo-respect.test.ts (the two successful workflows, in `npm test`) and
// arazzo-respect.slow.test.ts (their failure paths, in `npm run test:all`).
//
// Each run uses a copy of the document in a temporary directory with two changes only: the source
// description is referenced by its absolute path (the copy is elsewhere), and `retryAfter` is cut
// from 30 s to 0.05 s (and `retryLimit` lowered where a test says so) so that the polls take no time.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const ARAZZO_DIR = path.join(ROOT, 'spec', 'arazzo');
const REDOCLY = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
export const TOKEN = 'arazzo-test-token-7d21';

export interface Prepared {
  file: string;
  dir: string;
}

/** A runnable copy of spec/arazzo/<name>: absolute source description, quick retries. */
export function prepare(name: string, retryLimits: Record<string, number> = {}): Prepared {
  const doc = parse(fs.readFileSync(path.join(ARAZZO_DIR, name), 'utf8'));
  for (const source of doc.sourceDescriptions) source.url = path.resolve(ARAZZO_DIR, source.url);
  for (const workflow of doc.workflows) {
    for (const step of workflow.steps) {
      for (const action of step.onFailure ?? []) {
        if (action.type !== 'retry') continue;
        action.retryAfter = 0.05;
        if (retryLimits[action.name] !== undefined) action.retryLimit = retryLimits[action.name];
      }
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arazzo-respect-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify(doc));
  return { file, dir };
}

export interface RespectRun {
  exitCode: number;
  output: string;
  /** 'success' or 'error' */
  workflowStatus: string;
  /** stepIds in the order Respect executed them, with their status */
  steps: { stepId: string; status: string }[];
  /** The URL of each request, in order. */
  urls: string[];
}

export function respect(prepared: Prepared, server: string, inputs: Record<string, string>): Promise<RespectRun> {
  const report = path.join(prepared.dir, 'report.json');
  const args = [REDOCLY, 'respect', prepared.file, '--server', server, '--json-output', report];
  for (const [key, value] of Object.entries(inputs)) args.push('--input', `${key}=${value}`);
  // Telemetry off (also set in redocly.yaml): the runner must not try to reach the network.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', NO_COLOR: '1' };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: prepared.dir, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const output = `${stdout}\n${stderr}`;
      if (!fs.existsSync(report)) return reject(new Error(`respect wrote no report (exit ${exitCode}):\n${output}`));
      const json = JSON.parse(fs.readFileSync(report, 'utf8'));
      const [workflow] = (Object.values(json.files)[0] as any).executedWorkflows;
      const steps = workflow.executedSteps.map((step: any) => ({ stepId: step.stepId, status: step.status }));
      const urls = workflow.executedSteps.map((step: any) => step.request?.url);
      resolve({ exitCode, output, workflowStatus: workflow.status, steps, urls });
    });
  });
}

export const stepIds = (run: RespectRun) => run.steps.map((step) => step.stepId);

/** prepare(), with the copies removed by cleanUp() (call it in `after`). */
export function preparedCopies() {
  const dirs: string[] = [];
  return {
    prepared(name: string, retryLimits?: Record<string, number>): Prepared {
      const copy = prepare(name, retryLimits);
      dirs.push(copy.dir);
      return copy;
    },
    cleanUp(): void {
      for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
