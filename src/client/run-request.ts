// From command-line arguments to a checked run request, or the exit code when there is nothing to run.
import type { BackupAndRestoreInput } from '../shared/workflow-types';
import { inFlagTerms, parseStarterArgs } from './args';
import { EXIT } from './report';
import { assertValidInput } from './start-run';

export type RunRequest = { input: BackupAndRestoreInput; workflowId?: string } | { exitCode: number };

/** Prints the help, or what is wrong and the usage, itself; `complete` fills in defaults before the check. */
export function runRequestFromArgs(
  argv: string[],
  usage: string,
  complete: (input: BackupAndRestoreInput) => BackupAndRestoreInput = (input) => input,
): RunRequest {
  try {
    const args = parseStarterArgs(argv);
    if (args.help) {
      console.log(usage);
      return { exitCode: EXIT.ok };
    }
    const input = complete(args.input);
    assertValidInput(input);
    return { input, workflowId: args.workflowId };
  } catch (err) {
    console.error(`${inFlagTerms((err as Error).message)}\n\n${usage}`);
    return { exitCode: EXIT.usage };
  }
}
