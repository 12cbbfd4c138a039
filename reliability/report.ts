// The reliability report: figures per suite, the invariants they must meet, and the printed table. Pure.
import type { ApiProfile } from '../src/shared/input';
import type { Listener } from './listeners';
import type { SecretSource } from './secret-sweep';
import type { ControlFigures, RunFigures } from './tally';

export const LANE_NAMES = ['crash', 'server-restart', 'faults', 'load', 'held-request'] as const;
export type LaneName = (typeof LANE_NAMES)[number];

export interface LaneReport {
  /** A LaneName here; the cluster suites (cluster/) name theirs. */
  lane: string;
  /** The API the suite spoke; absent for suites that only speak seed (cluster/). */
  profile?: ApiProfile;
  /** Crash, server-restart and load runs must all complete; fault runs may also fail with a typed error. */
  mustAllComplete: boolean;
  trials: number;
  kills: number;
  serverRestarts: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  figures: RunFigures;
  tokensFound: number;
  durationMs: number;
  /** Held-request: restore POSTs the simulator held. */
  heldRequests?: number;
  /** What the suite planned, to check it did it: kills (crash), restarts (server-restart), held requests (held-request). */
  planned: { kills?: number; serverRestarts?: number; heldRequests?: number };
  /** Prisma: the hold window its runs were given. */
  holdWindowMs?: number;
  /** Its negative controls: runs set up to have their restore applied twice, counted apart; each must show it. */
  control?: ControlFigures;
  /** Its runs' databases held real rows, read back once each run ended (crash). */
  checksContent?: boolean;
  /** Suite-specific figures (kills by point, runs hit, longest outage...). */
  notes: Record<string, unknown>;
  /** Per-run problems, lost and untyped runs, described (at most a few). */
  problems: string[];
  /** Set when the suite itself broke off. */
  error?: string;
}

export interface ReliabilityReport {
  mode: string;
  /** The profiles whose suites ran. */
  profiles: readonly ApiProfile[];
  seed: number;
  startedAt: string;
  durationMs: number;
  temporalAddress: string;
  /** How late this process's event loop (simulators, droppers, trial databases) ran its callbacks. */
  suiteEventLoopDelayMs?: { p99: number; max: number };
  /** This run's logs, relative to the report. */
  runDir: string;
  lanes: LaneReport[];
  secrets: SecretSource[];
  listeners: Listener[];
  /** Every process whose listening sockets were looked at (a worker is expected to have none). */
  checkedProcesses: { pid: number; role: string; ports?: readonly number[] }[];
  violations: string[];
}

/** The suite as the table heads it and violations name it: `crash (prisma)`. */
export const laneTitle = (lane: Pick<LaneReport, 'lane' | 'profile'>): string =>
  lane.profile ? `${lane.lane} (${lane.profile})` : lane.lane;

