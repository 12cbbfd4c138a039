// The CLI's entry point (bin `prisma-backup`, `npm run starter -- <command>`): run one command, exit with its code.
import { runCli } from './cli/program';
import { processContext } from './cli/process-context';

// Output piped into `head` and the like: stop quietly once the reader has gone.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const ctx = processContext();
runCli(process.argv.slice(2), ctx)
  .then(async (code) => {
    await ctx.close();
    process.exit(code);
  })
  .catch((err: unknown) => {
    // runCli reports what it expects; anything else is a bug worth its stack.
    console.error(err);
    process.exit(1);
  });
