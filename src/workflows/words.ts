// Times and durations in the words runs use (the Web UI, results, progress lines). Pure.

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
