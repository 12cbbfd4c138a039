import { strict as assert } from 'assert';
import http from 'http';
import { startSimulator, type Simulator } from '../../simulator';
import { seedApi } from '../support/openapi';
import { call, createBackup, prismaErrorEnvelope, startPrismaSimulator, startTestSimulator, TOKEN } from './client';

const CAP = 64 * 1024;

/** POSTs chunks without ending the request: resolves with the answer that comes before the body is complete. */
function answerBeforeBodyEnds(url: string, chunks: Buffer[]): Promise<{ status?: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode, text });
        req.destroy();
      });
    });
    req.on('error', reject);
    chunks.forEach((chunk) => req.write(chunk));
  });
}

describe('simulator limits', () => {
  let sim: Simulator;
  const logLines: string[] = [];
  beforeEach(async () => {
    logLines.length = 0;
    sim = await startTestSimulator({ backupDurationMs: 0, log: (line) => logLines.push(line) });
  });
  afterEach(() => sim.close());

  it('answers 413 in the envelope to a body over 64 KiB, applies nothing and keeps none of it', async () => {
    const res = await createBackup(sim, 'db_demo', { body: { label: 'x'.repeat(CAP) } });
    assert.equal(res.status, 413);
    assert.deepEqual(seedApi.validateComponent('Error', res.json), []);
    assert.equal(res.json.error.code, 'PAYLOAD_TOO_LARGE');
    assert.match(res.json.error.message, /larger than 65536 bytes/);
    assert.equal(sim.effects.backupsCreated.length, 0);
    assert.equal(sim.requests[0].status, 413);
    assert.equal(sim.requests[0].body, undefined);
    assert.deepEqual(logLines, ['POST /v1/databases/db_demo/backups -> 413']);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const envelope = JSON.stringify({ label: '' });
    const body = JSON.stringify({ label: 'x'.repeat(CAP - envelope.length) });
    assert.equal(Buffer.byteLength(body), CAP);
    assert.equal((await createBackup(sim, 'db_demo', { body })).status, 202);
  });

  it('answers 413 to a chunked body as soon as it passes the cap, without waiting for the rest', async () => {
    const res = await answerBeforeBodyEnds(`${sim.url}/databases/db_demo/backups`, [Buffer.alloc(40_000, 'a'), Buffer.alloc(40_000, 'a')]);
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.text).error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(sim.effects.backupsCreated.length, 0);
  });

  it('caps the body in the prisma profile too, with its envelope', async () => {
    const prisma = await startPrismaSimulator();
    try {
      const res = await call(prisma, 'POST', '/databases/db_demo/restore', { body: 'x'.repeat(CAP + 1) });
      assert.equal(res.status, 413);
      assert.deepEqual(prismaErrorEnvelope(res.json), []);
      assert.equal(prisma.effects.restoresApplied.length, 0);
    } finally {
      await prisma.close();
    }
  });

  it('keeps the latest requestLogLimit requests, counts the dropped ones, and keeps every effect', async () => {
    const capped = await startTestSimulator({ backupDurationMs: 0, requestLogLimit: 3 });
    try {
      const held = capped.requests;
      for (let i = 0; i < 5; i++) await createBackup(capped);
      assert.deepEqual(
        capped.requests.map((r) => r.seq),
        [3, 4, 5],
      );
      assert.equal(held, capped.requests, 'the array is trimmed in place');
      assert.equal(capped.stats.requestsReceived, 5);
      assert.equal(capped.stats.requestsDropped, 2);
      assert.equal(capped.effects.backupsCreated.length, 5);
    } finally {
      await capped.close();
    }
  });

  it('keeps no requests with requestLogLimit 0, and refuses a limit that is not a whole number', async () => {
    const silent = await startTestSimulator({ requestLogLimit: 0 });
    try {
      await createBackup(silent);
      assert.equal(silent.requests.length, 0);
      assert.equal(silent.stats.requestsDropped, 1);
      assert.equal(silent.effects.backupsCreated.length, 1);
    } finally {
      await silent.close();
    }
    for (const requestLogLimit of [-1, 1.5, Infinity]) {
      await assert.rejects(startSimulator({ token: TOKEN, requestLogLimit }), /requestLogLimit must be a whole number/);
    }
  });
});
