import { strict as assert } from 'assert';
import { ConfigError, logFormat, metricsAddress } from '../../src/shared/config';
import { jsonLogLine } from '../../src/shared/json-log';

const refused = (run: () => unknown, message: RegExp) =>
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, message);
    return true;
  });

describe('metrics address (PRISMA_BACKUP_METRICS_ADDRESS)', () => {
  it('defaults to 127.0.0.1:9464, loopback only', () => {
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

  it('refuses what is not host:port with a usable port, saying what to give', () => {
    for (const bad of ['9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', ':9464', 'http://127.0.0.1:9464', '::1:9464', 'a b:1']) {
      refused(
        () => metricsAddress({ PRISMA_BACKUP_METRICS_ADDRESS: bad }),
        new RegExp(`PRISMA_BACKUP_METRICS_ADDRESS is "${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": give host:port .*or off`),
      );
    }
  });
});

describe('log format (PRISMA_BACKUP_LOG_FORMAT)', () => {
  it('text by default, json when asked', () => {
    assert.equal(logFormat({}), 'text');
    assert.equal(logFormat({ PRISMA_BACKUP_LOG_FORMAT: '' }), 'text');
    assert.equal(logFormat({ PRISMA_BACKUP_LOG_FORMAT: ' JSON ' }), 'json');
  });

  it('refuses another value, naming both', () => {
    refused(() => logFormat({ PRISMA_BACKUP_LOG_FORMAT: 'yaml' }), /PRISMA_BACKUP_LOG_FORMAT is "yaml": set it to json .* or text/);
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
    const parsed = JSON.parse(jsonLogLine(at, 'warn', 'failed', { error, nanos: 5n }));
    assert.deepEqual(parsed.error, { name: 'Error', message: 'it broke', type: 'Transient' });
    assert.equal(parsed.nanos, '5');
  });
});
