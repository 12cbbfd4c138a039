// The CLI's context in a real process: stdout/stderr, the terminal, Temporal from the environment.
import { createInterface } from 'node:readline/promises';
import type { Client } from '@temporalio/client';
import { apiProfile, ConfigError, logFormat, taskQueue } from '../shared/config';
import { jsonLogLine } from '../shared/json-log';
import { connectClient, temporalConfig } from '../temporal/connect';
import { CliError, EXIT, START_TEMPORAL, type CliContext } from './context';
import { cliInvocation, npmScript } from './invocation';

export function processContext(): CliContext & { close(): Promise<void> } {
  let config: { address: string; namespace: string; problem?: string };
  try {
    const { connectionOptions, namespace } = temporalConfig();
    config = { address: connectionOptions.address, namespace };
  } catch (err) {
    config = { address: 'unknown', namespace: 'unknown', problem: (err as Error).message };
  }
  let json = false;
  try {
    json = logFormat() === 'json';
  } catch (err) {
    process.stderr.write(`${(err as Error).message} Writing plain lines.\n`);
  }
  const isTTY = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  let client: Promise<Client> | undefined;
  const writer = (stream: NodeJS.WriteStream, level: string) => (line: string, fields?: object) =>
    stream.write(`${json ? jsonLogLine(new Date(), level, line.trim(), fields as Record<string, unknown>) : line}\n`);
  return {
    out: writer(process.stdout, 'info'),
    err: writer(process.stderr, 'error'),
    isTTY,
    redraw: isTTY && !json ? (line) => process.stdout.write(line === undefined ? '\n' : `\r\x1b[2K${line}`) : undefined,
    onInterrupt(handler) {
      const listener = () => {
        handler();
        process.exit(EXIT.interrupted);
      };
      process.once('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
    async ask(question) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    client() {
      if (config.problem)
        return Promise.reject(
          new CliError(
            'TEMPORAL_CONFIG',
            `Temporal's environment configuration cannot be read: ${config.problem}`,
            'Check TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE and the TEMPORAL_* variables.',
          ),
        );
      client ??= connectClient().catch(() =>
        Promise.reject(
          new CliError('TEMPORAL_UNREACHABLE', `Cannot reach Temporal at ${config.address}.`, START_TEMPORAL, EXIT.unavailable),
        ),
      );
      return client;
    },
    temporal: { address: config.address, namespace: config.namespace },
    taskQueue: taskQueue(),
    apiProfile() {
      try {
        return apiProfile();
      } catch (err) {
        if (err instanceof ConfigError)
          throw new CliError('INVALID_CONFIG', `Nothing was started: ${err.message}`, 'Fix the setting, as the workers read it too.');
        throw err;
      }
    },
    followIntervalMs: 1000,
    invocation: cliInvocation(process.env, process.argv[1]),
    npmScript: npmScript(process.env),
    async close() {
      if (client) await (await client.catch(() => undefined))?.connection.close();
    },
  };
}
