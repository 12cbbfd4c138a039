// Mocha configuration. A .js file rather than .mocharc.json because Mocha *adds* a config `spec` to the
// files named on the command line, so `mocha test/unit/x.test.ts` or `mocha --spec 'test/unit/**'`
// would still run every test. Here the default spec applies only when no test file is named.
const fs = require('fs');

const args = process.argv.slice(2);
const namesTestFiles = args.some(
  (arg) => arg === '--spec' || arg.startsWith('--spec=') || (!arg.startsWith('-') && (fs.existsSync(arg) || /[*?{]/.test(arg))),
);

// Type checking is `npm run typecheck`'s (in `npm run lint`); tests only need the code to run.
process.env.TS_NODE_TRANSPILE_ONLY ??= 'true';
// `npm test` leaves out the slow files (*.slow.test.ts); `npm run test:all` (FULL=1) runs them too.
const FULL = process.env.FULL === '1';

module.exports = {
  // ts-node for the TypeScript tests; global-temporal starts one Temporal dev server for the run
  // unless TEMPORAL_ADDRESS is set or only test/unit/ files are loaded (see that file).
  require: ['ts-node/register', 'test/support/global-temporal.ts'],
  extension: ['ts'],
  ...(namesTestFiles ? {} : { spec: ['test/**/*.test.ts'], ...(FULL ? {} : { ignore: ['test/**/*.slow.test.ts'] }) }),
  timeout: 60000,
};
