// `npm run test:cluster` (node dist/cluster/test-main.js, after `npm run build`): faults on the
// production-shaped cluster. Starts a cluster of its own (fresh PostgreSQL data, the cached binaries;
// ports from CLUSTER_FRONTEND_PORT / CLUSTER_POSTGRES_PORT, else 7533 / 5533, so it runs beside
// `npm run cluster`), then, one after the other: runs spread over three workers with one SIGKILLed,
// the history service restarted, PostgreSQL restarted, a burst of runs. Lanes, worker processes
// (dist/reliability/worker-main.js), the tally of effects from each suite's seed simulator's records
// and the token search are the reliability suites' own (reliability/). CLUSTER_MODE=short for CI; full (the default) is the README's table. Writes
// test-artifacts/cluster/report.{md,json}; exits 1 on any violation.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, temporalBinary } from '../local-temporal';
import { listenersOf, type Listener, type WatchedProcess } from '../reliability/listeners';
import { faultsSeen } from '../reliability/fault-mix';
import { seconds } from '../reliability/report';
import { Lane } from '../reliability/lane';
import { tokenOccurrences } from '../reliability/secret-search';
import { sweepLane, type SecretSource } from '../reliability/secret-sweep';
import { strayEffects, summarizeRuns, tallyRun } from '../reliability/tally';
import { workerEntry, type WorkerProcess } from '../reliability/worker-process';
import { CLUSTER_DIR, startCluster, type Cluster } from './cluster';
import { clusterModeFrom, type ClusterMode } from './modes';
import { findViolations, formatDetails, formatTable, type SuiteReport } from './report';
import { burstSuite, historyRestartSuite, postgresRestartSuite, workerKillSuite, type OnWorkers, type SuiteFigures } from './suites';
import { DEFAULT_PORTS, TEMPORAL_SERVER_VERSION } from './topology';

const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test-artifacts', 'cluster');
/** The workflow bundle `npm run build` prepares, which every worker loads. */
const WORKFLOW_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'src', 'workflow-bundle.js');

function portFrom(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new Error(`${name} must be a port number, got ${JSON.stringify(value)}`);
  return port;
}

interface ClusterReport {
  mode: string;
  startedAt: string;
  durationMs: number;
  clusterStartMs: number;
  temporalAddress: string;
  serverVersion: string;
  postgresVersion: string;
  suites: SuiteReport[];
  secrets: SecretSource[];
  listeners: Listener[];
  violations: string[];
}

async function runSuites(cluster: Cluster, mode: ClusterMode, runDir: string, progress: (line: string) => void) {
  const logsDir = path.join(runDir, 'logs');
  // A fresh token per run: finding it anywhere can only mean this run leaked it.
  const token = `tok_cluster_${randomBytes(20).toString('hex')}`;
  const runTag = randomBytes(4).toString('hex');
  const cliPath = temporalBinary('temporal');
  const listeners: Listener[] = [];
  const secrets: SecretSource[] = [];
  /** Where these processes, the cluster's and the lane's simulator (in this process) listen, taken while they run. */
  const capture = async (lane: Lane | undefined, workers: readonly WorkerProcess[] = []) => {
    const watched: WatchedProcess[] = [
      ...cluster.processes(),
      ...workers.flatMap((w, i) => (w.pid ? [{ pid: w.pid, role: `${lane?.options.name} worker ${i + 1}` }] : [])),
      ...(lane
        ? [{ pid: process.pid, role: `${lane.options.name} simulator`, descendants: false, ports: [Number(new URL(lane.sim.url).port)] }]
        : []),
    ];
    listeners.push(...(await listenersOf(watched)));
  };
  await capture(undefined);

  async function suite(
    name: string,
    backupDurationMs: number,
    body: (lane: Lane, onWorkers: OnWorkers) => Promise<SuiteFigures>,
  ): Promise<SuiteReport> {
    const began = Date.now();
    const workers = new Set<WorkerProcess>();
    let lane: Lane | undefined;
    let figures: SuiteFigures = {};
    let error: string | undefined;
    try {
      lane = await Lane.open({
        name,
        idPrefix: 'cluster',
        bundlePath: WORKFLOW_BUNDLE,
        temporal: { address: cluster.address, namespace: cluster.namespace },
        logsDir,
        token,
        runTag,
        backupDurationMs,
        requestTimeoutMs: mode.requestTimeoutMs,
        pollDeadlineMs: mode.pollDeadlineMs,
      });
      progress(`${name}: started`);
      const opened = lane;
      figures = await body(opened, async (started) => {
        for (const w of started) workers.add(w);
        await capture(opened, started);
      });
      secrets.push(...(await sweepLane(lane, token, cliPath, mode.cliSample, [...workers])));
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    } finally {
      await lane?.close().catch(() => {});
    }
    const runs = lane ? lane.facts() : [];
    const sim = lane?.simFacts();
    const tallies = sim ? runs.map((r) => tallyRun(r, sim)) : [];
    const faultsByKind = lane ? faultsSeen(lane.sim.requests) : {};
    const report: SuiteReport = {
      suite: name,
      trials: figures.trials ?? 0,
      kills: figures.kills ?? 0,
      serverRestarts: figures.serverRestarts ?? 0,
      planned: figures.planned ?? {},
      faultsInjected: Object.values(faultsByKind).reduce((a, b) => a + b, 0),
      faultsByKind,
      requestsDropped: lane?.sim.stats.requestsDropped ?? 0,
      notes: figures.notes ?? {},
      premiseFailures: figures.premiseFailures ?? [],
      figures: summarizeRuns(runs, tallies, sim ? strayEffects(runs, sim) : []),
      tokensFound: secrets.filter((s) => s.source.startsWith(`${name}:`)).reduce((n, s) => n + s.found, 0),
      durationMs: Date.now() - began,
      problems: [
        ...tallies.filter((t) => t.problems.length > 0).map((t) => `${t.workflowId}: ${t.problems.join('; ')}`),
        ...runs.flatMap((r) => (r.outcome.kind === 'completed' ? [] : [`${r.workflowId}: ${JSON.stringify(r.outcome)}`])),
      ].slice(0, 10),
      error,
    };
    const f = report.figures;
    progress(`${name}: ${f.completed}/${f.runs} completed, ${f.failedTyped} failed typed, ${f.lost} lost, ${seconds(report.durationMs)}`);
    return report;
  }

  const suites = [
    await suite('worker-kill', mode.workerKill.backupDurationMs, (lane, onWorkers) => workerKillSuite(lane, mode, onWorkers)),
    await suite('history-restart', mode.historyRestart.backupDurationMs, (lane, onWorkers) =>
      historyRestartSuite(lane, cluster, mode, onWorkers),
    ),
    await suite('postgres-restart', mode.postgresRestart.backupDurationMs, (lane, onWorkers) =>
      postgresRestartSuite(lane, cluster, mode, onWorkers),
    ),
    await suite('burst', mode.burst.backupDurationMs, (lane, onWorkers) => burstSuite(lane, mode, onWorkers)),
  ];

  // The servers' own logs: the token must not reach Temporal or PostgreSQL either.
  const serverLogs = [...readdirSync(cluster.logsDir).map((f) => path.join(cluster.logsDir, f)), cluster.postgres.logFile];
  secrets.push({
    source: 'Temporal service and PostgreSQL logs',
    searched: serverLogs.length,
    found: serverLogs.reduce((n, file) => n + tokenOccurrences(readFileSync(file, 'utf8'), token), 0),
    controlMissed: 0,
  });
  return { suites, secrets, listeners, violations: findViolations(suites, secrets, listeners) };
}

