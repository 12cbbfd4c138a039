// `list`: recent runs, newest first, from Temporal's visibility (search attributes).
import { Command, InvalidArgumentError } from 'commander';
import { BACKUP_ID_KEY, DATABASE_ID_KEY, PHASE_KEY, WORKFLOW_TYPE } from '../../shared/constants';
import { DATABASE_ID } from '../../shared/input';
import { PHASES } from '../../shared/types';
import { invalid, type CliContext } from '../context';
import { temporalErrorToCli } from '../temporal-errors';

const JSON_KEYS = ['workflowId', 'execution', 'phase', 'databaseId', 'backupId', 'startTime'];
const ATTRIBUTES = [PHASE_KEY, DATABASE_ID_KEY, BACKUP_ID_KEY];

const limit = (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('give a whole number from 1 to 1000.');
  return n;
};

export function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .description('List recent runs, newest first: phase, database, backup.')
    .option('--database-id <id>', 'only runs of this database')
    .option('--phase <phase>', `only runs in this phase (${PHASES.join(', ')})`)
    .option('--limit <n>', 'at most this many', limit, 20)
    .option('--json', 'one JSON line per run')
    .action(async (options: { databaseId?: string; phase?: string; limit: number; json?: boolean }) => {
      // Values go into a visibility query: only checked shapes do.
      if (options.databaseId !== undefined && !DATABASE_ID.test(options.databaseId))
        throw invalid('--database-id is not a database id.', 'Use letters, digits and _, as in the Prisma Console.');
      if (options.phase !== undefined && !(PHASES as readonly string[]).includes(options.phase))
        throw invalid(`--phase ${JSON.stringify(options.phase)} is not a phase.`, `Use one of ${PHASES.join(', ')}.`);
      const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
      if (options.databaseId) clauses.push(`${DATABASE_ID_KEY.name} = '${options.databaseId}'`);
      if (options.phase) clauses.push(`${PHASE_KEY.name} = '${options.phase}'`);
      // A run terminated from outside keeps its last phase: a phase it passes through means running ones only.
      if (options.phase && !['completed', 'failed', 'cancelled'].includes(options.phase)) clauses.push("ExecutionStatus = 'Running'");
      const query = clauses.join(' AND ');
      const client = await ctx.client();
      const rows: string[][] = [['WORKFLOW ID', 'EXECUTION', 'PHASE', 'DATABASE', 'BACKUP', 'STARTED']];
      let count = 0;
      try {
        for await (const run of client.workflow.list({ query, pageSize: options.limit })) {
          const [phase, database, backup] = ATTRIBUTES.map((key) => run.typedSearchAttributes.get(key) ?? '');
          const row = [run.workflowId, run.status.name, phase, database, backup, run.startTime.toISOString()];
          if (options.json) ctx.out(JSON.stringify(Object.fromEntries(JSON_KEYS.map((k, i) => [k, row[i]]))));
          else rows.push(row);
          if (++count >= options.limit) break;
        }
      } catch (err) {
        throw temporalErrorToCli(err, ctx);
      }
      if (options.json) return;
      if (rows.length === 1) return ctx.out(`No runs match ${query}.`);
      const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
      for (const row of rows) ctx.out(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
    });
}
