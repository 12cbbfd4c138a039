// How the user started the CLI, so every hint names a command they can run there, and the npm mistake of a missing `--`. Pure.

export const CLI_NAME = 'prisma-backup';
/** An npm script or npx command that starts the CLI: the starter (a checkout) or the bin. */
const STARTS_CLI = new RegExp(`(^|[\\s/\\\\])(starter\\.[jt]s|${CLI_NAME}(\\.js)?)(\\s|$)`);

/** The command that starts the CLI here: `npx prisma-backup`, `npm run <script> --`, `prisma-backup` (a bin), else `npm run starter --`. */
export function cliInvocation(env: NodeJS.ProcessEnv, script: string | undefined): string {
  const npmRuns = env.npm_lifecycle_script ?? '';
  if (env.npm_command === 'exec' && npmRuns.split(/\s/)[0] === CLI_NAME) return `npx ${CLI_NAME}`;
  const event = env.npm_lifecycle_event;
  if (event && env.npm_command !== 'exec' && /\bstarter\.[jt]s\b/.test(npmRuns)) return `npm run ${event} --`;
  const parts = script?.split(/[\\/]/) ?? [];
  if (parts.slice(-3).join('/') === `node_modules/.bin/${CLI_NAME}`) return `npx ${CLI_NAME}`;
  if (parts.at(-1) === CLI_NAME || parts.includes('node_modules')) return CLI_NAME;
  return 'npm run starter --';
}

/** The npm script that started the CLI, with npm's settings (npm_config_*), which hold flags npm took. */
export type NpmScript = { name: string; config: Record<string, string> };

export function npmScript(env: NodeJS.ProcessEnv): NpmScript | undefined {
  const name = env.npm_lifecycle_event;
  if (!name || env.npm_command === 'exec' || !STARTS_CLI.test(env.npm_lifecycle_script ?? '')) return undefined;
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (key.startsWith('npm_config_') && value !== undefined) config[key.slice(11)] = value;
  return { name, config };
}

/** npm settings named like flags of ours that .npmrc or CI set anyway (npm_config_yes): no sign of a missing `--`. */
const NPM_OWN_SETTINGS = new Set(['yes', 'json', 'help', 'version']);

/** Our flags npm took as its own settings: `npm run starter backup --database-id db_1` without `--`. */
export function flagsTakenByNpm(script: NpmScript | undefined, longFlags: string[]): string[] {
  if (!script) return [];
  return [...new Set(longFlags)].filter((flag) => {
    const name = flag.replace(/^--(no-)?/, '');
    return !NPM_OWN_SETTINGS.has(name) && name.replace(/-/g, '_') in script.config;
  });
}
