// The CLI's context in a real process: stdout/stderr, the terminal, Temporal from the environment.
import { createInterface } from 'node:readline/promises';
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '../shared/constants';
import { connectClient, temporalConfig } from '../temporal/connect';
import { CliError, EXIT, type CliContext } from './context';

export function processContext(): CliContext & { close(): Promise<void> } {
  const { connectionOptions, namespace } = temporalConfig();
  const isTTY = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  let client: Promise<Client> | undefined;
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY,
    redraw: isTTY ? (line) => process.stdout.write(line === undefined ? '\n' : `\r\x1b[2K${line}`) : undefined,
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
      client ??= connectClient().catch((err: Error) => {
        throw new CliError(err.message, EXIT.unavailable);
      });
      return client;
    },
    temporal: { address: connectionOptions.address, namespace },
    taskQueue: TASK_QUEUE,
    followIntervalMs: 1000,
    async close() {
      if (client) await (await client.catch(() => undefined))?.connection.close();
    },
  };
}
