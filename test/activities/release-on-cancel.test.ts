// A verification cancelled mid-read still deletes the connection it made: its credentials must not
// outlive the run. Real HTTP to the simulator's prisma profile, real Postgres (PGlite).
import { strict as assert } from 'assert';
import { withReadOnlySession } from '../../src/activities/database-access';
import { createManagementApi, type PrismaApi } from '../../src/api/client';
import { startSimulator, type PrismaSimulator } from '../../simulator';

describe('a verification cancelled while it reads', function () {
  this.timeout(60_000);
  let sim: PrismaSimulator;
  let api: PrismaApi;
  before(async () => {
    sim = await startSimulator({ profile: 'prisma', token: 'tok_release', data: 'postgres' });
    api = createManagementApi({ profile: 'prisma', baseUrl: sim.url, token: 'tok_release' }) as PrismaApi;
  });
  after(() => sim.close());

  it('deletes its connection although the activity signal is aborted', async () => {
    const cancel = new AbortController();
    const request = { databaseId: 'db_demo', connectionName: 'verify-release', signal: cancel.signal };
    await assert.rejects(
      withReadOnlySession(api, undefined, request, async (session) => {
        await session.query('SELECT 1');
        // Cancelled here, as a worker shutdown or a cancelled run aborts the activity.
        cancel.abort();
        throw new Error('cancelled');
      }),
    );
    const left = await api.listConnections('db_demo', {});
    assert.deepEqual(
      left.filter((c) => c.name === 'verify-release'),
      [],
      'a connection with live credentials was left on the database',
    );
  });
});
