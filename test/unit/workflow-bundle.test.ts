// The workflow code must bundle for Temporal's sandbox: no Node built-ins, no I/O libraries.
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { workflowBundle } from '../support/harness';

const WORKFLOWS_DIR = path.join(__dirname, '../../src/workflows');
const FORBIDDEN = new Set([
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  'got',
  '@temporalio/activity',
  '@temporalio/worker',
  '@temporalio/client',
]);

describe('workflow bundle', function () {
  this.timeout(60_000);

  it('builds', async () => {
    const { code } = await workflowBundle();
    assert.ok(code.includes('backupAndRestoreDatabase'));
  });

  it('imports no Node built-in, no got and no activity code at run time', () => {
    const imports = readdirSync(WORKFLOWS_DIR)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)'/gms)].map(
          (m) => `${file}: ${m[1]}`,
        ),
      );
    assert.ok(imports.length > 0);
    const bad = imports.filter((line) => FORBIDDEN.has(line.split(': ')[1]) || line.endsWith('/activities'));
    assert.deepEqual(bad, []);
  });
});
