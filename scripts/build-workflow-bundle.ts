// Prebuilds the workflow bundle (dist/workflow-bundle.js) so a production worker does not bundle at start.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildWorkflowBundle } from '../src/temporal/workflow-bundle';

async function main() {
  const { code } = await buildWorkflowBundle();
  const out = path.resolve(__dirname, '../dist/workflow-bundle.js');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, code);
  console.log(`Workflow bundle written: dist/workflow-bundle.js (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
