// A crash trial's database with real rows (the simulator's data 'postgres'): written state by state
// through one session of its own, then read back after the run and judged (trial-content.ts).
import { Client } from 'pg';
import type { PrismaSimulator, Simulator } from '../simulator';
import {
  CREATE_TRIAL_TABLE,
  judgeContent,
  SELECT_TRIAL_ROWS,
  transitionSql,
  trialRows,
  type ContentCheck,
  type TrialRow,
  type TrialState,
} from './trial-content';

export class TrialDatabase {
  private constructor(
    private readonly sim: Simulator | PrismaSimulator,
    readonly databaseId: string,
    readonly trial: number,
    private readonly session: Client,
    /** The state the lane last wrote. */
    public written: TrialState,
  ) {}

  /**
   * Creates the trial's table holding `first`'s rows. The session stays open for later writes: a
   * write sent on it reaches the data it was opened on, never data a restore loaded meanwhile (a
   * restore ends the sessions open on the data it replaces).
   */
  static async open(sim: Simulator | PrismaSimulator, databaseId: string, trial: number, first: TrialState): Promise<TrialDatabase> {
    const session = new Client({ connectionString: await sim.connectionString(databaseId) });
    // A session ended by a restore emits 'error' besides failing its query.
    session.on('error', () => {});
    await session.connect();
    try {
      await session.query(`${CREATE_TRIAL_TABLE}; ${transitionSql([], trialRows(trial, first))}`);
    } catch (err) {
      void session.end().catch(() => {});
      throw err;
    }
    return new TrialDatabase(sim, databaseId, trial, session, first);
  }

  /** Moves the rows to `state`; the query is sent before this returns its promise. */
  async write(state: TrialState): Promise<void> {
    await this.session.query(transitionSql(trialRows(this.trial, this.written), trialRows(this.trial, state)));
    this.written = state;
  }

  /** Ends the session (whether or not a restore already ended it). */
  end(): void {
    void this.session.end().catch(() => {});
  }

  /** Reads the rows through a new session (it waits while a restore is loading) and judges them. */
  async check(expected: TrialState): Promise<ContentCheck> {
    try {
      const rows = await this.sim.sql<TrialRow>(this.databaseId, SELECT_TRIAL_ROWS);
      return judgeContent(this.trial, expected, { rows });
    } catch (err) {
      return judgeContent(this.trial, expected, { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
