import { temporalConfig } from '../src/temporal/connect';
import { type DevServerOptions, startDevServer } from './dev-server';

export interface ResolvedTemporal {
  /** gRPC `host:port`. */
  address: string;
  namespace: string;
  /** Web UI, when known. */
  uiUrl: string | undefined;
  /** True when this call started a dev server (and `stop()` stops it). */
  started: boolean;
  /** Stops the server this call started; a no-op for an external one. */
  stop(): Promise<void>;
}

/**
 * The Temporal service to use: the one Temporal's environment configuration names (`TEMPORAL_ADDRESS`,
 * or a profile; the same settings the worker and client connect with), in which case nothing is
 * started; otherwise a fresh dev server from {@link startDevServer}. `TEMPORAL_UI_URL` is optional.
 */
export async function resolveTemporal(options: DevServerOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTemporal> {
  const config = temporalConfig(env);
  if (config.configured) {
    return {
      address: config.connectionOptions.address,
      namespace: config.namespace,
      uiUrl: env.TEMPORAL_UI_URL?.trim() || undefined,
      started: false,
      stop: async () => {},
    };
  }
  const server = await startDevServer(options);
  return {
    address: server.address,
    namespace: server.namespace,
    uiUrl: server.uiUrl,
    started: true,
    stop: () => server.stop(),
  };
}
