// How a run shows itself in the Temporal Web UI: search attributes that follow its phase and
// backup, and "current details" while it waits.
import { patched, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { BACKUP_ID_KEY, DATABASE_ID_KEY, PHASE_KEY } from '../shared/search-attributes';
import type { Phase } from '../shared/workflow-types';

/** Runs recorded before the Web UI story existed replay without its commands. */
export const WEB_UI_PATCH = 'web-ui-story';

export interface WebUi {
  phase(phase: Phase): void;
  backup(backupId: string): void;
  /** The current details (Markdown); empty for none. */
  details(text: string): void;
}

/**
 * Search attributes are upserted only when the run was started with them (the client sets
 * DatabaseId at start), because a server without them registered, such as the time-skipping test
 * server, would fail every upsert.
 */
export function webUi(): WebUi {
  const publish = patched(WEB_UI_PATCH) && workflowInfo().typedSearchAttributes.get(DATABASE_ID_KEY) !== undefined;
  return {
    phase(phase) {
      if (publish) upsertSearchAttributes([{ key: PHASE_KEY, value: phase }]);
    },
    backup(backupId) {
      if (publish) upsertSearchAttributes([{ key: BACKUP_ID_KEY, value: backupId }]);
    },
    details(text) {
      setCurrentDetails(text);
    },
  };
}
