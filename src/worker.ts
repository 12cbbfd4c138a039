// The worker process: runs workflows and activities until SIGINT/SIGTERM, then shuts down
// gracefully (running activities get the grace time to finish).
import { databaseUrlsFromFile, DATABASE_URLS_FILE_ENV } from './activities/database-urls';
import { createManagementApi, readApiToken } from './api';
import { apiSettings } from './shared/config';
import { connectWorker } from './temporal/connect';
import { createBackupWorker } from './temporal/create-worker';

async function main() {
  // The client speaks the configured profile (PRISMA_API_PROFILE, default prisma).
  const settings = apiSettings();
  const api = createManagementApi({ ...settings, token: readApiToken() });
  const { connection, namespace } = await connectWorker();
  // Seed profile: where verification finds connection strings (the prisma profile makes its own).
  const urlsFile = process.env[DATABASE_URLS_FILE_ENV]?.trim();
  const worker = await createBackupWorker({
    connection,
    namespace,
    api,
    ...(urlsFile ? { databaseUrls: databaseUrlsFromFile(urlsFile) } : {}),
  });
  console.log(
    `Worker polling task queue ${worker.options.taskQueue} in namespace ${namespace}; Management API ${settings.baseUrl} (profile ${settings.profile})`,
  );
  // The SDK's runtime turns SIGINT/SIGTERM into worker.shutdown(); run() resolves when drained.
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
