/** What a cluster worker (worker-main.ts) prints once it polls its task queue. */
export const WORKER_READY_LINE = 'Cluster worker polling';
