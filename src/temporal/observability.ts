// The worker process's logs and metrics, set up once before any connection: the SDK's Runtime and our metrics endpoint.
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry, type Logger } from '@temporalio/worker';
import { logFormat, metricsAddress } from '../shared/config';
import { jsonLogLine } from '../shared/json-log';
import { WorkerMetrics } from './metrics';
import { freeLoopbackPort, serveMetrics } from './metrics-server';

export interface WorkerObservability {
  logger: Logger;
  metrics: WorkerMetrics;
  /** Where the metrics are served, when they are (PRISMA_BACKUP_METRICS_ADDRESS is not off). */
  metricsUrl?: string;
  close(): Promise<void>;
}

// An activity's task token lets whoever holds it complete the activity: the SDK logs it, we do not.
const writeJsonLine = ({ level, message, timestampNanos, meta }: LogEntry) => {
  const { taskToken: _taskToken, ...attributes } = meta ?? {};
  process.stdout.write(`${jsonLogLine(new Date(Number(timestampNanos / 1_000_000n)), level, message, attributes)}\n`);
};

/** Installs the SDK's Runtime: call once per process, before connecting to Temporal. */
export async function setUpWorkerObservability(env: NodeJS.ProcessEnv = process.env): Promise<WorkerObservability> {
  const json = logFormat(env) === 'json';
  const address = metricsAddress(env);
  const logger = json ? new DefaultLogger('INFO', writeJsonLine) : new DefaultLogger('INFO');
  const sdkPort = address ? await freeLoopbackPort() : undefined;
  Runtime.install({
    logger,
    telemetryOptions: {
      // JSON lines only if the SDK's native side writes through the same logger.
      ...(json ? { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} } } : {}),
      ...(sdkPort ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkPort}` } } } : {}),
    },
  });
  const metrics = new WorkerMetrics();
  const server = address ? await serveMetrics(address, metrics.registry, `http://127.0.0.1:${sdkPort}/metrics`) : undefined;
  return { logger, metrics, metricsUrl: server?.url, close: async () => server?.close() };
}
