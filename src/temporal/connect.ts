// Connections from Temporal's environment configuration (TEMPORAL_* variables or a profile file), so the code reaches any Temporal.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

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
  const set = 'set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TLS or TEMPORAL_API_KEY) to yours.';
  return new Error(`Cannot reach Temporal at ${address}: start one (npm run temporal:dev) or ${set}`, { cause: err });
}

/** Connects with `connect` as the environment configures it, or says it cannot reach Temporal. */
async function connected<T>(connect: (options: ReturnType<typeof temporalConfig>['connectionOptions'], namespace: string) => Promise<T>) {
  const { connectionOptions, namespace } = temporalConfig();
  return connect(connectionOptions, namespace).catch((err: unknown) => Promise.reject(unreachable(connectionOptions.address, err)));
}

export const connectClient = (): Promise<Client> =>
  connected(async (options, namespace) => new Client({ connection: await Connection.connect(options), namespace }));

export const connectWorker = () =>
  connected(async (options, namespace) => {
    // Loaded here, not at the top: the CLI (whose --help should be quick) never needs the worker's native bridge.
    const { NativeConnection } = await import('@temporalio/worker');
    return { connection: await NativeConnection.connect(options), namespace };
  });
