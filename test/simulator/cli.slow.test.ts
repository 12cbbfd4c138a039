import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import { join } from 'path';
import { Client } from 'pg';
import { readCliConfig } from '../../simulator/cli-config';
import { call } from './client';

const MAIN = join(__dirname, '..', '..', 'simulator', 'main.ts');

describe('simulator CLI config', () => {
  it('requires PRISMA_API_TOKEN and says how to set it', () => {
    for (const token of [undefined, '']) {
      const config = readCliConfig({ PRISMA_API_TOKEN: token });
      assert.equal(config.ok, false);
      assert.match(!config.ok ? config.error : '', /PRISMA_API_TOKEN is not set\. Set it/);
    }
  });

  it('defaults to 127.0.0.1:4010 and leaves other settings to startSimulator', () => {
    assert.deepEqual(readCliConfig({ PRISMA_API_TOKEN: 't' }), {
      ok: true,
      options: { token: 't', port: 4010, host: '127.0.0.1' },
    });
  });

  it('reads host, port, duration (Infinity too) and a comma list of databases', () => {
    const config = readCliConfig({
      PRISMA_API_TOKEN: 't',
      SIMULATOR_HOST: '0.0.0.0',
      SIMULATOR_PORT: '0',
      SIMULATOR_BACKUP_DURATION_MS: 'Infinity',
      SIMULATOR_DATABASES: ' db_a, db_b ,,',
    });
    assert.deepEqual(config, {
      ok: true,
      options: { token: 't', host: '0.0.0.0', port: 0, backupDurationMs: Infinity, databases: ['db_a', 'db_b'] },
    });
  });

  it('reads SIMULATOR_PROFILE=prisma with its recovery and provisioning times', () => {
    const config = readCliConfig({
      PRISMA_API_TOKEN: 't',
      SIMULATOR_PROFILE: 'prisma',
      SIMULATOR_RECOVERY_MS: '500',
      SIMULATOR_PROVISIONING_MS: 'Infinity',
      SIMULATOR_DATABASES: 'db_a',
    });
    assert.deepEqual(config, {
      ok: true,
      options: {
        profile: 'prisma',
        token: 't',
        port: 4010,
        host: '127.0.0.1',
        databases: ['db_a'],
        recoveryMs: 500,
        provisioningMs: Infinity,
      },
    });
  });

  it('reads SIMULATOR_DATA=postgres with SIMULATOR_MAX_LIVE_DATABASES', () => {
    assert.deepEqual(readCliConfig({ PRISMA_API_TOKEN: 't', SIMULATOR_DATA: 'postgres', SIMULATOR_MAX_LIVE_DATABASES: '2' }), {
      ok: true,
      options: { token: 't', port: 4010, host: '127.0.0.1', data: 'postgres', maxLiveDatabases: 2 },
    });
    assert.deepEqual(readCliConfig({ PRISMA_API_TOKEN: 't', SIMULATOR_DATA: 'metadata' }), {
      ok: true,
      options: { token: 't', port: 4010, host: '127.0.0.1' },
    });
    const misplaced = readCliConfig({ PRISMA_API_TOKEN: 't', SIMULATOR_MAX_LIVE_DATABASES: '2' });
    assert.deepEqual(misplaced, { ok: false, error: 'SIMULATOR_MAX_LIVE_DATABASES applies with SIMULATOR_DATA=postgres only' });
  });

  it("refuses another profile's setting instead of ignoring it", () => {
    const seed = readCliConfig({ PRISMA_API_TOKEN: 't', SIMULATOR_RECOVERY_MS: '5' });
    assert.deepEqual(seed, { ok: false, error: 'SIMULATOR_RECOVERY_MS applies to the prisma profile only; SIMULATOR_PROFILE is seed' });
    const prisma = readCliConfig({ PRISMA_API_TOKEN: 't', SIMULATOR_PROFILE: 'prisma', SIMULATOR_BACKUP_DURATION_MS: '5' });
    assert.ok(!prisma.ok && prisma.error.startsWith('SIMULATOR_BACKUP_DURATION_MS applies to the seed profile only'));
  });

  it('rejects values that would misbehave, naming the variable', () => {
    const cases: Record<string, string>[] = [
      { SIMULATOR_PORT: '70000' },
      { SIMULATOR_PORT: 'http' },
      { SIMULATOR_BACKUP_DURATION_MS: '-5' },
      { SIMULATOR_BACKUP_DURATION_MS: 'soon' },
      { SIMULATOR_BACKUP_DURATION_MS: '' },
      { SIMULATOR_DATABASES: ' , ' },
      { SIMULATOR_PROFILE: 'official' },
      { SIMULATOR_DATA: 'sqlite' },
      { SIMULATOR_MAX_LIVE_DATABASES: '0', SIMULATOR_DATA: 'postgres' },
      { SIMULATOR_MAX_LIVE_DATABASES: 'many', SIMULATOR_DATA: 'postgres' },
    ];
    for (const env of cases) {
      const config = readCliConfig({ PRISMA_API_TOKEN: 't', ...env });
      assert.equal(config.ok, false, JSON.stringify(env));
      assert.ok(!config.ok && config.error.includes(Object.keys(env)[0]), JSON.stringify(config));
    }
  });
});

