// The generator's award dates: drawn by year, month and day, handed out in ascending order.
import { describe, expect, it } from 'vitest';
import { createAscendingDates, FIRST_YEAR, LAST_YEAR } from '../../src/data/calendar.js';
import { createRng } from '../../src/data/random.js';

const draw = (seed: number, count: number) => {
  const next = createAscendingDates(createRng(seed), count);
  return { dates: Array.from({ length: count }, next), next };
};

describe('createAscendingDates', () => {
  it('hands out exactly `count` real calendar dates in ascending order, then refuses', () => {
    const { dates, next } = draw(5, 60_000);
    expect(dates).toHaveLength(60_000);
    for (let i = 1; i < dates.length; i++) if (dates[i]! < dates[i - 1]!) throw new Error(`${dates[i]} after ${dates[i - 1]}`);
    for (const d of new Set(dates)) expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d); // no 2023-02-30
    expect(Number(dates[0]!.slice(0, 4))).toBe(FIRST_YEAR);
    expect(Number(dates.at(-1)!.slice(0, 4))).toBe(LAST_YEAR);
    expect(() => next()).toThrow(RangeError);
    expect(() => createAscendingDates(createRng(5), 0)()).toThrow(RangeError);
  });

  it('spreads them like the award volume: growing years, December the peak, every day of a month alike', () => {
    const { dates } = draw(6, 200_000);
    const count = (f: (d: string) => boolean) => dates.filter(f).length;
    // Year weights 120 (2014) and 470 (2024): ratio 3.9.
    expect(count((d) => d.startsWith('2024-')) / count((d) => d.startsWith('2014-'))).toBeCloseTo(470 / 120, 0);
    const months = Array.from({ length: 12 }, (_, m) => count((d) => Number(d.slice(5, 7)) === m + 1));
    expect(months.indexOf(Math.max(...months))).toBe(11);
    expect(months[11]! / months[0]!).toBeCloseTo(1.7 / 0.6, 0);
    // Days 1-28 of every month: uniform (each ~1/28 of those, within sampling noise).
    const early = count((d) => Number(d.slice(8)) <= 14);
    const late = count((d) => Number(d.slice(8)) >= 15 && Number(d.slice(8)) <= 28);
    expect(Math.abs(early / late - 1)).toBeLessThan(0.03);
  });

  it('gives the same dates for the same stream and count, others for another stream', () => {
    expect(draw(7, 5000).dates).toEqual(draw(7, 5000).dates);
    const other = createAscendingDates(createRng(7, 1), 5000);
    expect(Array.from({ length: 5000 }, other)).not.toEqual(draw(7, 5000).dates);
  });
});
