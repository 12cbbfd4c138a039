// Headless Chromium for the browser tests: Debian's `chromium` package (or CHROMIUM_PATH), driven by
// playwright-core, which brings no browser of its own.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox', // CI runs as root, where Chromium's sandbox refuses to start
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const INSTALL_HINT =
  'Install it with `apt-get install chromium` (Debian/Ubuntu; `.ci/run` does this in CI), ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable.';

/** The executable to use, or why there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { problem: string } {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    return existsSync(configured)
      ? { path: configured }
      : { problem: `CHROMIUM_PATH is ${configured}, which does not exist. ${INSTALL_HINT}` };
  }
  if (existsSync(DEFAULT_CHROMIUM_PATH)) return { path: DEFAULT_CHROMIUM_PATH };
  return { problem: `No Chromium at ${DEFAULT_CHROMIUM_PATH}. ${INSTALL_HINT}` };
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS, timeout: 60_000 });
}
