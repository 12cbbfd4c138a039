// Durations and instants as people type them ("90s", "5m", "1d", "250ms") and as runs show them. Pure.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds; throws an Error naming the flag and the accepted forms. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`${flag} takes a duration with a unit, such as 250ms, 30s, 5m, 6h or 1d; got ${JSON.stringify(text)}.`);
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

/** An instant to the second, e.g. 2026-11-27T03:00:05Z. */
export const at = (epochMs: number) => new Date(epochMs).toISOString().replace(/\.\d+Z$/, 'Z');

/** A countdown, an elapsed time or an age, to the second: "9s", "1m20s", "2h05m", "3d04h". */
export function roughDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [d, h, m, s] = [Math.floor(total / 86_400), Math.floor((total % 86_400) / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return h === 0 ? `${d}d` : `${d}d${pad(h)}h`;
  if (h > 0) return m === 0 ? `${h}h` : `${h}h${pad(m)}m`;
  if (m > 0) return s === 0 ? `${m}m` : `${m}m${pad(s)}s`;
  return `${s}s`;
}
