// The cluster report: figures per suite, the invariants they must meet, and the printed table. Pure.
import type { Listener } from '../reliability/listeners';
import { formatChecks, seconds } from '../reliability/report';
import type { SecretSource } from '../reliability/secret-sweep';
import type { RunFigures } from '../reliability/tally';

export interface SuiteReport {
  suite: string;
  trials: number;
  kills: number;
  serverRestarts: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  figures: RunFigures;
  tokensFound: number;
  durationMs: number;
  /** What the suite planned, to check it did it. */
  planned: { kills?: number; serverRestarts?: number };
  /** Requests the simulator dropped from its records: the tally would miss their effects. */
  requestsDropped: number;
  /** Suite-specific figures (who was killed, rounds, outages...). */
  notes: Record<string, unknown>;
  /** What the suite set out to prove but could not (the fault hit nothing). */
  premiseFailures: string[];
  /** Per-run problems, lost and failed runs, described (at most a few). */
  problems: string[];
  /** Set when the suite itself broke off. */
  error?: string;
}

/** Every broken invariant, one sentence each; empty when the run proves what it should. Every run must complete. */
export function findViolations(suites: readonly SuiteReport[], secrets: readonly SecretSource[], listeners: readonly Listener[]): string[] {
  const found: string[] = [];
  for (const suite of suites) {
    const f = suite.figures;
    const say = (what: string) => found.push(`${suite.suite}: ${what}`);
    if (suite.error) say(`the suite broke off: ${suite.error}`);
    if (f.runs === 0) say('started no runs');
    if (suite.requestsDropped > 0) say(`the simulator dropped ${suite.requestsDropped} request record(s): the tally is incomplete`);
    if (f.duplicateBackups > 0) say(`${f.duplicateBackups} duplicate backup(s)`);
    if (f.duplicateRestores > 0) say(`${f.duplicateRestores} duplicate restore(s)`);
    if (f.completedWithoutRestore > 0) say(`${f.completedWithoutRestore} run(s) reported restored without a restore applied`);
    if (f.wrongBackupRestores > 0) say(`${f.wrongBackupRestores} restore(s) of a backup other than the run's`);
    if (f.restoresFromUnfinished > 0) say(`${f.restoresFromUnfinished} restore(s) from an unfinished backup`);
    if (f.effectMismatches > 0) say(`${f.effectMismatches} run(s) with wrong effects`);
    if (f.failedButRestored > 0) say(`${f.failedButRestored} run(s) reported failed although their restore was applied`);
    if (f.lost > 0) say(`${f.lost} lost run(s)`);
    if (f.failedUntyped > 0) say(`${f.failedUntyped} run(s) failed without a typed error`);
    if (f.completed < f.runs) say(`${f.runs - f.completed} of ${f.runs} run(s) did not complete (${JSON.stringify(f.failureTypes)})`);
    if (suite.planned.kills !== undefined && suite.kills < suite.planned.kills)
      say(`${suite.kills} of ${suite.planned.kills} planned kills`);
    if (suite.planned.serverRestarts !== undefined && suite.serverRestarts < suite.planned.serverRestarts)
      say(`${suite.serverRestarts} of ${suite.planned.serverRestarts} planned restarts`);
    for (const premise of suite.premiseFailures) say(premise);
  }
  const tokens = secrets.reduce((n, s) => n + s.found, 0);
  if (tokens > 0) {
    const where = secrets.filter((s) => s.found > 0).map((s) => `${s.source} (${s.found})`);
    found.push(`the token was found ${tokens} time(s): ${where.join(', ')}`);
  }
  for (const s of secrets.filter((s) => s.controlMissed > 0))
    found.push(`the token search is blind: ${s.source} missed what it must find in ${s.controlMissed} item(s)`);
  for (const l of listeners.filter((l) => !l.loopback))
    found.push(`${l.role} (pid ${l.pid}) listens on ${l.address}:${l.port}, not 127.0.0.1 alone`);
  if (listeners.length === 0) found.push('no listening socket of ours was seen, so the 127.0.0.1 check checked nothing');
  return found;
}

// `shown`: where the figure has a meaning (no kills in a suite that planned none); a dash elsewhere.
const ROWS: { title: string; value: (s: SuiteReport) => number; shown?: (s: SuiteReport) => boolean }[] = [
  { title: 'trials', value: (s) => s.trials, shown: (s) => s.planned.kills !== undefined || s.planned.serverRestarts !== undefined },
  { title: 'kills (SIGKILL of a worker)', value: (s) => s.kills, shown: (s) => s.planned.kills !== undefined },
  { title: 'server restarts', value: (s) => s.serverRestarts, shown: (s) => s.planned.serverRestarts !== undefined },
  { title: 'faults injected', value: (s) => s.faultsInjected },
  { title: 'runs started', value: (s) => s.figures.runs },
  { title: 'runs completed', value: (s) => s.figures.completed },
  { title: 'runs failed with a typed error', value: (s) => s.figures.failedTyped },
  { title: 'runs failed untyped', value: (s) => s.figures.failedUntyped },
  { title: 'duplicate backups', value: (s) => s.figures.duplicateBackups },
  { title: 'duplicate restores', value: (s) => s.figures.duplicateRestores },
  { title: 'runs reported restored without a restore applied', value: (s) => s.figures.completedWithoutRestore },
  { title: 'restores of the wrong backup', value: (s) => s.figures.wrongBackupRestores },
  { title: 'restores from unfinished backups', value: (s) => s.figures.restoresFromUnfinished },
  { title: 'runs with wrong effects', value: (s) => s.figures.effectMismatches },
  { title: 'runs failed although restored', value: (s) => s.figures.failedButRestored },
  { title: 'tokens found', value: (s) => s.tokensFound },
  { title: 'lost runs', value: (s) => s.figures.lost },
];

/** The figures as a Markdown table: one row per figure, one column per suite (in report order), then the total. */
export function formatTable(report: { suites: readonly SuiteReport[]; secrets: readonly SecretSource[] }): string {
  const cell = (row: (typeof ROWS)[number], suite: SuiteReport | undefined): string => {
    if (suite) return !row.shown || row.shown(suite) ? String(row.value(suite)) : '–';
    // Tokens: every place searched, including logs no single suite owns.
    if (row.title === 'tokens found') return String(report.secrets.reduce((n, s) => n + s.found, 0));
    return String(report.suites.reduce((n, s) => n + row.value(s), 0));
  };
  const columns = [...report.suites, undefined];
  return [
    `| | ${columns.map((s) => (s ? s.suite.replace(/-/g, ' ') : 'total')).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...ROWS.map((row) => `| ${row.title} | ${columns.map((s) => cell(row, s)).join(' | ')} |`),
  ].join('\n');
}

/** The report's sections after its table: each suite's notes, the token search, the listeners, the verdict. */
export function formatDetails(report: {
  suites: readonly SuiteReport[];
  secrets: readonly SecretSource[];
  listeners: readonly Listener[];
  violations: readonly string[];
}): string {
  const out = ['## Suites', ''];
  for (const suite of report.suites) {
    out.push(
      `- **${suite.suite}** (${seconds(suite.durationMs)}): ${JSON.stringify({ ...suite.notes, faultsByKind: suite.faultsByKind, failureTypes: suite.figures.failureTypes })}`,
    );
    if (suite.error) out.push(`  - broke off: ${suite.error}`);
    for (const premise of suite.premiseFailures) out.push(`  - premise not met: ${premise}`);
    for (const problem of suite.problems) out.push(`  - ${problem}`);
  }
  return [...out, formatChecks(report)].join('\n');
}
