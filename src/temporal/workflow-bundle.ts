// The workflow code as one bundle: built once and shared (tests, reliability workers) or written to dist/ for production workers.
import { bundleWorkflowCode } from '@temporalio/worker';

/** Bundled with the workflows: run metrics through a sink, and the database id on workflow log lines. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/interceptors')];
const quiet = () => undefined;
/** The bundler logs each step at INFO; callers print what matters themselves. */
const quietLogger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet };

/** The product's workflows by default; the benchmark adds a no-op workflow of its own beside them. */
export async function buildWorkflowBundle(workflowsPath = require.resolve('../workflows')): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietLogger,
  });
  return { code };
}
