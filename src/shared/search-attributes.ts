// Typed keys of the custom search attributes (names in constants.ts): the workflow upserts them,
// the client sets them at start, and `list` queries by them.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from './constants';

export const PHASE_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.phase, SearchAttributeType.KEYWORD);
export const DATABASE_ID_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.databaseId, SearchAttributeType.KEYWORD);
export const BACKUP_ID_KEY = defineSearchAttributeKey(SEARCH_ATTRIBUTES.backupId, SearchAttributeType.KEYWORD);
