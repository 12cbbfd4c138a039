// A namespace of its own on the test server, for tests whose processes (the CLI, `npm start`, a worker
// process) use the product's fixed task queue (TASK_QUEUE): in the shared namespace, any other worker
// polling that queue (a developer's `npm run worker`, another test process) would take their tasks
// and call its own API. Registered with the search attributes, deleted when the test is done.
import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/shared/constants';
import { testTemporalAddress } from '../support/temporal';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;

export interface OwnNamespace {
  namespace: string;
  /** Deletes the namespace (the server removes its runs in the background). */
  remove(): Promise<void>;
}

export async function ownNamespace(prefix: string): Promise<OwnNamespace> {
  const namespace = `${prefix}-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address: testTemporalAddress() });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      description: 'A test of prisma-postgres-backup-restore (test/integration/own-namespace.ts); deleted when it ends.',
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const searchAttributes = Object.fromEntries(SEARCH_ATTRIBUTE_NAMES.map((name) => [name, KEYWORD]));
    const end = Date.now() + 30_000;
    for (;;) {
      try {
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        if (SEARCH_ATTRIBUTE_NAMES.every((name) => customAttributes?.[name] === KEYWORD)) break;
      } catch (err) {
        if (Date.now() > end) throw err;
      }
      if (Date.now() > end) throw new Error(`The search attributes of namespace ${namespace} were not registered within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await connection.close();
  }
  return {
    namespace,
    async remove() {
      const again = await Connection.connect({ address: testTemporalAddress() });
      try {
        await again.operatorService.deleteNamespace({ namespace });
      } finally {
        await again.close();
      }
    },
  };
}
