export { ApiError } from './api-error';
export { createManagementApi, DEFAULT_REQUEST_TIMEOUT_MS, type ManagementApi, type ApiClientOptions } from './client';
export { readApiToken, redact, TokenConfigError } from './token';
