import { strict as assert } from 'assert';
import { apiSettings, ConfigError, DEFAULT_API_URL } from '../../src/shared/config';

describe('Management API settings', () => {
  it('default: Prisma’s API at its host, no Idempotency-Key declared', () => {
    assert.deepEqual(apiSettings({}), { baseUrl: DEFAULT_API_URL, profile: 'prisma', idempotencyKeysHonoured: false });
  });

  it('the seed profile, with or without the declaration that Idempotency-Key is honoured', () => {
    assert.deepEqual(apiSettings({ PRISMA_API_PROFILE: 'seed', PRISMA_API_URL: 'http://127.0.0.1:9/v1/' }), {
      baseUrl: 'http://127.0.0.1:9/v1',
      profile: 'seed',
      idempotencyKeysHonoured: false,
    });
    assert.equal(apiSettings({ PRISMA_API_PROFILE: ' Seed ', PRISMA_API_IDEMPOTENCY_KEYS: 'honoured' }).idempotencyKeysHonoured, true);
  });

  it('refuses an unknown profile, saying what it may be', () => {
    assert.throws(
      () => apiSettings({ PRISMA_API_PROFILE: 'official' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /PRISMA_API_PROFILE is "official": set it to prisma .* or seed/);
        return true;
      },
    );
  });

  it('refuses another value of PRISMA_API_IDEMPOTENCY_KEYS, and the declaration with the prisma profile', () => {
    assert.throws(
      () => apiSettings({ PRISMA_API_PROFILE: 'seed', PRISMA_API_IDEMPOTENCY_KEYS: 'yes' }),
      /set it to honoured .* or leave it unset/,
    );
    assert.throws(
      () => apiSettings({ PRISMA_API_IDEMPOTENCY_KEYS: 'honoured' }),
      /seed profile only: Prisma's Management API takes no Idempotency-Key/,
    );
  });
});
