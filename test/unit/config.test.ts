// Environment settings the worker and the CLI read (src/shared/config.ts, src/temporal/connect.ts),
// each refusal naming the setting and what to set; and a JSON log line (src/shared/json-log.ts).
import { strict as assert } from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  apiBaseUrl,
  apiProfile,
  apiSettings,
  ConfigError,
  DEFAULT_API_URL,
  DEFAULT_METRICS_ADDRESS,
  idempotencyKeysHonoured,
  logFormat,
  metricsAddress,
  taskQueue,
} from '../../src/shared/config';
import { jsonLogLine } from '../../src/shared/json-log';
import { DEFAULT_TEMPORAL_ADDRESS, temporalConfig, unreachable } from '../../src/temporal/connect';

const refused = (run: () => unknown, message: RegExp) =>
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.match(err.message, message);
    return true;
  });

describe('Management API settings', () => {
  it('default: Prisma’s API at its host, the prisma profile, no Idempotency-Key declared', () => {
    assert.deepEqual(apiSettings({}), { baseUrl: DEFAULT_API_URL, profile: 'prisma', idempotencyKeysHonoured: false });
    assert.equal(DEFAULT_API_URL, 'https://api.prisma.io/v1');
  });

  it('the seed profile, with or without the declaration that Idempotency-Key is honoured; the URL without trailing slashes', () => {
    assert.deepEqual(apiSettings({ PRISMA_API_PROFILE: 'seed', PRISMA_API_URL: ' http://127.0.0.1:9/v1// ' }), {
      baseUrl: 'http://127.0.0.1:9/v1',
      profile: 'seed',
      idempotencyKeysHonoured: false,
    });
    assert.equal(apiSettings({ PRISMA_API_PROFILE: ' Seed ', PRISMA_API_IDEMPOTENCY_KEYS: 'Honoured' }).idempotencyKeysHonoured, true);
    assert.equal(apiBaseUrl({ PRISMA_API_URL: '' }), DEFAULT_API_URL);
    assert.equal(apiProfile({ PRISMA_API_PROFILE: '' }), 'prisma');
  });

  it('refuses an unknown profile, saying what it may be', () => {
    refused(
      () => apiSettings({ PRISMA_API_PROFILE: 'official' }),
      /^PRISMA_API_PROFILE is "official": set it to prisma \(the default\) or seed\.$/,
    );
  });

  it('refuses another value of PRISMA_API_IDEMPOTENCY_KEYS, and the declaration with the prisma profile', () => {
    refused(
      () => apiSettings({ PRISMA_API_PROFILE: 'seed', PRISMA_API_IDEMPOTENCY_KEYS: 'yes' }),
      /^PRISMA_API_IDEMPOTENCY_KEYS takes honoured, or leave it unset\.$/,
    );
    refused(() => apiSettings({ PRISMA_API_IDEMPOTENCY_KEYS: 'honoured' }), /applies to the seed profile only: Prisma's API takes no key/);
    assert.equal(idempotencyKeysHonoured({ PRISMA_API_IDEMPOTENCY_KEYS: ' ' }, 'prisma'), false);
  });
});

describe('metrics address (PRISMA_BACKUP_METRICS_ADDRESS)', () => {
  it('defaults to 127.0.0.1:9464, loopback only', () => {
    assert.equal(DEFAULT_METRICS_ADDRESS, '127.0.0.1:9464');
    assert.deepEqual(metricsAddress({}), { host: '127.0.0.1', port: 9464 });
  });

  it('takes host:port, a name or IPv6 in brackets', () => {
    assert.deepEqual(metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: ' 0.0.0.0:9100 ' }), { host: '0.0.0.0', port: 9100 });
    assert.deepEqual(metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: 'localhost:1' }), { host: 'localhost', port: 1 });
    assert.deepEqual(metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: '[::1]:65535' }), { host: '::1', port: 65535 });
  });

  it('empty or off serves no metrics', () => {
    assert.equal(metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: '' }), undefined);
    assert.equal(metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: 'OFF' }), undefined);
  });

  for (const bad of ['9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', ':9464', 'http://127.0.0.1:9464', '::1:9464', 'a b:1']) {
    it(`refuses ${JSON.stringify(bad)}, saying what to give`, () => {
      const quoted = bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      refused(
        () => metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: bad }),
        new RegExp(`^PRISMA_BACKUP_METRICS_ADDRESS is "${quoted}": give host:port \\(e\\.g\\. 127\\.0\\.0\\.1:9464\\), or off\\.$`),
      );
    });
  }
});