/** Every broken invariant, one sentence each; empty when the run proves what it should. */
export function findViolations(lanes: readonly LaneReport[], secrets: readonly SecretSource[], listeners: readonly Listener[]): string[] {
  const found: string[] = [];
  for (const lane of lanes) {
    const f = lane.figures;
    const say = (what: string) => found.push(`${laneTitle(lane)}: ${what}`);
    if (lane.error) say(`the suite broke off: ${lane.error}`);
    if (f.runs === 0) say('started no runs');
    if (f.duplicateBackups > 0) say(`${f.duplicateBackups} duplicate backup(s)`);
    if (f.duplicateRestores > 0) say(`${f.duplicateRestores} duplicate restore(s)`);
    if (f.completedWithoutRestore > 0) say(`${f.completedWithoutRestore} run(s) reported restored without a restore applied`);
    if (f.wrongBackupRestores > 0) say(`${f.wrongBackupRestores} restore(s) of a backup other than the run's`);
    if (f.restoresFromUnfinished > 0) say(`${f.restoresFromUnfinished} restore(s) from an unfinished backup`);
    if (f.effectMismatches > 0) say(`${f.effectMismatches} run(s) with wrong effects`);
    if (f.failedButRestored > 0) say(`${f.failedButRestored} run(s) reported failed although their restore was applied`);
    if (f.contentWrong > 0) say(`${f.contentWrong} run(s) whose database held other rows than the backup's it restored`);
    if (lane.checksContent && f.contentChecked < f.runs - f.lost) {
      say(`${f.runs - f.lost - f.contentChecked} ended run(s) whose database content was not checked`);
    }
    if (f.lost > 0) say(`${f.lost} lost run(s)`);
    if (f.failedUntyped > 0) say(`${f.failedUntyped} run(s) failed without a typed error`);
    if (lane.mustAllComplete && f.completed < f.runs) {
      say(`${f.runs - f.completed} of ${f.runs} run(s) did not complete (${JSON.stringify(f.failureTypes)})`);
    }
    if (lane.planned.kills !== undefined && lane.kills < lane.planned.kills) say(`${lane.kills} of ${lane.planned.kills} planned kills`);
    if (lane.planned.serverRestarts !== undefined && lane.serverRestarts < lane.planned.serverRestarts) {
      say(`${lane.serverRestarts} of ${lane.planned.serverRestarts} planned server restarts`);
    }
    if (lane.planned.heldRequests !== undefined && (lane.heldRequests ?? 0) < lane.planned.heldRequests) {
      say(`${lane.heldRequests ?? 0} of ${lane.planned.heldRequests} planned held restore requests`);
    }
    // Prisma: a run sends again only after its hold window passed with no sign of the first request,
    // and every suite's window outlasts its longest hold, so a second request reaching the API after
    // the first did means reading back missed a restore (applied twice, or saved by a 409).
    if (lane.profile === 'prisma' && f.restoresSentAgain > 0) {
      say(
        `${f.restoresSentAgain} restore request(s) reached the API after the run's first had, though its hold window${lane.holdWindowMs === undefined ? '' : ` (${seconds(lane.holdWindowMs)})`} outlasts every hold`,
      );
    }
    if (lane.control && lane.control.duplicatesSeen < lane.control.runs) {
      say(
        `the duplicate count is blind: ${lane.control.runs - lane.control.duplicatesSeen} of ${lane.control.runs} negative control run(s), set up to have their restore applied twice, showed no duplicate`,
      );
    }
    if ((lane.lane === 'faults' || lane.lane === 'load') && lane.faultsInjected === 0 && f.runs > 0) say('no fault was injected');
  }
  const tokens = secrets.reduce((n, s) => n + s.found, 0);
  if (tokens > 0) {
    found.push(
      `the token was found ${tokens} time(s): ${secrets
        .filter((s) => s.found > 0)
        .map((s) => `${s.source} (${s.found})`)
        .join(', ')}`,
    );
  }
  for (const s of secrets.filter((s) => s.controlMissed > 0)) {
    found.push(`the token search is blind: ${s.source} missed what it must find in ${s.controlMissed} item(s)`);
  }
  for (const l of listeners.filter((l) => !l.loopback))
    found.push(`${l.role} (pid ${l.pid}) listens on ${l.address}:${l.port}, not 127.0.0.1 alone`);
  if (listeners.length === 0) found.push('no listening socket of ours was seen, so the 127.0.0.1 check checked nothing');
  return found;
}

