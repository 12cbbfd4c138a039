/** What bench/worker-main.ts prints once its worker polls. */
export const BENCH_WORKER_READY = 'bench worker polling task queue';
