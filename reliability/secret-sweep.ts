// Searches what one suite produced for the API token: every run's history (failed runs too),
// `temporal workflow show -o json` for the failed runs and a sample of the rest, every worker's
// stdout/stderr and the simulator's log.
//
// The search is checked on itself: each history and CLI output must show the run's database id,
// which only exists inside payloads (the run's input), and the simulator's request records must
// show the token (in the Authorization headers, where it belongs). A search that cannot see inside
// payloads, or a wrong token, would otherwise report "0 found" and prove nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Lane } from './lane';
import { textOf, tokenOccurrences } from './secret-search';
import type { WorkerProcess } from './worker-process';

export interface SecretSource {
  source: string;
  /** How many items (histories, outputs, logs) were searched. */
  searched: number;
  found: number;
  /** Items in which the same search missed what must be there (see above); must be 0. */
  controlMissed: number;
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

export async function sweepLane(
  lane: Lane,
  token: string,
  cliPath: string | undefined,
  cliSample: number,
  workers: readonly WorkerProcess[] = [lane.worker],
): Promise<SecretSource[]> {
  const name = lane.options.name;
  const histories: SecretSource = { source: `${name}: workflow histories`, searched: 0, found: 0, controlMissed: 0 };
  await inBatches(lane.runs, 8, async (run) => {
    const text = textOf(await lane.client.workflow.getHandle(run.workflowId).fetchHistory());
    histories.searched += 1;
    histories.found += tokenOccurrences(text, token);
    if (tokenOccurrences(text, run.databaseId) === 0) histories.controlMissed += 1;
  });

  const cli: SecretSource = { source: `${name}: temporal workflow show -o json`, searched: 0, found: 0, controlMissed: 0 };
  if (cliPath) {
    const failed = lane.runs.filter((r) => r.outcome?.kind !== 'completed');
    const sample = [...failed, ...lane.runs.filter((r) => r.outcome?.kind === 'completed').slice(0, cliSample)];
    const { address, namespace } = lane.options.temporal;
    await inBatches(sample, 4, async (run) => {
      const args = ['workflow', 'show', '--workflow-id', run.workflowId, '--address', address, '--namespace', namespace, '-o', 'json'];
      const { stdout, stderr } = await promisify(execFile)(cliPath, args, { maxBuffer: 64 * 1024 * 1024 });
      cli.searched += 1;
      cli.found += tokenOccurrences(stdout + stderr, token);
      if (tokenOccurrences(stdout, run.databaseId) === 0) cli.controlMissed += 1;
    });
  }

  const headers = textOf(lane.sim.requests.map((r) => r.headers));
  return [
    histories,
    cli,
    {
      source: `${name}: workers' stdout/stderr`,
      searched: workers.reduce((n, w) => n + w.starts, 0),
      found: workers.reduce((n, w) => n + tokenOccurrences(w.output(), token), 0),
      controlMissed: 0,
    },
    { source: `${name}: simulator log`, searched: 1, found: tokenOccurrences(lane.simulatorLog(), token), controlMissed: 0 },
    {
      source: `${name}: control: the token in the simulator's Authorization headers (not a leak)`,
      searched: 1,
      found: 0,
      controlMissed: lane.sim.requests.length > 0 && tokenOccurrences(headers, token) === 0 ? 1 : 0,
    },
  ];
}