// `shown`: where the figure has a meaning (no kills in a suite that planned none); a dash elsewhere.
// `total: false`: a setting, not a count (the total column shows a dash).
const ROWS: { title: string; value: (l: LaneReport) => number; shown?: (l: LaneReport) => boolean; total?: false }[] = [
  {
    title: 'trials',
    value: (l) => l.trials,
    shown: (l) => l.planned.kills !== undefined || l.planned.serverRestarts !== undefined || l.planned.heldRequests !== undefined,
  },
  { title: 'kills (SIGKILL of the worker)', value: (l) => l.kills, shown: (l) => l.planned.kills !== undefined },
  { title: 'server restarts', value: (l) => l.serverRestarts, shown: (l) => l.planned.serverRestarts !== undefined },
  { title: 'faults injected', value: (l) => l.faultsInjected },
  {
    title: 'restore requests held (simulator delay)',
    value: (l) => l.heldRequests ?? 0,
    shown: (l) => l.planned.heldRequests !== undefined,
  },
  {
    title: 'answers dropped after the restore was applied',
    value: (l) => Number(l.notes.answersDropped ?? 0),
    shown: (l) => l.planned.heldRequests !== undefined,
  },
  {
    title: 'hold window of its runs (s)',
    value: (l) => (l.holdWindowMs ?? 0) / 1000,
    shown: (l) => l.holdWindowMs !== undefined,
    total: false,
  },
  { title: 'runs started', value: (l) => l.figures.runs },
  { title: 'runs completed', value: (l) => l.figures.completed },
  { title: 'runs failed with a typed error', value: (l) => l.figures.failedTyped },
  { title: 'runs failed untyped', value: (l) => l.figures.failedUntyped },
  // Prisma runs create no backup: they restore an automatic one.
  { title: 'duplicate backups', value: (l) => l.figures.duplicateBackups, shown: (l) => l.profile !== 'prisma' },
  { title: 'duplicate restores', value: (l) => l.figures.duplicateRestores },
  { title: 'runs reported restored without a restore applied', value: (l) => l.figures.completedWithoutRestore },
  { title: 'restores of the wrong backup', value: (l) => l.figures.wrongBackupRestores },
  { title: 'restores from unfinished backups', value: (l) => l.figures.restoresFromUnfinished },
  // Seed requests sent again carry the same Idempotency-Key, which the API replays.
  {
    title: 'restore requests sent again after one reached the API',
    value: (l) => l.figures.restoresSentAgain,
    shown: (l) => l.profile === 'prisma',
  },
  {
    title: 'runs that sent the restore again after the hold window',
    value: (l) => l.figures.resentAfterHoldWindow,
    shown: (l) => l.profile === 'prisma',
  },
  { title: 'runs with wrong effects', value: (l) => l.figures.effectMismatches },
  { title: 'runs failed although restored', value: (l) => l.figures.failedButRestored },
  { title: 'runs whose database content was checked', value: (l) => l.figures.contentChecked, shown: (l) => l.checksContent === true },
  { title: 'restored content wrong', value: (l) => l.figures.contentWrong, shown: (l) => l.checksContent === true },
  { title: 'tokens found', value: (l) => l.tokensFound },
  { title: 'lost runs', value: (l) => l.figures.lost },
  { title: 'negative control runs (set up to duplicate)', value: (l) => l.control?.runs ?? 0, shown: (l) => l.control !== undefined },
  { title: 'duplicates the negative control showed', value: (l) => l.control?.duplicatesSeen ?? 0, shown: (l) => l.control !== undefined },
];

