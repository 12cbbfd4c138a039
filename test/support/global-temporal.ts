// Mocha global fixture (loaded through .mocharc.json `require`): one Temporal dev server for the whole run.
//
// - TEMPORAL_ADDRESS set (CI, or a server you started with `npm run temporal:dev`): nothing is started.
// - Otherwise a dev server is started on free 127.0.0.1 ports with a throwaway sqlite file, and
//   TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_UI_URL are set for the tests (see test/support/temporal.ts).
// - When every loaded test file is under test/unit/ (`npm run test:unit`), no server is started.

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type DevServer, startDevServer } from '../../local-temporal';

let server: DevServer | undefined;
let tempDir: string | undefined;

const UNIT_DIR = path.join(__dirname, '..', 'unit') + path.sep;

function loadedTestFiles(suite: Mocha.Suite | undefined, files = new Set<string>()): Set<string> {
  if (!suite) return files;
  if (suite.file) files.add(suite.file);
  for (const test of suite.tests) if (test.file) files.add(test.file);
  for (const child of suite.suites) loadedTestFiles(child, files);
  return files;
}

/** True when the run only has unit tests (in parallel mode files are not loaded here: then we start a server). */
function onlyUnitTests(runner: Mocha.Runner | undefined): boolean {
  const files = [...loadedTestFiles(runner?.suite)];
  return files.length > 0 && files.every((file) => path.resolve(file).startsWith(UNIT_DIR));
}

export async function mochaGlobalSetup(this: Mocha.Runner): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS || onlyUnitTests(this)) return;
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'temporal-tests-'));
  const started = Date.now();
  server = await startDevServer({ dbFilename: path.join(tempDir, 'temporal.sqlite') });
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  if (server.uiUrl) process.env.TEMPORAL_UI_URL = server.uiUrl;
  console.log(
    `  Temporal dev server for the tests at ${server.address}` +
      (server.uiUrl ? ` (Web UI ${server.uiUrl})` : '') +
      `, ready in ${Date.now() - started} ms`,
  );
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (server) {
    await server.stop();
    server = undefined;
    delete process.env.TEMPORAL_ADDRESS;
    delete process.env.TEMPORAL_NAMESPACE;
    delete process.env.TEMPORAL_UI_URL;
  }
  if (tempDir) {
    await fs.rm(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  }
}
