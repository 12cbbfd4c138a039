// A schedule's spec, as Temporal describes it, in words: "at 03:00 every day". Pure.
import type { CalendarSpecDescription, IntervalSpecDescription, Range, ScheduleSpecDescription } from '@temporalio/client';
import { formatDuration } from '../../shared/durations';
import { CRON_COMMENT_PREFIX } from './schedule-spec';

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const short = (name: string) => name.charAt(0) + name.slice(1, 3).toLowerCase();

/** Every value the ranges match, in order. */
function values<T>(ranges: Range<T>[], toNumber: (v: T) => number): number[] {
  const out = new Set<number>();
  for (const { start, end, step } of ranges) {
    const from = toNumber(start);
    const to = Math.max(from, toNumber(end));
    for (let v = from; v <= to; v += Math.max(1, step)) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

const isAll = (list: number[], min: number, max: number) => list.length === max - min + 1;
const pad = (n: number) => String(n).padStart(2, '0');

/** "Mon–Fri", "Mon, Wed, Fri", "1, 15". Consecutive runs of 3 or more become a range. */
function listText(list: number[], label: (n: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    if (j - i >= 2) parts.push(`${label(list[i])}–${label(list[j])}`);
    else for (let k = i; k <= j; k++) parts.push(label(list[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** A constant step over the whole range, e.g. minutes 0, 15, 30, 45 → 15. */
function evenStep(list: number[], min: number, max: number): number | undefined {
  if (list.length < 2 || list[0] !== min) return undefined;
  const step = list[1] - list[0];
  const even = list.every((v, i) => v === min + i * step) && list[list.length - 1] + step > max;
  return even ? step : undefined;
}

function timeText(seconds: number[], minutes: number[], hours: number[]): string {
  const withSeconds = seconds.some((s) => s !== 0);
  const clock = (h: number, m: number, s: number) => `${pad(h)}:${pad(m)}${withSeconds ? `:${pad(s)}` : ''}`;
  if (seconds.length === 1 && minutes.length * hours.length <= 6) {
    return `at ${hours.flatMap((h) => minutes.map((m) => clock(h, m, seconds[0]))).join(', ')}`;
  }
  if (seconds.length === 1 && seconds[0] === 0 && isAll(hours, 0, 23)) {
    if (minutes.length === 1) return `every hour at minute ${minutes[0]}`;
    if (isAll(minutes, 0, 59)) return 'every minute';
    const step = evenStep(minutes, 0, 59);
    if (step) return `every ${step} minutes`;
    return `every hour at minutes ${listText(minutes, String)}`;
  }
  if (seconds.length === 1 && seconds[0] === 0 && minutes.length === 1) {
    const step = evenStep(hours, 0, 23);
    if (step) return `every ${step} hours at minute ${minutes[0]}`;
    return `at minute ${minutes[0]} of hours ${listText(hours, String)}`;
  }
  const secondsText = isAll(seconds, 0, 59) ? 'every second' : `at second ${listText(seconds, String)}`;
  return `${secondsText} of minute ${isAll(minutes, 0, 59) ? '*' : listText(minutes, String)} of hour ${isAll(hours, 0, 23) ? '*' : listText(hours, String)}`;
}

function dayText(calendar: CalendarSpecDescription): string {
  const days = values(calendar.dayOfWeek, (d) => DAYS.indexOf(d));
  const dates = values(calendar.dayOfMonth, Number);
  const months = values(calendar.month, (m) => MONTHS.indexOf(m));
  const years = values(calendar.year, Number);
  const parts: string[] = [];
  if (!isAll(days, 0, 6)) parts.push(`on ${listText(days, (d) => short(DAYS[d]))}`);
  if (!isAll(dates, 1, 31)) parts.push(`on day${dates.length === 1 ? '' : 's'} ${listText(dates, String)} of the month`);
  if (!isAll(months, 0, 11)) parts.push(`in ${listText(months, (m) => short(MONTHS[m]))}`);
  if (years.length > 0) parts.push(`in ${listText(years, String)}`);
  return parts.length === 0 ? 'every day' : parts.join(', ');
}

/** The cron expression the CLI stored in the calendar's comment, if any. */
export function cronOf(calendar: CalendarSpecDescription): string | undefined {
  return calendar.comment?.startsWith(CRON_COMMENT_PREFIX) ? calendar.comment.slice(CRON_COMMENT_PREFIX.length) : undefined;
}

export function calendarInWords(calendar: CalendarSpecDescription): string {
  const time = timeText(values(calendar.second, Number), values(calendar.minute, Number), values(calendar.hour, Number));
  const days = dayText(calendar);
  return time.startsWith('every ') && days === 'every day' ? time : `${time} ${days}`;
}

export function intervalInWords({ every, offset }: IntervalSpecDescription): string {
  return `every ${formatDuration(every)}${offset ? `, offset ${formatDuration(offset)}` : ''} (counted from 1970-01-01 00:00 UTC)`;
}

/** E.g. `cron "0 3 * * *": at 03:00 every day`; several parts are joined with "; ". */
export function specInWords(spec: Pick<ScheduleSpecDescription, 'calendars' | 'intervals'>): string {
  const parts = [
    ...(spec.calendars ?? []).map((calendar) => {
      const cron = cronOf(calendar);
      return `${cron ? `cron "${cron}": ` : ''}${calendarInWords(calendar)}`;
    }),
    ...(spec.intervals ?? []).map(intervalInWords),
  ];
  return parts.length > 0 ? parts.join('; ') : 'never (no times in the spec)';
}

/** The time zone calendars are read in; intervals do not depend on one. */
export function specTimeZone(spec: Pick<ScheduleSpecDescription, 'calendars' | 'timezone'>): string {
  return (spec.calendars ?? []).length > 0 ? spec.timezone || 'UTC' : 'UTC';
}
