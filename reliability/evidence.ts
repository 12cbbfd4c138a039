// What to look at when a run was slow or did not complete: its requests as the simulator saw them
// and its history, kept next to the logs.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Lane, TrackedRun } from './lane';

interface RecordedRequest {
  method: string;
  path: string;
  status?: number;
  fault?: string;
  replayed?: boolean;
  time: number;
}

/** One line per request to the database's paths: `+1.25 s POST backups 202 (replayed)`, `+3.10 s GET database 200`. Pure. */
export function requestTimeline(requests: readonly RecordedRequest[], databaseId: string, since: number): string[] {
  const base = `/v1/databases/${databaseId}`;
  return requests
    .filter((r) => r.path === base || r.path.startsWith(`${base}/`))
    .map((r) => {
      // Prisma reads the database itself (GET /v1/databases/{id}); both profiles list backups and restore.
      const what = r.path === base ? 'database' : r.path.endsWith('/restore') ? 'restore' : 'backups';
      const answer = r.status === undefined ? 'no answer' : String(r.status);
      const notes = [r.fault && `fault ${r.fault}`, r.replayed && 'replayed'].filter(Boolean).join(', ');
      return `+${((r.time - since) / 1000).toFixed(2)} s ${r.method} ${what} ${answer}${notes ? ` (${notes})` : ''}`;
    });
}

/** The runs worth a look: every one that did not complete, and the slowest few. */
export function runsWorthKeeping(runs: readonly TrackedRun[], slowest = 3): TrackedRun[] {
  const notCompleted = runs.filter((r) => r.outcome?.kind !== 'completed');
  const bySpeed = runs.filter((r) => r.endedAt !== undefined).sort((a, b) => b.endedAt! - b.startedAt - (a.endedAt! - a.startedAt));
  return [...new Set([...notCompleted, ...bySpeed.slice(0, slowest)])];
}

/** Writes `<dir>/<workflowId>.json`: outcome, request timeline and history, for the runs worth a look. */
export async function keepEvidence(lane: Lane, dir: string): Promise<number> {
  const runs = runsWorthKeeping(lane.runs);
  if (runs.length === 0) return 0;
  mkdirSync(dir, { recursive: true });
  for (const run of runs) {
    let history: unknown;
    try {
      history = JSON.parse(historyToJSON(await lane.client.workflow.getHandle(run.workflowId).fetchHistory()));
    } catch (err) {
      history = `not fetched: ${(err as Error).message}`;
    }
    const evidence = {
      workflowId: run.workflowId,
      databaseId: run.databaseId,
      tookMs: run.endedAt === undefined ? undefined : run.endedAt - run.startedAt,
      kills: run.kills,
      outcome: run.outcome,
      requests: requestTimeline(lane.sim.requests, run.databaseId, run.startedAt),
      history,
    };
    writeFileSync(path.join(dir, `${run.workflowId}.json`), `${JSON.stringify(evidence, null, 2)}\n`);
  }
  return runs.length;
}
