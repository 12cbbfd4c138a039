// Times as people read them in a schedule's time zone. Pure.

/** "2026-11-28 03:00 Europe/Berlin" (seconds only when not zero). */
export function zonedTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  const seconds = parts.second === '00' ? '' : `:${parts.second}`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${seconds} ${timeZone}`;
}

/** ISO 8601 in UTC without milliseconds: "2026-11-28T02:00:00Z". */
export function utcTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
