// The seed profile's crash lane in fast mode (`npm run test:all`): the prisma restore path of
// fast-mode.slow.test.ts calls no retried API activity (CALL); the seed's backup and restore calls are,
// so a worker killed inside each of them must lose no run and send nothing twice.
import { modeFrom } from '../../reliability/modes';
import { checkReliability } from './check';

describe('reliability, fast mode, seed crash lane', function () {
  this.timeout(300_000);

  it('seed: a worker killed inside any call, retried on another worker, loses no run and sends nothing twice', () =>
    checkReliability(modeFrom('fast', 'fast', 'seed', 'crash')));
});
