import { strict as assert } from 'assert';

import { SEARCH_ATTRIBUTES } from '../../src/shared/constants';
import {
  buildDevServerArgs,
  devServerEnv,
  dynamicConfigArg,
  isPortInUseError,
  parseDynamicConfigPair,
  serverAddress,
  webUiUrl,
} from '../../local-temporal/dev-server-args';

/** The values following each occurrence of `flag`. */
function valuesOf(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
}

describe('temporal dev server arguments', () => {
  it('binds gRPC and the Web UI to 127.0.0.1 on the given ports', () => {
    const args = buildDevServerArgs({ port: 7233, uiPort: 8233, httpPort: 7243, metricsPort: 7253 });
    assert.deepEqual(args.slice(0, 2), ['server', 'start-dev']);
    assert.deepEqual(valuesOf(args, '--ip'), ['127.0.0.1']);
    assert.deepEqual(valuesOf(args, '--ui-ip'), ['127.0.0.1']);
    assert.deepEqual(valuesOf(args, '--port'), ['7233']);
    assert.deepEqual(valuesOf(args, '--ui-port'), ['8233']);
    assert.deepEqual(valuesOf(args, '--http-port'), ['7243']);
    assert.deepEqual(valuesOf(args, '--metrics-port'), ['7253']);
    assert.ok(!args.includes('--headless'));
  });

  it('registers every SEARCH_ATTRIBUTES name as Keyword', () => {
    const args = buildDevServerArgs({ port: 7233 });
    assert.deepEqual(
      valuesOf(args, '--search-attribute').sort(),
      Object.values(SEARCH_ATTRIBUTES)
        .map((name) => `${name}=Keyword`)
        .sort(),
    );
  });

  it('always disables the version check, and adds dynamic config as JSON values', () => {
    const args = buildDevServerArgs({
      port: 7233,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 20, 'some.flag': true, 'some.name': 'x' },
    });
    assert.deepEqual(valuesOf(args, '--dynamic-config-value'), [
      'frontend.enableServerVersionCheck=false',
      'limit.historyCount.suggestContinueAsNew=20',
      'some.flag=true',
      'some.name="x"',
    ]);
    assert.equal(devServerEnv({ PATH: '/bin' }).TEMPORAL_VERSION_CHECK_DISABLED, '1');
    assert.equal(devServerEnv({ PATH: '/bin' }).PATH, '/bin');
  });

  it('lets dynamic config override the base values', () => {
    const args = buildDevServerArgs({ port: 7233, dynamicConfig: { 'frontend.enableServerVersionCheck': true } });
    assert.deepEqual(valuesOf(args, '--dynamic-config-value'), ['frontend.enableServerVersionCheck=true']);
  });

  it('omits the UI flags when headless and passes db file, log level and extra args', () => {
    const args = buildDevServerArgs({
      port: 7300,
      uiPort: 8300,
      headless: true,
      dbFilename: 'state.sqlite',
      logLevel: 'error',
      extraArgs: ['--namespace', 'other'],
    });
    assert.ok(args.includes('--headless'));
    assert.deepEqual(valuesOf(args, '--ui-port'), []);
    assert.deepEqual(valuesOf(args, '--ui-ip'), []);
    assert.deepEqual(valuesOf(args, '--db-filename'), ['state.sqlite']);
    assert.deepEqual(valuesOf(args, '--log-level'), ['error']);
    assert.deepEqual(args.slice(-2), ['--namespace', 'other']);
  });

  it('rejects bad ports and bad dynamic config keys', () => {
    assert.throws(() => buildDevServerArgs({ port: 0 }), /port/);
    assert.throws(() => buildDevServerArgs({ port: 7233, uiPort: 70000 }), /uiPort/);
    assert.throws(() => dynamicConfigArg('bad key', 1), /Invalid dynamic config key/);
    assert.throws(() => dynamicConfigArg('k', undefined), /not JSON-serializable/);
  });

  it('parses KEY=VALUE with JSON values, falling back to strings', () => {
    assert.deepEqual(parseDynamicConfigPair('limit.x=20'), ['limit.x', 20]);
    assert.deepEqual(parseDynamicConfigPair('a.b=true'), ['a.b', true]);
    assert.deepEqual(parseDynamicConfigPair('a.b="q"'), ['a.b', 'q']);
    assert.deepEqual(parseDynamicConfigPair('a.b=plain'), ['a.b', 'plain']);
    assert.deepEqual(parseDynamicConfigPair('a.b={"k":[1]}'), ['a.b', { k: [1] }]);
    assert.deepEqual(parseDynamicConfigPair('a.b=x=y'), ['a.b', 'x=y']);
    assert.throws(() => parseDynamicConfigPair('novalue'), /KEY=VALUE/);
    assert.throws(() => parseDynamicConfigPair('=1'), /KEY=VALUE/);
  });

  it('formats the address and UI URL, and recognizes port clashes', () => {
    assert.equal(serverAddress(7233), '127.0.0.1:7233');
    assert.equal(webUiUrl(8233, false), 'http://127.0.0.1:8233');
    assert.equal(webUiUrl(8233, true), undefined);
    assert.equal(webUiUrl(undefined, false), undefined);
    assert.ok(isPortInUseError("Error: can't set frontend port 7233: listen tcp 127.0.0.1:7233: bind: address already in use"));
    assert.ok(!isPortInUseError('Error: something else'));
  });
});
