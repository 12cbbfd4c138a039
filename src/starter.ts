#!/usr/bin/env node
// The CLI's entry point (bin `prisma-backup`, `npm run starter -- <command>`): one command, then its exit code.
import { runCli } from './cli/program';
import { processContext } from './cli/process-context';

// Output piped into `head` and the like: stop quietly once the reader has gone.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const ctx = processContext();
void runCli(process.argv.slice(2), ctx).then(async (code) => {
  await ctx.close();
  process.exit(code);
});
