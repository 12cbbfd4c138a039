// `npm run bench [-- --quick] [-- --only poll,scale,history,cold-start]`: the figures of issue 13,
// measured side by side in one run, printed as each section ends, then written to
// bench/results/latest.{json,md} and bench/results/polling.svg (quick mode: test-artifacts/bench/,
// so a smoke run leaves the committed figures alone).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { PROJECT_ROOT } from '../local-temporal';
import { buildWorkflowBundle } from '../src/temporal/workflow-bundle';
import { openBenchWorld, type BenchWorld } from './bench-worker';
import { measureColdStart } from './cold-start';
import { measureEndToEnd } from './end-to-end';
import { measureHistory } from './history';
import {
  coldStartMarkdown,
  endToEndMarkdown,
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

const SECTIONS = ['poll', 'scale', 'history', 'cold-start'] as const;
type Section = (typeof SECTIONS)[number];

const MODES = {
  full: {
    samples: 2000,
    scaleCounts: [100, 500, 1000],
    historyWaits: [3600, 21600].flatMap((backupSeconds) => [0, 10].map((earlierBackups) => ({ backupSeconds, earlierBackups }))),
    coldStarts: 3,
  },
  quick: {
    samples: 200,
    scaleCounts: [20, 50],
    historyWaits: [0, 10].map((earlierBackups) => ({ backupSeconds: 3600, earlierBackups })),
    coldStarts: 1,
  },
} as const;

/** The issue's 1 min backup, on the real server (it runs while the history and cold-start sections do). */
const END_TO_END_BACKUP_SECONDS = 60;
/** Side by side: no earlier backups (today's backoff), and ten of the same duration (the run predicts). */
const END_TO_END_EARLIER_BACKUPS = [0, 10];

/** A run is a handful of polls: a 10 s backup polled after about 2, 6 and 10 s. */
const SCALE = {
  backupDurationMs: 10_000,
  poll: { initialIntervalMs: 2_000, maximumIntervalMs: 4_000 },
  sampledRuns: 50,
  startConcurrency: 50,
};

const cli = new Command('npm run bench --')
  .description('Poll efficiency, scale, history size and cold start, measured side by side.')
  .option('--quick', 'a smoke run: fewer samples and runs, results in test-artifacts/bench/')
  .addOption(new Option('--only <sections>', `comma-separated, of ${SECTIONS.join(', ')}`).default(SECTIONS.join(',')))
  .parse()
  .opts<{ quick?: boolean; only: string }>();

function machine(loadAtStart: number): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] },
  };
}

async function main() {
  const began = Date.now();
  const [loadAtStart] = os.loadavg();
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

  const rows = wants('poll') ? runPollEfficiency({ samples: config.samples }) : [];
  const pollEfficiency: BenchResults['pollEfficiency'] = {
    samples: config.samples,
    rows,
    comparisons: comparePolicies(rows),
    endToEnd: [],
  };
  if (wants('poll')) print(pollEfficiencyMarkdown(pollEfficiency));

  // One bundle for every worker: the product's workflows and the no-op baseline (bench/workflows.ts).
  const { code } = await buildWorkflowBundle(require.resolve('./workflows'));
  const needsServer = wants('poll') || wants('scale') || wants('cold-start');
  const world: BenchWorld | undefined = needsServer ? await attempt('dev server', () => openBenchWorld(logsDir, code)) : undefined;
  try {
    // The end-to-end run mostly sleeps on its timers: the history and cold-start sections run meanwhile.
    const endToEnd =
      world && wants('poll')
        ? Promise.all(
            END_TO_END_EARLIER_BACKUPS.map((earlier) =>
              attempt(`end to end (${earlier} earlier backups)`, () => measureEndToEnd(world, END_TO_END_BACKUP_SECONDS, earlier)),
            ),
          )
        : undefined;
    const history = wants('history')
      ? await attempt('history', () => measureHistory(code, config.historyWaits, (row) => console.log(`history: ${JSON.stringify(row)}`)))
      : undefined;
    if (history) print(historyMarkdown(history));
    const coldStart =
      world && wants('cold-start') ? await attempt('cold start', () => measureColdStart(world, config.coldStarts)) : undefined;
    if (coldStart) print(coldStartMarkdown(coldStart));
    pollEfficiency.endToEnd = ((await endToEnd) ?? []).filter((e2e) => e2e !== undefined);
    if (pollEfficiency.endToEnd.length > 0) print(endToEndMarkdown(pollEfficiency));
    const scale =
      world && wants('scale')
        ? await attempt('scale', () =>
            measureScale(world, { ...SCALE, counts: [...config.scaleCounts] }, (row) => print(scaleMarkdown([row]))),
          )
        : undefined;

    const partial = { pollEfficiency, scale: scale ?? [], history: history ?? [] };
    const results: BenchResults = {
      generatedAt: new Date().toISOString(),
      mode,
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: machine(loadAtStart),
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
