// The CLI's entry point (bin `prisma-backup`, `npm run starter -- <command>`): run one command, exit with its code.
import { runCli } from './cli/program';
import { processContext } from './cli/process-context';

const ctx = processContext();
runCli(process.argv.slice(2), ctx)
  .then(async (code) => {
    await ctx.close();
    process.exit(code);
  });