describe('task queue (PRISMA_BACKUP_TASK_QUEUE)', () => {
  it('prisma-backup-restore by default, else the one given', () => {
    assert.equal(taskQueue({}), 'prisma-backup-restore');
    assert.equal(taskQueue({ PRISMA_BACKUP_TASK_QUEUE: 'q' }), 'q');
  });
});

describe('log format (PRISMA_BACKUP_LOG_FORMAT)', () => {
  it('text by default, json when asked', () => {
    assert.equal(logFormat({}), 'text');
    assert.equal(logFormat({ PRISMA_BACKUP_LOG_FORMAT: '' }), 'text');
    assert.equal(logFormat({ PRISMA_BACKUP_LOG_FORMAT: ' JSON ' }), 'json');
  });

  it('refuses another value, naming both', () => {
    refused(() => logFormat({ PRISMA_BACKUP_LOG_FORMAT: 'yaml' }), /^PRISMA_BACKUP_LOG_FORMAT is "yaml": set it to json or text\.$/);
  });
});

describe('a JSON log line', () => {
  const at = new Date('2026-11-28T10:00:00.000Z');

  it('leads with time, level and message, then the attributes, which cannot replace those three', () => {
    const line = jsonLogLine(at, 'INFO', 'Backup created', { workflowId: 'wf', databaseId: 'db_a', level: 'x', message: 'y', time: 'z' });
    assert.equal(
      line,
      '{"time":"2026-11-28T10:00:00.000Z","level":"info","message":"Backup created","workflowId":"wf","databaseId":"db_a"}',
    );
  });

  it('keeps an error’s name, message and failure type, and writes bigints as strings', () => {
    const error = Object.assign(new Error('it broke'), { type: 'Transient' });
    const parsed = JSON.parse(jsonLogLine(at, 'warn', 'failed', { error, plain: new TypeError('t'), nanos: 5n }));
    assert.deepEqual(parsed.error, { name: 'Error', message: 'it broke', type: 'Transient' });
    assert.deepEqual(parsed.plain, { name: 'TypeError', message: 't' });
    assert.equal(parsed.nanos, '5');
  });
});

describe('where Temporal is (its environment configuration)', () => {
  it('the local dev server by default, said to be not configured', () => {
    const local = temporalConfig({});
    assert.deepEqual([local.connectionOptions.address, local.namespace, local.configured], [DEFAULT_TEMPORAL_ADDRESS, 'default', false]);
    assert.equal(DEFAULT_TEMPORAL_ADDRESS, '127.0.0.1:7233');
  });

  it('TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, and an API key (with TLS)', () => {
    const given = temporalConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_NAMESPACE: 'ns' });
    assert.deepEqual([given.connectionOptions.address, given.namespace, given.configured], ['temporal.example:7233', 'ns', true]);
    const keyed = temporalConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_API_KEY: 'k' });
    assert.deepEqual([keyed.connectionOptions.apiKey, keyed.connectionOptions.tls], ['k', true]);
  });

  it('a named profile of a config file (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE): its address and namespace', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-config-'));
    try {
      const file = path.join(dir, 'temporal.toml');
      writeFileSync(
        file,
        [
          '[profile.default]',
          'address = "default.example:7233"',
          'namespace = "default-ns"',
          '',
          '[profile.backups]',
          'address = "temporal.example:7233"',
          'namespace = "backups"',
          '',
        ].join('\n'),
      );
      const profiled = temporalConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'backups' });
      assert.deepEqual(
        [profiled.connectionOptions.address, profiled.namespace, profiled.configured],
        ['temporal.example:7233', 'backups', true],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreachable server is said with where it was tried and what to set; the cause is kept', () => {
    const cause = new Error('connect ECONNREFUSED');
    const err = unreachable('10.0.0.1:7233', cause);
    assert.match(err.message, /^Cannot reach Temporal at 10\.0\.0\.1:7233: start one \(npm run temporal:dev\) or set TEMPORAL_ADDRESS/);
    assert.equal(err.cause, cause);
  });
});
