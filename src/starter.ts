// The starter: start one run on Temporal, follow it, exit with its outcome.
import { STARTER_USAGE } from './client/args';
import { EXIT, startAndReport } from './client/report';
import { runRequestFromArgs } from './client/run-request';
import { connectClient, temporalConfig } from './temporal/connect';

async function main(argv: string[]): Promise<number> {
  const request = runRequestFromArgs(argv, STARTER_USAGE);
  if ('exitCode' in request) return request.exitCode;
  const client = await connectClient();
  try {
    const { connectionOptions, namespace } = temporalConfig();
    return await startAndReport(client, request.input, { address: connectionOptions.address, namespace, workflowId: request.workflowId });
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
