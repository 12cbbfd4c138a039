import { strict as assert } from 'assert';
import { modeFrom } from '../../../reliability/modes';
import { findViolations, formatTable, type LaneReport } from '../../../reliability/report';
import type { SecretSource } from '../../../reliability/secret-sweep';
import type { Listener } from '../../../reliability/listeners';

function lane(overrides: Partial<LaneReport> & Pick<LaneReport, 'lane'>, figures: Partial<LaneReport['figures']> = {}): LaneReport {
  return {
    mustAllComplete: true,
    trials: 0,
    kills: 0,
    serverRestarts: 0,
    faultsInjected: 0,
    faultsByKind: {},
    tokensFound: 0,
    durationMs: 1000,
    planned: {},
    notes: {},
    problems: [],
    ...overrides,
    figures: {
      runs: 4,
      completed: 4,
      failedTyped: 0,
      failureTypes: {},
      failedUntyped: 0,
      lost: 0,
      duplicateBackups: 0,
      duplicateRestores: 0,
      restoresFromUnfinished: 0,
      effectMismatches: 0,
      failedButRestored: 0,
      wrongBackupRestores: 0,
      completedWithoutRestore: 0,
      restoresSentAgain: 0,
      resentAfterHoldWindow: 0,
      contentChecked: 0,
      contentWrong: 0,
      ...figures,
    },
  };
}

const clean = (): LaneReport[] => [
  lane({ lane: 'crash', trials: 5, kills: 5, planned: { kills: 5 } }),
  lane({ lane: 'server-restart', trials: 1, serverRestarts: 1, planned: { serverRestarts: 1 } }),
  lane({ lane: 'faults', mustAllComplete: false, faultsInjected: 9 }, { completed: 3, failedTyped: 1, failureTypes: { ProtocolError: 1 } }),
  lane({ lane: 'load', faultsInjected: 20 }),
];
const secrets: SecretSource[] = [{ source: 'crash: workflow histories', searched: 4, found: 0, controlMissed: 0 }];
const listeners: Listener[] = [{ role: 'simulators (this process)', pid: 1, address: '127.0.0.1', port: 4010, loopback: true }];

