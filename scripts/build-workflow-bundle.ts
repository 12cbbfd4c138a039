// Prebuilds the workflow bundle beside the compiled worker, so a worker never bundles at start.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildWorkflowBundle } from '../src/temporal/workflow-bundle';

async function main() {
  const { code } = await buildWorkflowBundle();
  const out = path.resolve(__dirname, '../src/workflow-bundle.js');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, code);
  console.log(`Workflow bundle written: ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
