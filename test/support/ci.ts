// Whether the tests run in CI, where a missing tool (Chromium, promtool) must fail the run rather than
// skip a test.

/** True in CI (CI=true, as CI services and `.ci/run` set it). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) && !['0', 'false', 'no'].includes(String(env.CI).toLowerCase());
}
