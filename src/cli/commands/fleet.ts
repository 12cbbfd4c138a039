// `fleet drill|restore|backup`: a run per database of a project (or a list), a few at a time, with a report; exit 1 if any failed.
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { FLEET_WORKFLOW_TYPE } from '../../shared/constants';
import type { FleetInput } from '../../shared/input';
import { defaultWorkflowId, startFleet } from '../../runs/start';
import { confirmTargets, YES_REFUSED } from '../confirm';
import type { CliContext } from '../context';
import { fleetInput, RUN_FLAGS, withFlags } from '../flags';
import { startAndFollow } from '../follow';
import { checkedWorkflowId, withStartOptions } from './start';

const ACTIONS: Record<FleetInput['action'], string> = {
  drill: "Prisma: drill every database of --project (or --databases): each one's newest backup into a scratch database, verified, deleted.",
  restore: 'Restore each --map source=target, each target confirmed with --confirm <id>.',
  backup: 'Seed: back up each of --databases.',
};

async function startFleetCommand(ctx: CliContext, action: FleetInput['action'], options: Record<string, unknown>) {
  if (options.yes) throw YES_REFUSED;
  const input = fleetInput(action, options, ctx.apiProfile());
  await confirmTargets(ctx, Object.values(input.targets ?? {}), (options.confirm as string[]) ?? []);
  const over = input.projectId ?? `${(input.databaseIds ?? Object.keys(input.targets ?? {})).length}-databases`;
  const workflowId = checkedWorkflowId((options.workflowId as string) ?? defaultWorkflowId(`fleet-${action}`, over));
  const start = (client: Client) => startFleet(client, input, workflowId, { taskQueue: ctx.taskQueue });
  ctx.exitCode = await startAndFollow(ctx, FLEET_WORKFLOW_TYPE, start, options, { subject: `fleet ${action} over ${over}` });
}

export function fleetCommand(ctx: CliContext): Command {
  const fleet = new Command('fleet').description(
    'Run every database of a project (or a list) a handful at a time, with a report per database.',
  );
  for (const [action, description] of Object.entries(ACTIONS) as [FleetInput['action'], string][]) {
    const command = withStartOptions(withFlags(new Command(action).description(description), RUN_FLAGS.fleet), action === 'restore');
    fleet.addCommand(command.action((options: Record<string, unknown>) => startFleetCommand(ctx, action, options)));
  }
  return fleet;
}
