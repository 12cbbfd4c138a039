// The Web UI summary and details of a run live beside the workflow, which repeats them in a
// continuation; clients import them from here too.
export { runDetails, runSummary } from '../workflows/run-summary';
