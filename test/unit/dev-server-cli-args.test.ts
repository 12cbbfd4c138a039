import { strict as assert } from 'assert';

import { parseDevServerCliArgs } from '../../local-temporal/dev-server-cli-args';

describe('npm run temporal:dev arguments', () => {
  it('defaults to 7233 / 8233 and the default db file', () => {
    assert.deepEqual(parseDevServerCliArgs([]), {
      kind: 'run',
      port: 7233,
      uiPort: 8233,
      dbFilename: undefined,
      dynamicConfig: {},
      headless: false,
    });
  });

  it('parses ports, db file, headless and repeated dynamic config, with or without =', () => {
    assert.deepEqual(
      parseDevServerCliArgs([
        '--port',
        '7300',
        '--ui-port=8300',
        '--db-filename',
        '/tmp/x.sqlite',
        '--dynamic-config',
        'limit.historyCount.suggestContinueAsNew=20',
        '--dynamic-config=some.name=abc',
        '--headless',
      ]),
      {
        kind: 'run',
        port: 7300,
        uiPort: 8300,
        dbFilename: '/tmp/x.sqlite',
        dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 20, 'some.name': 'abc' },
        headless: true,
      },
    );
  });

  it('recognizes --help and --install-only', () => {
    assert.deepEqual(parseDevServerCliArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseDevServerCliArgs(['--port', '1', '-h']), { kind: 'help' });
    assert.deepEqual(parseDevServerCliArgs(['--install-only']), { kind: 'install-only' });
  });

  it('rejects unknown flags, missing values and bad ports', () => {
    assert.throws(() => parseDevServerCliArgs(['--nope']), /Unknown argument/);
    assert.throws(() => parseDevServerCliArgs(['--port']), /needs a value/);
    assert.throws(() => parseDevServerCliArgs(['--port', '--headless']), /needs a value/);
    assert.throws(() => parseDevServerCliArgs(['--port', 'abc']), /port number/);
    assert.throws(() => parseDevServerCliArgs(['--ui-port', '65536']), /port number/);
    assert.throws(() => parseDevServerCliArgs(['--dynamic-config', 'novalue']), /KEY=VALUE/);
    assert.throws(() => parseDevServerCliArgs(['--headless=yes']), /takes no value/);
  });
});
