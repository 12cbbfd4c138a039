// Running Temporal locally: finding/installing the CLI, starting the dev server, choosing a server.
export { startDevServer, type DevServer, type DevServerOptions } from './dev-server';
export {
  BASE_DEV_SERVER_ENV,
  BASE_DYNAMIC_CONFIG,
  buildDevServerArgs,
  devServerEnv,
  dynamicConfigArg,
  keywordSearchAttributeNames,
  LOOPBACK_IP,
  parseDynamicConfigPair,
  serverAddress,
  webUiUrl,
  type DevServerArgsOptions,
  type DevServerLogLevel,
} from './dev-server-args';
export { findFreePort, findFreePorts, isPortFree } from './free-ports';
export { DEFAULT_DEV_DB_FILENAME, PROJECT_ROOT, TEMPORAL_STATE_DIR } from './project-paths';
export { resolveTemporal, type ResolvedTemporal } from './resolve-temporal';
export { ensureKeywordSearchAttributes, waitForServer, type WaitForServerOptions } from './server-health';
export { findTemporalCli, findTestServer, installTemporalBinaries, type FindBinaryOptions } from './temporal-binaries';
