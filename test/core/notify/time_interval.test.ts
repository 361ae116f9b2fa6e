import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTimeIntervals } from '../../../core/notify/mod.ts';

describe('time intervals', () => {
  const ti = compileTimeIntervals([
    {
      name: 'weeknights',
      time_intervals: [{
        weekdays: ['monday:friday'],
        times: [{ start_time: '22:00', end_time: '24:00' }],
      }],
    },
    { name: 'last-days', time_intervals: [{ days_of_month: ['-2:-1'], months: ['february'] }] },
    {
      name: 'berlin-morning',
      time_intervals: [{
        times: [{ start_time: '09:00', end_time: '10:00' }],
        location: 'Europe/Berlin',
      }],
    },
  ]);

  test('weekdays and times (UTC)', () => {
    const f = ti.get('weeknights')!;
    assert.equal(f(Date.UTC(2026, 0, 5, 22, 30)), true, 'Monday 22:30');
    assert.equal(f(Date.UTC(2026, 0, 5, 21, 59)), false);
    assert.equal(f(Date.UTC(2026, 0, 3, 23, 0)), false, 'Saturday');
  });

  test('negative days count from the end of the month', () => {
    const f = ti.get('last-days')!;
    assert.equal(f(Date.UTC(2026, 1, 27)), true, 'Feb 27 of 28');
    assert.equal(f(Date.UTC(2026, 1, 26)), false);
    assert.equal(f(Date.UTC(2026, 2, 31)), false, 'March');
  });

  test('location', () => {
    const f = ti.get('berlin-morning')!;
    assert.equal(f(Date.UTC(2026, 0, 5, 8, 30)), true, '09:30 in Berlin (UTC+1)');
    assert.equal(f(Date.UTC(2026, 0, 5, 9, 30)), false);
  });
});
