import { strict as assert } from 'assert';
import { killSchedule } from '../../../reliability/kill-schedule';
import { seededRandom, seedFrom } from '../../../reliability/random';

describe('reliability kill schedule', () => {
  it("puts the profile's chosen points first, then random ones (fast mode)", () => {
    assert.deepEqual(killSchedule(5, 1, 'seed'), ['backup-post', 'mid-poll', 'restore-post', 'random', 'random']);
    assert.deepEqual(killSchedule(5, 1, 'prisma'), ['restore-post', 'ready-wait', 'random', 'random', 'random']);
  });

  it('spreads the chosen rounds over a long schedule (full mode)', () => {
    const prisma = killSchedule(100, 10, 'prisma');
    assert.equal(prisma.filter((p) => p === 'restore-post').length, 10);
    assert.equal(prisma.filter((p) => p === 'ready-wait').length, 10);
    assert.deepEqual(prisma.slice(10, 12), ['restore-post', 'ready-wait']);
    const schedule = killSchedule(100, 10, 'seed');
    assert.equal(schedule.length, 100);
    for (const point of ['backup-post', 'mid-poll', 'restore-post'] as const) {
      assert.equal(schedule.filter((p) => p === point).length, 10);
    }
    assert.equal(schedule.filter((p) => p === 'random').length, 70);
    assert.deepEqual(schedule.slice(10, 13), ['backup-post', 'mid-poll', 'restore-post']);
  });

  it('never plans more chosen rounds than fit', () => {
    assert.deepEqual(killSchedule(2, 5, 'seed'), ['random', 'random']);
    assert.deepEqual(killSchedule(0, 1, 'prisma'), []);
    assert.throws(() => killSchedule(-1, 1, 'seed'), RangeError);
  });

  it('replays the same random points from the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const drawsA = Array.from({ length: 5 }, a);
    assert.deepEqual(Array.from({ length: 5 }, b), drawsA);
    assert.ok(drawsA.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(Array.from({ length: 5 }, seededRandom(8)), drawsA);
    assert.equal(seedFrom('123'), 123);
    assert.equal(
      seedFrom('x', () => 0.5),
      2 ** 31,
    );
  });
});
