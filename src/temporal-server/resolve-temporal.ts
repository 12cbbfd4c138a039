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
 * The Temporal service to use: the one named by `TEMPORAL_ADDRESS` (with `TEMPORAL_NAMESPACE`, default
 * `default`, and optional `TEMPORAL_UI_URL`) when set, in which case nothing is started; otherwise a
 * fresh dev server from {@link startDevServer}.
 */
export async function resolveTemporal(
  options: DevServerOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedTemporal> {
  const external = env.TEMPORAL_ADDRESS?.trim();
  if (external) {
    return {
      address: external,
      namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
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
