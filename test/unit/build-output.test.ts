// The build (dist/, and so the image) holds the product only: src/, never the tooling beside it.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('build output', function () {
  this.timeout(60_000);

  it('compiles src/ alone: no simulator, local Temporal launcher, demo, reliability harness or test', () => {
    const listed = execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const ours = listed
      .split('\n')
      .filter((file) => file && !file.includes('/node_modules/'))
      .map((file) => path.relative(ROOT, file));
    assert.ok(ours.includes(path.join('src', 'worker.ts')) && ours.includes(path.join('src', 'starter.ts')), ours.join('\n'));
    assert.deepEqual(
      ours.filter((file) => !file.startsWith(`src${path.sep}`)),
      [],
    );
  });
});
