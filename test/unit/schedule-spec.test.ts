import { strict as assert } from 'assert';
import type { CalendarSpecDescription, Range } from '@temporalio/client';
import { canonicalTimeZone, cronProblems, intervalProblems, toScheduleSpec } from '../../src/cli/schedule/schedule-spec';
import { calendarInWords, specInWords, specTimeZone } from '../../src/cli/schedule/spec-words';
import { utcTime, zonedTime } from '../../src/cli/schedule/zoned-time';

const r = <T>(start: T, end: T = start, step = 1): Range<T> => ({ start, end, step });

/** A calendar as Temporal describes a compiled cron expression (defaults: "0 0 * * *"). */
function calendar(fields: Partial<CalendarSpecDescription> = {}): CalendarSpecDescription {
  return {
    second: [r(0)],
    minute: [r(0)],
    hour: [r(0)],
    dayOfMonth: [r(1, 31)],
    month: [r('JANUARY', 'DECEMBER')],
    year: [],
    dayOfWeek: [r('SUNDAY', 'SATURDAY')],
    comment: '',
    ...fields,
  } as CalendarSpecDescription;
}

describe('schedule spec', () => {
  it('accepts 5 to 7 cron fields and the shorthands, and says what is wrong otherwise', () => {
    for (const cron of ['0 3 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '30 0 3 * * * *', '0 3 * * * 2027', '@daily', '@HOURLY']) {
      assert.deepEqual(cronProblems(cron), [], cron);
    }
    assert.match(cronProblems('0 3 * *')[0], /takes 5 fields .* got "0 3 \* \*" \(4 fields\)/);
    assert.match(cronProblems('')[0], /takes 5 fields/);
    assert.match(cronProblems('@every 1h')[0], /use --every/);
    assert.match(cronProblems('CRON_TZ=Europe/Berlin 0 3 * * *')[0], /--time-zone/);
    assert.match(cronProblems('@sometimes')[0], /shorthands are @yearly/);
    assert.match(cronProblems('0 3 * * * # nightly')[0], /"#" is not a cron field/);
  });

  it('validates time zones with Intl, canonicalises their spelling and suggests a near one', () => {
    assert.equal(canonicalTimeZone('Europe/Berlin'), 'Europe/Berlin');
    assert.equal(canonicalTimeZone('europe/berlin'), 'Europe/Berlin');
    assert.equal(canonicalTimeZone('UTC'), 'UTC');
    assert.throws(
      () => canonicalTimeZone('Europe/Berln'),
      /--time-zone "Europe\/Berln" is not a time zone name; did you mean Europe\/Berlin\?/,
    );
    assert.throws(() => canonicalTimeZone('Mars/Olympus'), /use an IANA name such as Europe\/Berlin/);
    assert.throws(() => canonicalTimeZone('+01:00'), /not a time zone name/);
  });

  it('checks intervals: at least a minute, whole seconds, offset shorter than the interval', () => {
    assert.deepEqual(intervalProblems(86_400_000, 7_200_000), []);
    assert.match(intervalProblems(30_000, 0)[0], /at least 1m/);
    assert.match(intervalProblems(3_600_000, 3_600_000)[0], /--offset must be shorter than --every \(1h\)/);
    assert.match(intervalProblems(90_500, 0).join(' '), /whole number of seconds/);
  });

  it('keeps the cron expression in the calendar comment, and the zone beside it', () => {
    assert.deepEqual(toScheduleSpec({ kind: 'cron', cron: ' 0  3 * * * ', timeZone: 'Europe/Berlin' }), {
      cronExpressions: ['0 3 * * * # cron: 0 3 * * *'],
      timezone: 'Europe/Berlin',
    });
    assert.deepEqual(toScheduleSpec({ kind: 'interval', everyMs: 86_400_000, offsetMs: 0 }), {
      intervals: [{ every: 86_400_000, offset: 0 }],
    });
  });
});

describe('schedule spec in words', () => {
  const cases: [string, Partial<CalendarSpecDescription>, string][] = [
    ['0 3 * * *', { hour: [r(3)] }, 'at 03:00 every day'],
    ['*/15 * * * *', { minute: [r(0, 59, 15)], hour: [r(0, 23)] }, 'every 15 minutes'],
    ['@hourly', { hour: [r(0, 23)] }, 'every hour at minute 0'],
    ['30 2 1 * *', { minute: [r(30)], hour: [r(2)], dayOfMonth: [r(1)] }, 'at 02:30 on day 1 of the month'],
    ['0 0,12 * * SUN', { hour: [r(0), r(12)], dayOfWeek: [r('SUNDAY')] }, 'at 00:00, 12:00 on Sun'],
    ['0 */6 * * *', { hour: [r(0, 23, 6)] }, 'at 00:00, 06:00, 12:00, 18:00 every day'],
    ['0 */2 * * *', { hour: [r(0, 23, 2)] }, 'every 2 hours at minute 0'],
    [
      '15 3 * 1-3 1-5',
      { minute: [r(15)], hour: [r(3)], month: [r('JANUARY', 'MARCH')], dayOfWeek: [r('MONDAY', 'FRIDAY')] },
      'at 03:15 on Mon–Fri, in Jan–Mar',
    ],
    ['0 3 1,15 * *', { hour: [r(3)], dayOfMonth: [r(1), r(15)] }, 'at 03:00 on days 1, 15 of the month'],
    ['0 9-17 * * 1-5', { hour: [r(9, 17)], dayOfWeek: [r('MONDAY', 'FRIDAY')] }, 'at minute 0 of hours 9–17 on Mon–Fri'],
    ['0 3 * * 1,3,5', { hour: [r(3)], dayOfWeek: [r('MONDAY'), r('WEDNESDAY'), r('FRIDAY')] }, 'at 03:00 on Mon, Wed, Fri'],
    ['30 0 3 * * * *', { second: [r(30)], hour: [r(3)] }, 'at 03:00:30 every day'],
    ['5 4 * * * 2027', { minute: [r(5)], hour: [r(4)], year: [r(2027)] }, 'at 04:05 in 2027'],
    ['* * * * *', { minute: [r(0, 59)], hour: [r(0, 23)] }, 'every minute'],
  ];
  for (const [cron, fields, words] of cases) {
    it(`"${cron}" → ${words}`, () => assert.equal(calendarInWords(calendar(fields)), words));
  }

  it('shows the cron expression stored in the comment, and joins several parts', () => {
    const spec = {
      calendars: [calendar({ hour: [r(3)], comment: 'cron: 0 3 * * *' })],
      intervals: [{ every: 86_400_000, offset: 7_200_000 }],
    };
    assert.equal(specInWords(spec), 'cron "0 3 * * *": at 03:00 every day; every 1d, offset 2h (counted from 1970-01-01 00:00 UTC)');
    assert.equal(
      specInWords({ calendars: [], intervals: [{ every: 3_600_000, offset: 0 }] }),
      'every 1h (counted from 1970-01-01 00:00 UTC)',
    );
    assert.equal(specInWords({}), 'never (no times in the spec)');
  });

  it('reads calendars in the spec time zone; intervals in UTC', () => {
    assert.equal(specTimeZone({ calendars: [calendar()], timezone: 'Europe/Berlin' }), 'Europe/Berlin');
    assert.equal(specTimeZone({ calendars: [calendar()], timezone: '' }), 'UTC');
    assert.equal(specTimeZone({ calendars: [], timezone: 'Europe/Berlin' }), 'UTC');
  });

  it('prints times in a zone and in UTC', () => {
    const date = new Date('2026-11-28T02:00:00Z');
    assert.equal(zonedTime(date, 'Europe/Berlin'), '2026-11-28 03:00 Europe/Berlin');
    assert.equal(zonedTime(new Date('2026-07-01T01:00:30Z'), 'Europe/Berlin'), '2026-07-01 03:00:30 Europe/Berlin');
    assert.equal(zonedTime(date, 'UTC'), '2026-11-28 02:00 UTC');
    assert.equal(utcTime(new Date('2026-11-28T02:00:00.123Z')), '2026-11-28T02:00:00Z');
  });
});
