// The starter: start one run on Temporal, follow it, exit with its outcome.
import { parseStarterArgs, STARTER_USAGE } from './client/args';
import { EXIT, startAndReport } from './client/report';
import { assertValidInput } from './client/start-run';
import { connectClient, temporalConfig } from './temporal/connect';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseStarterArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${STARTER_USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    console.log(STARTER_USAGE);
    return EXIT.ok;
  }
  try {
    assertValidInput(args.input);
  } catch (err) {
    console.error((err as Error).message);
    return EXIT.usage;
  }
  const client = await connectClient();
  try {
    const { connectionOptions, namespace } = temporalConfig();
    return await startAndReport(client, args.input, { address: connectionOptions.address, namespace, workflowId: args.workflowId });
  } finally {
    await client.connection.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(EXIT.runFailed);
  },
);
