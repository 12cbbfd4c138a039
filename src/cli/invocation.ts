// How the user started the CLI, so that every hint names a command they can run where they are; and
// the npm mistake of a missing `--`. Pure: the process's argv and environment come in.

/** The CLI's name: its bin and the program name in help. */
export const CLI_NAME = 'prisma-backup';

/** The npm script that runs the CLI from a checkout (package.json). */
const STARTER_SCRIPT = 'starter';

/** The commands of an npm script or npx that start the CLI: src/starter.ts (a checkout) or the bin. */
const STARTS_CLI = new RegExp(`(^|[\\s/\\\\])(src[\\\\/]starter\\.ts|${CLI_NAME}(\\.js)?)(\\s|$)`);

/**
 * The command line that starts the CLI, without its arguments. npm's variables are inherited by every
 * process below npm, so they count only when npm's own command is the CLI:
 * - `npx prisma-backup` under npx;
 * - `npm run starter --` under an npm script that runs src/starter.ts (a checkout);
 * - `npx prisma-backup` through the link npm makes in a project's node_modules/.bin (not on PATH);
 * - `prisma-backup` through the installed bin otherwise (a link named prisma-backup on PATH, or a
 *   file in node_modules, as Windows runs it);
 * - otherwise (ts-node src/starter.ts, node bin/prisma-backup.js: a checkout) `npm run starter --`,
 *   since in a checkout `prisma-backup` is not on PATH.
 */
export function cliInvocation(env: NodeJS.ProcessEnv, script: string | undefined): string {
  const npmRuns = env.npm_lifecycle_script ?? '';
  if (env.npm_command === 'exec' && npmRuns.split(/\s/)[0] === CLI_NAME) return `npx ${CLI_NAME}`;
  const event = env.npm_lifecycle_event;
  if (event && env.npm_command !== 'exec' && /\bsrc[\\/]starter\.ts\b/.test(npmRuns)) return `npm run ${event} --`;
  const parts = script?.split(/[\\/]/) ?? [];
  if (parts.slice(-3).join('/') === `node_modules/.bin/${CLI_NAME}`) return `npx ${CLI_NAME}`;
  if (parts.at(-1) === CLI_NAME || parts.includes('node_modules')) return CLI_NAME;
  return `npm run ${STARTER_SCRIPT} --`;
}

/** The npm script that started the CLI, with npm's settings (npm_config_*: its command line, .npmrc, environment). */
export interface NpmScript {
  name: string;
  config: Record<string, string>;
}

/**
 * Undefined unless an npm script whose command is the CLI started it (npx passes every argument
 * after its command on, and a script of other commands is not ours): only then can npm have taken
 * flags meant for the CLI.
 */
export function npmScript(env: NodeJS.ProcessEnv): NpmScript | undefined {
  const name = env.npm_lifecycle_event;
  if (!name || env.npm_command === 'exec' || !STARTS_CLI.test(env.npm_lifecycle_script ?? '')) return undefined;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('npm_config_') && value !== undefined) config[key.slice('npm_config_'.length)] = value;
  }
  return { name, config };
}

/**
 * npm settings with the names of flags of ours; they may come from .npmrc or the environment (CI
 * often sets npm_config_yes), so finding them is no sign of a missing `--`.
 */
const NPM_OWN_SETTINGS = new Set(['yes', 'json', 'help', 'version']);

/**
 * Our flags that npm took as its own settings: `npm run starter backup --database-id db_1` (no
 * `--`) sets npm_config_database_id and passes the CLI only `backup db_1`. A negated flag
 * (`--no-approval`) is found under its positive name.
 */
export function flagsTakenByNpm(script: NpmScript | undefined, longFlags: string[]): string[] {
  if (!script) return [];
  return [...new Set(longFlags)].filter((flag) => {
    const name = flag.replace(/^--(no-)?/, '');
    return !NPM_OWN_SETTINGS.has(name) && name.replace(/-/g, '_') in script.config;
  });
}

/** What to say when npm took flags: the fix, in terms of the script the user ran. */
export function missingDashDashMessage(script: NpmScript, flags: string[]): string {
  const run = `npm run ${script.name}`;
  return (
    `npm took ${flags.join(', ')} for itself, so the CLI never got ${flags.length === 1 ? 'it' : 'them'}: ` +
    `put \`--\` after \`${run}\`, e.g. \`${run} -- backup --database-id db_123\`. Nothing was done.`
  );
}
