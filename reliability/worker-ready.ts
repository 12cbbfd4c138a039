/** What worker-main prints once its worker polls; the parent waits for it before counting a restart done. */
export const WORKER_READY_LINE = 'reliability worker ready on task queue';