describe('simulator CLI process', function () {
  // A child process compiles main.ts first; transpile-only keeps that near half a second, the margin is for slow hosts.
  this.timeout(10_000);
  const run = (env: Record<string, string>) =>
    spawn(process.execPath, ['-r', 'ts-node/register', MAIN], {
      cwd: join(__dirname, '..', '..'),
      env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('exits 2 with a clear message when PRISMA_API_TOKEN is missing', async () => {
    const child = run({});
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /PRISMA_API_TOKEN is not set/);
  });

  it('prints its URL, serves requests, never prints the token, and stops on SIGTERM', async () => {
    const token = 'cli-secret-token-7781';
    const child = run({ PRISMA_API_TOKEN: token, SIMULATOR_PORT: '0', SIMULATOR_DATABASES: 'db_cli' });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /listening at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
        if (match) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });

    const res = await fetch(`${url}/databases/db_cli/backups`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: [] });
    const now = await fetch(`${url.replace(/\/v1$/, '')}/_simulator/databases/db_cli/backups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(now.status, 201);
    assert.equal(((await now.json()) as { status: string }).status, 'completed');

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /GET \/v1\/databases\/db_cli\/backups -> 200/);
    assert.match(output, /POST \/_simulator\/databases\/\{databaseId\}\/backups .*"pending"/);
    assert.match(
      output,
      /curl -X POST -H "Authorization: Bearer \$PRISMA_API_TOKEN" http:\/\/127\.0\.0\.1:\d+\/_simulator\/databases\/db_cli\/backups/,
    );
    assert.match(output, /POST \/_simulator\/databases\/db_cli\/backups -> 201/);
    assert.ok(!output.includes(token), output);
  });

  it('serves the prisma profile with a completed backup per database, restorable at once', async () => {
    const token = 'cli-secret-token-prisma-19';
    const child = run({ PRISMA_API_TOKEN: token, SIMULATOR_PORT: '0', SIMULATOR_PROFILE: 'prisma', SIMULATOR_DATABASES: 'db_cli' });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const [url, backupId] = await new Promise<[string, string]>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const listening = /listening at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
        const backup = /Database db_cli \(project proj_demo\): completed backup (\w+)/.exec(output);
        if (listening && backup) resolve([listening[1], backup[1]]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });

    const res = await fetch(`${url}/databases/db_cli/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { type: 'backup', databaseId: 'db_cli', backupId } }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { data: { status: string } }).data.status, 'recovering');

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /POST \/v1\/databases\/db_cli\/restore -> 200/);
    assert.ok(!output.includes(token), output);
  });

  it('with SIMULATOR_DATA=postgres prints where each database listens, never a connection string', async function () {
    this.timeout(60_000); // the first in-memory Postgres of a process runs initdb
    const child = run({
      PRISMA_API_TOKEN: 'cli-data-token-3',
      SIMULATOR_PORT: '0',
      SIMULATOR_DATA: 'postgres',
      SIMULATOR_DATABASES: 'db_cli',
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /Database db_cli holds real data: Postgres at (127\.0\.0\.1:\d+) \(any user and password\)/.exec(output);
        if (match) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });

    const client = new Client({ connectionString: `postgres://anyone:anything@${address}/postgres` });
    await client.connect();
    try {
      assert.deepEqual((await client.query('SELECT 1 + 1 AS two')).rows, [{ two: 2 }]);
    } finally {
      await client.end();
    }

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(!/postgres:\/\//.test(output), output);
  });

  it('with SIMULATOR_DATA=postgres (prisma) takes no backup at start: rows loaded, backed up now, changed, restored', async function () {
    this.timeout(90_000); // the first in-memory Postgres of a process runs initdb, then each load and snapshot
    const token = 'cli-rows-token-44';
    const child = run({
      PRISMA_API_TOKEN: token,
      SIMULATOR_PORT: '0',
      SIMULATOR_PROFILE: 'prisma',
      SIMULATOR_DATA: 'postgres',
      SIMULATOR_DATABASES: 'db_cli',
      SIMULATOR_RECOVERY_MS: '0',
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const [url, address] = await new Promise<[string, string]>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const listening = /listening at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
        const database = /Database db_cli holds real data: Postgres at (127\.0\.0\.1:\d+)/.exec(output);
        if (listening && database && /Admin routes/.test(output)) resolve([listening[1], database[1]]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    // Paths from the origin: the API under /v1, the admin routes under /_simulator.
    const api = (method: string, path: string, body?: unknown) => call({ url: url.replace(/\/v1$/, '') }, method, path, { token, body });
    const psql = async (text: string) => {
      const client = new Client({ connectionString: `postgres://me:anything@${address}/postgres` });
      await client.connect();
      try {
        return (await client.query(text)).rows;
      } finally {
        await client.end();
      }
    };

    try {
      assert.deepEqual((await api('GET', '/v1/databases/db_cli/backups')).json.data, [], 'no backup of the empty database');
      await psql("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('mine')");
      const backup = await api('POST', '/_simulator/databases/db_cli/backups');
      assert.equal(backup.status, 201);
      await psql("UPDATE notes SET body = 'changed'");
      const restore = await api('POST', '/v1/databases/db_cli/restore', {
        source: { type: 'backup', databaseId: 'db_cli', backupId: backup.json.id },
      });
      assert.equal(restore.status, 200);
      while ((await api('GET', '/v1/databases/db_cli')).json.data.status !== 'ready') await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(await psql('SELECT body FROM notes'), [{ body: 'mine' }]);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.ok(!/completed backup/.test(output), output);
    assert.ok(!output.includes(token) && !/postgres:\/\//.test(output), output);
  });
});