describe('reliability report', () => {
  it('finds no violation in a clean run, typed failures of the fault suite included', () => {
    assert.deepEqual(findViolations(clean(), secrets, listeners), []);
  });

  it('names every broken invariant', () => {
    const lanes = clean();
    lanes[0] = lane({ lane: 'crash', kills: 3, planned: { kills: 5 } }, { duplicateBackups: 1, lost: 1, completed: 3 });
    lanes[1] = lane({ lane: 'server-restart', serverRestarts: 0, planned: { serverRestarts: 1 }, error: 'server did not start' });
    lanes[2] = lane({ lane: 'faults', mustAllComplete: false }, { restoresFromUnfinished: 1, failedUntyped: 1, duplicateRestores: 2 });
    lanes[3] = lane({ lane: 'load', faultsInjected: 20 }, { completed: 3, failedTyped: 1, failureTypes: { Transient: 1 } });
    const leaky = [
      ...secrets,
      { source: 'load: worker stdout/stderr', searched: 1, found: 2, controlMissed: 0 },
      { source: 'x: control', searched: 1, found: 0, controlMissed: 1 },
    ];
    const open = [...listeners, { role: 'crash worker', pid: 7, address: '0.0.0.0', port: 9229, loopback: false }];
    const text = findViolations(lanes, leaky, open).join('\n');
    for (const expected of [
      /crash: 1 duplicate backup/,
      /crash: 1 lost run/,
      /crash: 1 of 4 run\(s\) did not complete/,
      /crash: 3 of 5 planned kills/,
      /server-restart: the suite broke off: server did not start/,
      /server-restart: 0 of 1 planned server restarts/,
      /faults: 1 restore\(s\) from an unfinished backup/,
      /faults: 2 duplicate restore/,
      /faults: 1 run\(s\) failed without a typed error/,
      /faults: no fault was injected/,
      /load: 1 of 4 run\(s\) did not complete \(\{"Transient":1\}\)/,
      /the token was found 2 time\(s\): load: worker stdout\/stderr \(2\)/,
      /the token search is blind: x: control/,
      /crash worker \(pid 7\) listens on 0.0.0.0:9229, not 127.0.0.1/,
    ]) {
      assert.match(text, expected);
    }
    assert.match(findViolations(clean(), secrets, []).join(), /checked nothing/);
  });

  it('names the profile of a suite that has one, and what a prisma run must never do', () => {
    const lanes = [
      lane(
        { lane: 'crash', profile: 'prisma', trials: 5, kills: 5, planned: { kills: 5 } },
        { completedWithoutRestore: 1, wrongBackupRestores: 2 },
      ),
      lane({ lane: 'faults', profile: 'prisma', mustAllComplete: false, faultsInjected: 9 }, { restoresSentAgain: 1 }),
    ];
    assert.deepEqual(findViolations(lanes, secrets, listeners), [
      'crash (prisma): 1 run(s) reported restored without a restore applied',
      "crash (prisma): 2 restore(s) of a backup other than the run's",
      // A request sent again after one reached the API: under the hold window, a read-back missed it.
      "faults (prisma): 1 restore request(s) reached the API after the run's first had, though its hold window outlasts every hold",
    ]);
  });

  it('counts content only where databases are read back: wrong rows and ended runs left unchecked are violations', () => {
    const crash = lane(
      { lane: 'crash', profile: 'seed', trials: 4, kills: 4, planned: { kills: 4 }, checksContent: true },
      { contentChecked: 3, contentWrong: 1 },
    );
    assert.deepEqual(findViolations([crash], secrets, listeners), [
      "crash (seed): 1 run(s) whose database held other rows than the backup's it restored",
      'crash (seed): 1 ended run(s) whose database content was not checked',
    ]);
    const lost = lane({ lane: 'crash', checksContent: true, planned: {} }, { contentChecked: 3, lost: 1, completed: 3 });
    assert.ok(!findViolations([lost], secrets, listeners).some((v) => v.includes('not checked')), 'a lost run is counted as lost');
    const rows = formatTable({ lanes: [crash, lane({ lane: 'load', faultsInjected: 1 })], secrets }).split('\n');
    assert.ok(rows.includes('| runs whose database content was checked | 3 | – | 3 |'));
    assert.ok(rows.includes('| restored content wrong | 1 | – | 1 |'));
  });

  it('shows the two profiles side by side, with a dash where a figure has no meaning', () => {
    const lanes = [
      lane({ lane: 'crash', profile: 'prisma', trials: 5, kills: 5, planned: { kills: 5 } }, { restoresSentAgain: 1 }),
      lane({ lane: 'crash', profile: 'seed', trials: 5, kills: 5, planned: { kills: 5 } }, { duplicateBackups: 0 }),
    ];
    const rows = formatTable({ lanes, secrets }).split('\n');
    assert.equal(rows[0], '| | crash (prisma) | crash (seed) | total |');
    assert.ok(rows.includes('| duplicate backups | – | 0 | 0 |'));
    assert.ok(rows.includes('| duplicate restores | 0 | 0 | 0 |'));
    assert.ok(rows.includes('| runs reported restored without a restore applied | 0 | 0 | 0 |'));
    assert.ok(rows.includes('| restore requests sent again after one reached the API | 1 | – | 1 |'));
  });

  it('checks what the held-request suite planned, that nothing was sent after its hold window, and that its control saw the duplicate', () => {
    const held = (overrides: Partial<LaneReport> = {}, figures: Partial<LaneReport['figures']> = {}) =>
      lane(
        {
          lane: 'held-request',
          profile: 'prisma',
          mustAllComplete: false,
          trials: 6,
          kills: 1,
          heldRequests: 5,
          planned: { heldRequests: 5, kills: 1 },
          holdWindowMs: 90_000,
          faultsInjected: 6,
          notes: { answersDropped: 2 },
          ...overrides,
        },
        figures,
      );
    assert.deepEqual(findViolations([held()], secrets, listeners), []);
    assert.deepEqual(findViolations([held({ heldRequests: 4 }, { restoresSentAgain: 1 })], secrets, listeners), [
      'held-request (prisma): 4 of 5 planned held restore requests',
      "held-request (prisma): 1 restore request(s) reached the API after the run's first had, though its hold window (90.0 s) outlasts every hold",
    ]);
    // Sent again after the window when the first never reached the API (a kill before it left): shown, not a violation.
    assert.deepEqual(findViolations([held({}, { resentAfterHoldWindow: 1 })], secrets, listeners), []);
    assert.deepEqual(findViolations([lane({ lane: 'crash', profile: 'prisma' }, { resentAfterHoldWindow: 2 })], secrets, listeners), []);
    assert.deepEqual(findViolations([held({ control: { runs: 1, duplicatesSeen: 1, resentAfterHoldWindow: 1 } })], secrets, listeners), []);
    assert.deepEqual(findViolations([held({ control: { runs: 2, duplicatesSeen: 1, resentAfterHoldWindow: 2 } })], secrets, listeners), [
      'held-request (prisma): the duplicate count is blind: 1 of 2 negative control run(s), set up to have their restore applied twice, showed no duplicate',
    ]);

    const crash = lane({ lane: 'crash', profile: 'prisma', trials: 5, kills: 5, planned: { kills: 5 }, holdWindowMs: 30_000 });
    const rows = formatTable({ lanes: [crash, held()], secrets }).split('\n');
    assert.equal(rows[0], '| | crash (prisma) | held request (prisma) | total |');
    for (const row of [
      '| trials | 5 | 6 | 11 |',
      '| kills (SIGKILL of the worker) | 5 | 1 | 6 |',
      '| restore requests held (simulator delay) | – | 5 | 5 |',
      '| answers dropped after the restore was applied | – | 2 | 2 |',
      '| hold window of its runs (s) | 30 | 90 | – |',
      '| runs that sent the restore again after the hold window | 0 | 0 | 0 |',
      '| negative control runs (set up to duplicate) | – | – | – |',
    ]) {
      assert.ok(rows.includes(row), row);
    }
    const withControl = formatTable({ lanes: [held({ control: { runs: 1, duplicatesSeen: 1, resentAfterHoldWindow: 1 } })], secrets });
    assert.ok(withControl.includes('| duplicates the negative control showed | 1 | 1 |'));
  });

  it('prints one row per figure and a total column', () => {
    const table = formatTable({
      lanes: clean(),
      secrets: [...secrets, { source: 'shared dev server log', searched: 1, found: 0, controlMissed: 0 }],
    });
    const rows = table.split('\n');
    assert.equal(rows[0], '| | crash | server restart | faults | load | total |');
    for (const title of [
      'trials',
      'kills',
      'server restarts',
      'faults injected',
      'runs completed',
      'runs failed with a typed error',
      'duplicate backups',
      'duplicate restores',
      'restores from unfinished backups',
      'tokens found',
      'lost runs',
    ]) {
      assert.ok(
        rows.some((r) => r.startsWith(`| ${title}`)),
        title,
      );
    }
    assert.ok(rows.includes('| runs completed | 4 | 4 | 3 | 4 | 15 |'));
    assert.ok(rows.includes('| faults injected | 0 | 0 | 9 | 20 | 29 |'));
    assert.ok(rows.includes('| kills (SIGKILL of the worker) | 5 | – | – | – | 5 |'));
    assert.ok(rows.includes('| trials | 5 | 1 | – | – | 6 |'));
  });
});

