// Durations as people type them on the command line ("90s", "5m", "6h", "1d", "250ms"). Pure.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds; throws an Error naming the flag and the accepted forms. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) {
    throw new Error(`${flag} takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got ${JSON.stringify(text)}.`);
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2]]);
}

/** The shortest exact form, e.g. 90000 → "90s", 7200000 → "2h". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