function formatMarkdown(report: ClusterReport): string {
  const out = [
    `# Cluster fault report (${report.mode} mode)`,
    '',
    `${report.startedAt}, ${seconds(report.durationMs)} (cluster start ${seconds(report.clusterStartMs)}), Temporal ${report.serverVersion} at ${report.temporalAddress} (four services, four processes), ${report.postgresVersion}.`,
    '',
    formatTable(report),
    '',
    'Faults injected: requests the simulator held, so that activities were in flight when the fault struck.',
    '',
  ];
  return [...out, formatDetails(report)].join('\n');
}

async function main(): Promise<number> {
  const mode = clusterModeFrom(process.env.CLUSTER_MODE, 'full');
  // What the workers run: compiled, as `npm run build` leaves it (npm run test:cluster builds first).
  workerEntry();
  if (!existsSync(WORKFLOW_BUNDLE)) throw new Error(`${WORKFLOW_BUNDLE} is missing: run \`npm run build\` first.`);
  const startedAt = Date.now();
  const stamp = `${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const runDir = path.join(ARTIFACTS_DIR, 'runs', stamp);
  mkdirSync(runDir, { recursive: true });
  // PostgreSQL's data goes in the cache folder (its user must reach it), new each time, removed afterwards.
  const stateDir = path.join(CLUSTER_DIR, 'test');
  const say = (line: string) => console.log(`  ${line}`);
  console.log(`Cluster faults, ${mode.name} mode (Temporal server ${TEMPORAL_SERVER_VERSION})`);
  const cluster = await startCluster({
    frontendPort: portFrom('CLUSTER_FRONTEND_PORT', DEFAULT_PORTS.test.frontend),
    postgresPort: portFrom('CLUSTER_POSTGRES_PORT', DEFAULT_PORTS.test.postgres),
    stateDir,
    fresh: true,
    logsDir: path.join(runDir, 'logs', 'cluster'),
    log: say,
  });
  const clusterStartMs = Date.now() - startedAt;
  say(`cluster up at ${cluster.address} in ${seconds(clusterStartMs)}`);
  try {
    const { suites, secrets, listeners, violations } = await runSuites(cluster, mode, runDir, say);
    const report: ClusterReport = {
      mode: mode.name,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      clusterStartMs,
      temporalAddress: cluster.address,
      serverVersion: TEMPORAL_SERVER_VERSION,
      postgresVersion: cluster.postgres.version,
      suites,
      secrets,
      listeners,
      violations,
    };
    writeFileSync(path.join(ARTIFACTS_DIR, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(ARTIFACTS_DIR, 'report.md'), formatMarkdown(report));
    console.log(`\n${formatTable(report)}\n`);
    console.log(
      `${seconds(report.durationMs)}. Report: ${path.relative(process.cwd(), path.join(ARTIFACTS_DIR, 'report.md'))}; logs: ${path.relative(process.cwd(), runDir)}`,
    );
    if (violations.length > 0) {
      console.log(`\nVIOLATIONS:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
      return 1;
    }
    console.log('No violations.');
    return 0;
  } finally {
    await cluster.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

// A signal ends the process through 'exit', where the workers and the servers are killed and PostgreSQL stopped.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
