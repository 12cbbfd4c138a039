// The worker process: runs workflows and activities until SIGINT/SIGTERM, then drains gracefully.
import { databaseUrlsFromFile, DATABASE_URLS_FILE_ENV } from './activities/database-access';
import { createManagementApi, readApiToken } from './api/client';
import { apiSettings, taskQueue } from './shared/config';
import { connectWorker } from './temporal/connect';
import { createBackupWorker } from './temporal/create-worker';
import { setUpWorkerObservability, type WorkerObservability } from './temporal/observability';

let observability: WorkerObservability | undefined;

async function main() {
  const settings = apiSettings();
  const api = createManagementApi({ ...settings, token: readApiToken() });
  // Logs and metrics before any connection: the SDK's Runtime is set up once per process.
  observability = await setUpWorkerObservability();
  const { logger, metrics, metricsUrl } = observability;
  const { connection, namespace } = await connectWorker();
  const urlsFile = process.env[DATABASE_URLS_FILE_ENV]?.trim();
  const worker = await createBackupWorker({
    connection,
    namespace,
    api,
    metrics,
    taskQueue: taskQueue(),
    ...(urlsFile ? { databaseUrls: databaseUrlsFromFile(urlsFile) } : {}),
  });
  logger.info(
    `Worker polling task queue ${worker.options.taskQueue} in namespace ${namespace}; Management API ${settings.baseUrl} (profile ${settings.profile}); ${metricsUrl ? `metrics at ${metricsUrl}` : 'metrics off'}`,
  );
  // The SDK turns SIGINT/SIGTERM into worker.shutdown(); run() resolves when drained.
  await worker.run();
  await connection.close();
  await observability.close();
}

main().catch((err) => {
  const message = err instanceof Error ? err.message : String(err);
  if (observability) observability.logger.error(message);
  else console.error(message);
  process.exit(1);
});