/** The figures as a Markdown table: one row per figure, one column per suite (in report order), then the total. */
export function formatTable(report: Pick<ReliabilityReport, 'lanes' | 'secrets'>): string {
  const cell = (row: (typeof ROWS)[number], lane: LaneReport | undefined): string => {
    if (lane) return !row.shown || row.shown(lane) ? String(row.value(lane)) : '–';
    // Tokens: every place searched, including logs no single suite owns.
    if (row.title === 'tokens found') return String(report.secrets.reduce((n, s) => n + s.found, 0));
    if (row.total === false) return '–';
    const shown = report.lanes.filter((l) => !row.shown || row.shown(l));
    // A figure no suite has (controls in fast mode) totals to a dash too.
    if (shown.length === 0 && row.shown) return '–';
    return String(shown.reduce((n, l) => n + row.value(l), 0));
  };
  const columns = [...report.lanes, undefined];
  const lines = [
    `| | ${columns.map((lane) => (lane ? laneTitle(lane).replace(/-/g, ' ') : 'total')).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...ROWS.map((row) => `| ${row.title} | ${columns.map((lane) => cell(row, lane)).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** A duration as the reports print it: `12.3 s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function formatMarkdown(report: ReliabilityReport): string {
  const out = [
    `# Reliability report (${report.mode} mode, profiles ${report.profiles.join(', ')})`,
    '',
    `${report.startedAt}, ${seconds(report.durationMs)}, Temporal at ${report.temporalAddress}, seed ${report.seed}; logs in ${report.runDir}/logs.` +
      (report.suiteEventLoopDelayMs
        ? ` The suite process's event loop (simulators, trial databases) ran late by up to ${report.suiteEventLoopDelayMs.max} ms (p99 ${report.suiteEventLoopDelayMs.p99} ms).`
        : ''),
    '',
    formatTable(report),
    '',
    'Trials: a kill trial (crash), a restart round (server restart) or a held request (held request).',
    'Faults: requests the simulator answered with an injected fault (crash: the 1 s holds that pin a kill',
    'inside a request; held request: the holds and the reset-after faults). Prisma: after a restore request',
    'whose outcome is unknown the run reads the target back and sends again only once its hold window',
    '(the row above) passed with no sign of it; "sent again" counts restore requests that reached the API',
    'after the first had, and "after the hold window" the runs whose result says they did. Duplicate',
    'restores counts restores applied twice. Held request: the simulator holds a restore POST (and applies',
    'it after the hold, whoever still waits), while the client gives up, the worker is SIGKILLed or the',
    'answer is dropped; the negative control (full mode) is held past a hold window made shorter than',
    'the hold, so its restore is applied twice, and the report must see that (it is a trial, and counted',
    'apart from the runs above). Content (crash): every',
    "run's database holds rows of its own, changed after its backup; once the run ended they are read",
    'back and must be exactly the rows of the backup it restored.',
    '',
  ];
  return [...out, formatDetails(report)].join('\n');
}

/** The report's sections after its table: each suite's notes, the token search, the listeners, the verdict. */
export function formatDetails(
  report: Pick<ReliabilityReport, 'lanes' | 'secrets' | 'listeners' | 'violations'> & Partial<Pick<ReliabilityReport, 'checkedProcesses'>>,
): string {
  const out = ['## Suites', ''];
  for (const lane of report.lanes) {
    const { byTrial, ...notes } = lane.notes;
    out.push(
      `- **${laneTitle(lane)}** (${seconds(lane.durationMs)}${lane.holdWindowMs === undefined ? '' : `, hold window ${seconds(lane.holdWindowMs)}`}): ${JSON.stringify({ ...notes, faultsByKind: lane.faultsByKind, failureTypes: lane.figures.failureTypes })}`,
    );
    if (Array.isArray(byTrial)) for (const trial of byTrial) out.push(`  - ${String(trial)}`);
    if (lane.error) out.push(`  - broke off: ${lane.error}`);
    for (const problem of lane.problems) out.push(`  - ${problem}`);
  }
  return [...out, formatChecks(report)].join('\n');
}

/** The sections every report ends with: the token search, the listening sockets, the verdict. */
export function formatChecks(report: {
  secrets: readonly SecretSource[];
  listeners: readonly Listener[];
  violations: readonly string[];
  checkedProcesses?: readonly { role: string }[];
}): string {
  const out = ['', '## Token search', '', '| where | searched | found | control missed |', '|---|---:|---:|---:|'];
  for (const s of report.secrets) out.push(`| ${s.source} | ${s.searched} | ${s.found} | ${s.controlMissed} |`);
  out.push('', '## Listening sockets', '', '| process | address |', '|---|---|');
  const seen = new Set<string>();
  for (const l of report.listeners) {
    const key = `${l.role} ${l.address}:${l.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`| ${l.role} (pid ${l.pid}) | ${l.address}:${l.port} |`);
  }
  const quiet = [
    ...new Set((report.checkedProcesses ?? []).filter((p) => !report.listeners.some((l) => l.role === p.role)).map((p) => p.role)),
  ];
  if (quiet.length > 0) out.push('', `Checked, listening on nothing: ${quiet.join(', ')}.`);
  out.push('', '## Verdict', '', ...(report.violations.length === 0 ? ['No violations.'] : report.violations.map((v) => `- ${v}`)), '');
  return out.join('\n');
}
