// `npm run bench [-- --quick] [-- --only poll,history,scale,fleet,cold-start]`: poll efficiency,
// history size, scale, fleets and cold start, measured side by side in one run, printed as each
// section ends, then written to bench/results/latest.{json,md} and bench/results/polling.svg (quick
// mode: test-artifacts/bench/, so a smoke run leaves the committed figures alone).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { PROJECT_ROOT } from '../local-temporal';
import { PREDICTION } from '../src/shared/policy';
import { openBenchWorld, type BenchWorld } from './bench-worker';
import { measureColdStart } from './cold-start';
import { measureEndToEnd } from './end-to-end';
import { measureFleet, type FleetOptions } from './fleet';
import { measureHistory } from './history';
import {
  coldStartMarkdown,
  endToEndMarkdown,
  fleetMarkdown,
  goalsMarkdown,
  historyMarkdown,
  pollEfficiencyMarkdown,
  resultsMarkdown,
  scaleMarkdown,
} from './markdown';
import { runPollEfficiency } from './poll-efficiency';
import { pollingPlotSvg } from './polling-plot';
import { comparePolicies, evaluateGoals, type BenchResults, type Machine } from './results';
import { measureScale } from './scale';

const SECTIONS = ['poll', 'history', 'scale', 'fleet', 'cold-start'] as const;
type Section = (typeof SECTIONS)[number];

const BACKUP_SECONDS = [60, 600, 3600, 21600];
const EARLIER_RUNS = [0, PREDICTION.maxSamples];

/** Drills kept fast: databases provisioned in 0.5 s, looked at after 0.2 s, then up to every second. */
const DRILLS: Pick<FleetOptions, 'provisioningMs' | 'poll'> = {
  provisioningMs: 500,
  poll: { initialIntervalMs: 200, maximumIntervalMs: 1000 },
};

const MODES = {
  full: {
    samples: 2000,
    historyWaits: BACKUP_SECONDS.flatMap((backupSeconds) => EARLIER_RUNS.map((earlierRuns) => ({ backupSeconds, earlierRuns }))),
    scaleCounts: [100, 500, 1000],
    fleet: { databases: 200, concurrency: 20, parentDatabases: 1000, parentConcurrency: 50, ...DRILLS },
    coldStarts: 3,
  },
  quick: {
    samples: 200,
    historyWaits: [60, 3600].flatMap((backupSeconds) => EARLIER_RUNS.map((earlierRuns) => ({ backupSeconds, earlierRuns }))),
    scaleCounts: [20, 50],
    fleet: { databases: 20, concurrency: 5, parentDatabases: 260, parentConcurrency: 50, ...DRILLS },
    coldStarts: 1,
  },
} as const;

/** The issue's 1 min backup, on the real server (it runs while the history section does). */
const END_TO_END_BACKUP_SECONDS = 60;

/**
 * A run's wait is a handful of looks: an 8.5 s backup looked at after 0, 2, 6 and 10 s (jitter
 * cannot bring the fourth look before the completion, so every run makes four).
 */
const SCALE = {
  backupDurationMs: 8_500,
  poll: { initialIntervalMs: 2_000, maximumIntervalMs: 4_000 },
  sampledRuns: 50,
  startConcurrency: 50,
};

const cli = new Command('npm run bench --')
  .description('Poll efficiency, history size, scale, fleets and cold start, measured side by side.')
  .option('--quick', 'a smoke run: fewer samples and runs, results in test-artifacts/bench/')
  .addOption(new Option('--only <sections>', `comma-separated, of ${SECTIONS.join(', ')}`).default(SECTIONS.join(',')))
  .parse()
  .opts<{ quick?: boolean; only: string }>();

function machine(loadAtStart: number, during: number[]): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: { atStart: loadAtStart, during, atEnd: os.loadavg()[0] },
  };
}