describe('reliability modes', () => {
  it('full mode does what the README promises; fast mode is small', () => {
    const full = modeFrom('full', 'fast');
    assert.ok(full.crash.trials >= 100);
    assert.equal(full.restart.restarts, 5);
    assert.equal(full.load.runs, 200);
    const fast = modeFrom(undefined, 'fast');
    assert.equal(fast.name, 'fast');
    assert.ok(fast.crash.trials <= 10 && fast.restart.restarts === 1 && fast.load.runs <= 50);
    assert.throws(() => modeFrom('medium', 'fast'), /fast or full/);
  });

  it('runs the prisma profile in fast mode and both in full mode, unless RELIABILITY_PROFILES says which', () => {
    assert.deepEqual(modeFrom('fast', 'fast').profiles, ['prisma']);
    assert.deepEqual(modeFrom('full', 'fast').profiles, ['prisma', 'seed']);
    assert.deepEqual(modeFrom('fast', 'fast', ' seed ').profiles, ['seed']);
    assert.deepEqual(modeFrom('fast', 'fast', 'seed,prisma,seed').profiles, ['seed', 'prisma']);
    assert.deepEqual(modeFrom('full', 'fast', '').profiles, ['prisma', 'seed']);
    assert.throws(() => modeFrom('fast', 'fast', 'prisma,postgres'), /RELIABILITY_PROFILES takes prisma, seed/);
  });

  it('runs every suite, the held-request one included, unless RELIABILITY_LANES says which', () => {
    assert.deepEqual(modeFrom('fast', 'fast').lanes, ['crash', 'server-restart', 'faults', 'load', 'held-request']);
    assert.deepEqual(modeFrom('full', 'fast', undefined, 'held-request, crash').lanes, ['crash', 'held-request']);
    assert.throws(() => modeFrom('fast', 'fast', undefined, 'held'), /RELIABILITY_LANES takes crash, server-restart/);
  });

  it('gives prisma runs a hold window above every hold their faults apply and below the settle times', () => {
    for (const mode of [modeFrom('fast', 'fast'), modeFrom('full', 'fast')]) {
      // The crash suite's held request, and the fault mix's delay past the request timeout.
      assert.ok(mode.holdWindowMs > Math.max(mode.crash.holdMs, mode.requestTimeoutMs + 500) + 5_000);
      for (const settle of [mode.crash, mode.restart, mode.faults, mode.load].map((p) => p.settleTimeoutMs))
        assert.ok(mode.holdWindowMs < settle);
    }
  });
});
