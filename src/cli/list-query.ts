// The visibility query of `list`. Pure; values are checked, so nothing can change the query's shape.
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPE } from '../shared/constants';
import { PHASES, type Phase } from '../shared/workflow-types';
import { DATABASE_ID_PATTERN } from '../shared/validate-input';

const ENDED_PHASES: Phase[] = ['completed', 'failed', 'cancelled'];

export function listQuery(filters: { databaseId?: string; phase?: string }): string {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
  if (filters.databaseId !== undefined) {
    if (!DATABASE_ID_PATTERN.test(filters.databaseId)) {
      throw new Error(`--database-id ${JSON.stringify(filters.databaseId)} is not a valid database id: use only letters, digits and _.`);
    }
    clauses.push(`${SEARCH_ATTRIBUTES.databaseId} = '${filters.databaseId}'`);
  }
  if (filters.phase !== undefined) {
    if (!PHASES.includes(filters.phase as Phase))
      throw new Error(`--phase must be one of ${PHASES.join(', ')}; got ${JSON.stringify(filters.phase)}.`);
    clauses.push(`${SEARCH_ATTRIBUTES.phase} = '${filters.phase}'`);
    // A run terminated from outside keeps its last phase: only running runs are still in one.
    if (!ENDED_PHASES.includes(filters.phase as Phase)) clauses.push(`ExecutionStatus = 'Running'`);
  }
  return clauses.join(' AND ');
}