async function main() {
  const began = Date.now();
  const [loadAtStart] = os.loadavg();
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(Math.round(os.loadavg()[0] * 100) / 100), 60_000);
  sampler.unref();
  const mode = cli.quick ? 'quick' : 'full';
  const config = MODES[mode];
  const only = new Set(cli.only.split(',').map((s) => s.trim()));
  const unknown = [...only].filter((s) => !SECTIONS.includes(s as Section));
  if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}`);
  const wants = (section: Section) => only.has(section);
  const outDir = mode === 'full' ? path.join(PROJECT_ROOT, 'bench', 'results') : path.join(PROJECT_ROOT, 'test-artifacts', 'bench');
  const logsDir = path.join(PROJECT_ROOT, 'test-artifacts', 'bench', 'logs');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(logsDir, { recursive: true });
  // The history section runs a worker in this process: its INFO lines would bury the figures.
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const errors: string[] = [];
  const attempt = async <T>(name: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (err) {
      const message = `${name}: ${err instanceof Error ? err.message : String(err)}`;
      errors.push(message);
      console.error(`\n${message}\n`);
      return undefined;
    }
  };
  const print = (text: string) => console.log(`\n${text}\n`);
  const note = (text: string) => console.log(`[${Math.round((Date.now() - began) / 1000)} s] ${text}`);

  const rows = wants('poll') ? runPollEfficiency({ samples: config.samples }) : [];
  const pollEfficiency: BenchResults['pollEfficiency'] = {
    samples: config.samples,
    rows,
    comparisons: comparePolicies(rows),
    endToEnd: [],
  };
  if (wants('poll')) print(pollEfficiencyMarkdown(pollEfficiency));

  const needsServer = wants('poll') || wants('scale') || wants('fleet') || wants('cold-start');
  const world: BenchWorld | undefined = needsServer ? await attempt('dev server', () => openBenchWorld(logsDir)) : undefined;
  try {
    // The end-to-end runs mostly wait on their backups: the history section runs meanwhile.
    const endToEnd =
      world && wants('poll')
        ? Promise.all(
            EARLIER_RUNS.map((earlier) =>
              attempt(`end to end (${earlier} earlier runs)`, () => measureEndToEnd(world, END_TO_END_BACKUP_SECONDS, earlier)),
            ),
          )
        : undefined;
    const history = wants('history')
      ? await attempt('history', () => measureHistory([...config.historyWaits], (row) => note(`history: ${JSON.stringify(row)}`)))
      : undefined;
    if (history) print(historyMarkdown(history));
    pollEfficiency.endToEnd = ((await endToEnd) ?? []).filter((e2e) => e2e !== undefined);
    if (pollEfficiency.endToEnd.length > 0) print(endToEndMarkdown(pollEfficiency));
    const coldStart =
      world && wants('cold-start') ? await attempt('cold start', () => measureColdStart(world, config.coldStarts)) : undefined;
    if (coldStart) print(coldStartMarkdown(coldStart));
    const scale =
      world && wants('scale')
        ? await attempt('scale', () =>
            measureScale(world, { ...SCALE, counts: [...config.scaleCounts] }, (row) => print(scaleMarkdown([row]))),
          )
        : undefined;
    const fleet = world && wants('fleet') ? await attempt('fleet', () => measureFleet(world, config.fleet, note)) : undefined;
    if (fleet) print(fleetMarkdown(fleet));

    const partial = { pollEfficiency, scale: scale ?? [], history: history ?? [], fleet };
    const results: BenchResults = {
      generatedAt: new Date().toISOString(),
      mode,
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: machine(loadAtStart, loads),
      elapsedSeconds: Math.round((Date.now() - began) / 1000),
      ...partial,
      coldStart,
      goals: evaluateGoals(partial),
      errors,
    };
    print(goalsMarkdown(results.goals));
    writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(outDir, 'latest.md'), resultsMarkdown(results));
    if (rows.length > 0) writeFileSync(path.join(outDir, 'polling.svg'), pollingPlotSvg(rows));
    console.log(
      `Written: ${path.relative(PROJECT_ROOT, outDir)}/latest.json, latest.md${rows.length > 0 ? ', polling.svg' : ''} (${results.elapsedSeconds} s)`,
    );
    if (errors.length > 0) process.exitCode = 1;
  } finally {
    await world?.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
