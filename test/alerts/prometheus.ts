// The example Prometheus files (deploy/prometheus/), and promtool, Prometheus's checker for them:
// Debian's `prometheus` package (or PROMTOOL_PATH).
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

export const PROMETHEUS_DIR = path.join(__dirname, '..', '..', 'deploy', 'prometheus');
export const RULES_FILE = path.join(PROMETHEUS_DIR, 'alerts.yml');
/** The scrape job of the workers, which the alert rules select. */
export const WORKER_JOB = 'prisma-backup-worker';

/** The part of a Prometheus configuration file the tests read. */
export interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: Array<{
    job_name: string;
    static_configs?: Array<{ targets: string[] }>;
    dns_sd_configs?: Array<{ names: string[]; type: string; port: number }>;
  }>;
}

export const INSTALL_HINT =
  'Install it with `apt-get install --no-install-recommends prometheus` (Debian/Ubuntu; `.ci/run` extracts ' +
  'promtool from that package in CI), or set PROMTOOL_PATH to a promtool executable.';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executable to use (PROMTOOL_PATH, else `promtool` on PATH), or why there is none. */
export function findPromtool(env: NodeJS.ProcessEnv = process.env): { path: string } | { problem: string } {
  const configured = env.PROMTOOL_PATH;
  if (configured) {
    return executable(configured)
      ? { path: configured }
      : { problem: `PROMTOOL_PATH is ${configured}, which is not an executable file. ${INSTALL_HINT}` };
  }
  const found = (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'promtool'))
    .find(executable);
  return found ? { path: found } : { problem: `No promtool on PATH. ${INSTALL_HINT}` };
}
