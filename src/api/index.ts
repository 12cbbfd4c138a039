export { ApiError } from './api-error';
export {
  createManagementApi,
  hasProfile,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ApiClientOptions,
  type CallOptions,
  type CreateDatabaseFromBackup,
  type CreatedConnection,
  type ListBackupsOptions,
  type ManagementApi,
  type SeedCallOptions,
} from './client';
export { readApiToken, redact, TokenConfigError } from './token';
