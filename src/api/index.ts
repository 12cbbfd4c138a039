export { ApiError } from './api-error';
export {
  hasProfile,
  type ApiClientOptions,
  type CallOptions,
  type CreateDatabaseFromBackup,
  type CreatedConnection,
  type ListBackupsOptions,
  type ManagementApi,
  type SeedCallOptions,
} from './client';
export { createManagementApi, DEFAULT_REQUEST_TIMEOUT_MS } from './create-management-api';
export { readApiToken, redact, TokenConfigError } from './token';
