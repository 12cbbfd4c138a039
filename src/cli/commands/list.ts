// `list`: recent runs, from Temporal's visibility store (search attributes).
import { Command, InvalidArgumentError } from 'commander';
import { BACKUP_ID_KEY, DATABASE_ID_KEY, PHASE_KEY } from '../../shared/search-attributes';
import { CliError, EXIT, type CliContext } from '../context';
import { listQuery } from '../list-query';
import { temporalErrorToCli } from '../temporal-errors';

const positiveInt = (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('give a whole number from 1 to 1000.');
  return n;
};

export function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .description('List recent runs, newest first, with their phase, database and backup.')
    .option('--database-id <id>', 'only runs of this database')
    .option('--phase <phase>', 'only runs in this phase (e.g. waiting-for-backup, awaiting-approval, failed)')
    .option('--limit <n>', 'at most this many runs', positiveInt, 20)
    .option('--json', 'print JSON lines, one per run')
    .action(async (options: { databaseId?: string; phase?: string; limit: number; json?: boolean }) => {
      let query;
      try {
        query = listQuery(options);
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.usage);
      }
      const client = await ctx.client();
      const rows: Record<'workflowId' | 'execution' | 'phase' | 'databaseId' | 'backupId' | 'startTime', string>[] = [];
      try {
        for await (const run of client.workflow.list({ query, pageSize: options.limit })) {
          const attributes = run.typedSearchAttributes;
          rows.push({
            workflowId: run.workflowId,
            execution: run.status.name,
            phase: attributes.get(PHASE_KEY) ?? '',
            databaseId: attributes.get(DATABASE_ID_KEY) ?? '',
            backupId: attributes.get(BACKUP_ID_KEY) ?? '',
            startTime: run.startTime.toISOString(),
          });
          if (rows.length >= options.limit) break;
        }
      } catch (err) {
        throw temporalErrorToCli(err, ctx);
      }
      if (options.json) return rows.forEach((row) => ctx.out(JSON.stringify(row)));
      if (rows.length === 0) return ctx.out(`No runs match ${query}.`);
      const header = {
        workflowId: 'WORKFLOW ID',
        execution: 'EXECUTION',
        phase: 'PHASE',
        databaseId: 'DATABASE',
        backupId: 'BACKUP',
        startTime: 'STARTED',
      };
      const columns = Object.keys(header) as (keyof typeof header)[];
      const widths = columns.map((c) => Math.max(...[header, ...rows].map((row) => row[c].length)));
      for (const row of [header, ...rows])
        ctx.out(
          columns
            .map((c, i) => row[c].padEnd(widths[i]))
            .join('  ')
            .trimEnd(),
        );
    });
}
