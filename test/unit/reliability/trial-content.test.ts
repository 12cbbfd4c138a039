import { strict as assert } from 'assert';
import { describeMismatch, judgeContent, transitionSql, trialRows, type TrialState } from '../../../reliability/trial-content';

const STATES: TrialState[] = ['older', 'ours', 'changed'];

describe('crash trial content', () => {
  it('gives every state of every trial rows of its own', () => {
    const all = [1, 2].flatMap((trial) => STATES.map((state) => JSON.stringify(trialRows(trial, state))));
    assert.equal(new Set(all).size, all.length);
  });

  it('changes the backed-up rows as the demo does: deletes some, edits one, keeps the rest', () => {
    assert.deepEqual(trialRows(7, 'changed'), [
      { id: 1, label: 'trial 7, row 1' },
      { id: 3, label: 'trial 7, row 3, edited after the backup' },
      { id: 5, label: 'trial 7, row 5' },
    ]);
    assert.equal(
      transitionSql(trialRows(7, 'ours'), trialRows(7, 'changed')),
      "DELETE FROM trial_rows WHERE id IN (2, 4); UPDATE trial_rows SET label = 'trial 7, row 3, edited after the backup' WHERE id = 3",
    );
  });

  it('writes inserts from nothing, updates and inserts between states, and quotes labels', () => {
    assert.equal(transitionSql([], [{ id: 1, label: "it's" }]), "INSERT INTO trial_rows (id, label) VALUES (1, 'it''s')");
    const sql = transitionSql(trialRows(1, 'older'), trialRows(1, 'ours'));
    assert.equal(sql.match(/UPDATE/g)?.length, 3);
    assert.equal(sql.match(/INSERT/g)?.length, 2);
    assert.ok(!sql.includes('DELETE'));
    assert.equal(transitionSql(trialRows(1, 'ours'), trialRows(1, 'ours')), '');
  });

  it('tells which state the rows read back belong to', () => {
    for (const state of STATES) assert.deepEqual(judgeContent(3, state, { rows: trialRows(3, state) }), { expected: state, found: state });
    const changed = judgeContent(3, 'ours', { rows: trialRows(3, 'changed') });
    assert.equal(changed.found, 'changed');
    assert.match(changed.detail!, /^3 row\(s\): 1 "trial 3, row 1", 3 "trial 3, row 3, edited after the backup", 5 "trial 3, row 5"$/);
    assert.equal(judgeContent(3, 'ours', { rows: trialRows(4, 'ours') }).found, 'other', "another trial's rows");
    assert.equal(judgeContent(3, 'ours', { rows: trialRows(3, 'ours').slice(1) }).found, 'other');
    assert.equal(judgeContent(3, 'ours', { rows: trialRows(3, 'older') }).found, 'older');
    assert.deepEqual(judgeContent(3, 'ours', { error: 'relation "trial_rows" does not exist' }), {
      expected: 'ours',
      found: 'unreadable',
      detail: 'relation "trial_rows" does not exist',
    });
  });

  it('says what the database holds instead, in one sentence', () => {
    assert.equal(
      describeMismatch(judgeContent(3, 'ours', { rows: trialRows(3, 'older') })),
      'database holds the rows of an older backup, not the rows of the run\'s backup (3 row(s): 1 "trial 3, row 1, as an older backup held it", ' +
        '2 "trial 3, row 2, as an older backup held it", 3 "trial 3, row 3, as an older backup held it")',
    );
    assert.equal(
      describeMismatch(judgeContent(3, 'changed', { rows: [] })),
      "database holds rows of none of the trial's states, not the rows as changed after the backup (no rows)",
    );
  });
});
