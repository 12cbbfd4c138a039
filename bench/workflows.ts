// The benchmark worker's workflow bundle: the product's workflows and the no-op baseline, so the
// runs and their baseline are measured on the same worker code.
export * from '../src/workflows';
export { benchNoopWorkflow } from './noop-workflow';
