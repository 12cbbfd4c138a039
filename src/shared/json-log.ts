// One log line as JSON, for the worker and the CLI alike (PRISMA_BACKUP_LOG_FORMAT=json).

/** Errors keep their name, message and failure type; JSON.stringify alone would print `{}`. */
function plain(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const type = (value as { type?: unknown }).type;
    return { name: value.name, message: value.message, ...(typeof type === 'string' ? { type } : {}) };
  }
  return value;
}

/** `{"time","level","message",…attributes}`; the first three are never overwritten by an attribute. */
export function jsonLogLine(time: Date, level: string, message: string, attributes: Record<string, unknown> = {}): string {
  const { time: _t, level: _l, message: _m, ...rest } = attributes;
  return JSON.stringify({ time: time.toISOString(), level: level.toLowerCase(), message, ...rest }, plain);
}
