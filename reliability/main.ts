// `npm run test:reliability`: the full reliability run (RELIABILITY_MODE=fast for the short one that
// `npm test` also runs; RELIABILITY_PROFILES=prisma|seed|prisma,seed for other profiles than the mode's;
// RELIABILITY_LANES=crash,server-restart,faults,load,held-request for some suites only). Uses the Temporal that TEMPORAL_ADDRESS (or a profile) names, otherwise
// starts a dev server of its own. Prints the table, writes test-artifacts/reliability/report.{md,json},
// exits 1 when any invariant is broken. RELIABILITY_SEED replays a kill schedule.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modeFrom } from './modes';
import { seedFrom } from './random';
import { formatTable } from './report';
import { runReliability } from './run-reliability';
import { temporalConfig } from '../src/temporal/connect';
import { PROJECT_ROOT, startDevServer, type DevServer } from '../local-temporal';

const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test-artifacts', 'reliability');

async function main(): Promise<number> {
  const mode = modeFrom(process.env.RELIABILITY_MODE, 'full', process.env.RELIABILITY_PROFILES, process.env.RELIABILITY_LANES);
  const seed = seedFrom(process.env.RELIABILITY_SEED);
  const config = temporalConfig();
  let server: DevServer | undefined;
  let scratch: string | undefined;
  try {
    if (!config.configured) {
      scratch = mkdtempSync(path.join(os.tmpdir(), 'reliability-temporal-'));
      server = await startDevServer({ dbFilename: path.join(scratch, 'temporal.sqlite'), headless: true });
    }
    const temporal = server
      ? { address: server.address, namespace: server.namespace }
      : { address: config.connectionOptions.address, namespace: config.namespace };
    console.log(
      `Reliability, ${mode.name} mode, profiles ${mode.profiles.join(', ')}, suites ${mode.lanes.join(', ')}, seed ${seed}, Temporal at ${temporal.address}${server ? ' (started here)' : ''}`,
    );
    const report = await runReliability({
      mode,
      seed,
      temporal,
      sharedServerPid: server?.pid,
      artifactsDir: ARTIFACTS_DIR,
      progress: (line) => console.log(`  ${line}`),
    });
    console.log(`\n${formatTable(report)}\n`);
    console.log(
      `${(report.durationMs / 1000).toFixed(1)} s. Report: ${path.relative(process.cwd(), path.join(ARTIFACTS_DIR, 'report.md'))} (and report.json)`,
    );
    if (report.violations.length > 0) {
      console.log(`\nVIOLATIONS:\n${report.violations.map((v) => `  - ${v}`).join('\n')}`);
      return 1;
    }
    console.log('No violations.');
    return 0;
  } finally {
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

// A signal ends the process through 'exit', where the worker children and dev servers are killed.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
