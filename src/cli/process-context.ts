// The CLI's context in a real process: stdout/stderr, the terminal, Temporal from the environment.
import { createInterface } from 'node:readline/promises';
import type { Client } from '@temporalio/client';
import { apiProfile, ConfigError, logFormat, type LogFormat } from '../shared/config';
import { jsonLogLine } from '../shared/json-log';
import { TASK_QUEUE } from '../shared/constants';
import { connectClient, temporalConfig } from '../temporal/connect';
import { CliError, EXIT, type CliContext } from './context';
import { cliInvocation, npmScript } from './invocation';

/** Temporal's settings, or why they cannot be read (reported when a command needs Temporal, so --help still works). */
function readTemporalConfig(): { address: string; namespace: string; problem?: string } {
  try {
    const { connectionOptions, namespace } = temporalConfig();
    return { address: connectionOptions.address, namespace };
  } catch (err) {
    const problem = `Temporal's environment configuration cannot be read (${(err as Error).message}): check TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE and the TEMPORAL_* variables.`;
    return { address: 'unknown', namespace: 'unknown', problem };
  }
}

/** The log format, or text with a note on stderr when the setting is unusable (the CLI still runs). */
function readLogFormat(): LogFormat {
  try {
    return logFormat(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message} Writing plain lines.\n`);
    return 'text';
  }
}

export function processContext(): CliContext & { close(): Promise<void> } {
  const { address, namespace, problem } = readTemporalConfig();
  const isTTY = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  const json = readLogFormat() === 'json';
  let client: Promise<Client> | undefined;
  const writer =
    (stream: NodeJS.WriteStream, level: string): CliContext['out'] =>
    (line, fields) =>
      stream.write(`${json ? jsonLogLine(new Date(), level, line.trim(), fields) : line}\n`);
  return {
    out: writer(process.stdout, 'info'),
    err: writer(process.stderr, 'error'),
    isTTY,
    // JSON lines are never redrawn: each change is a line of its own.
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
      if (problem) return Promise.reject(new CliError(problem, EXIT.usage));
      client ??= connectClient().catch((err: Error) => {
        throw new CliError(err.message, EXIT.unavailable);
      });
      return client;
    },
    temporal: { address, namespace },
    taskQueue: TASK_QUEUE,
    apiProfile() {
      try {
        return apiProfile(process.env);
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(`Nothing was started: ${err.message}`, EXIT.usage);
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
