// Connections from Temporal's environment configuration (TEMPORAL_* variables or a profile file), so the code reaches any Temporal.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/** The connection settings; `configured` is false when neither the environment nor a profile names a server. */
export function temporalConfig(env: NodeJS.ProcessEnv = process.env) {
  const vars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: vars });
  return {
    connectionOptions: { ...connectionOptions, address: connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS },
    namespace: namespace || 'default',
    configured: connectionOptions.address !== undefined,
  };
}

/** Says where we tried to connect and what to check; the SDK's own error is kept as the cause. */
export function unreachable(address: string, err: unknown): Error {
  return new Error(
    `Cannot reach Temporal at ${address}: start one (npm run temporal:dev) or set TEMPORAL_ADDRESS ` +
      `(and TEMPORAL_NAMESPACE, TLS or TEMPORAL_API_KEY) to yours.`,
    { cause: err },
  );
}

export async function connectClient(): Promise<Client> {
  const { connectionOptions, namespace } = temporalConfig();
  try {
    const connection = await Connection.connect(connectionOptions);
    return new Client({ connection, namespace });
  } catch (err) {
    throw unreachable(connectionOptions.address, err);
  }
}

export async function connectWorker(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = temporalConfig();
  try {
    return { connection: await NativeConnection.connect(connectionOptions), namespace };
  } catch (err) {
    throw unreachable(connectionOptions.address, err);
  }
}
