import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/* The statement chart's y axis (portal/chart-scale.js): sensible for any data a statement can hold. */
const { niceTicks, monthIndex, monthOfIndex } = (await import(new URL('../../portal/chart-scale.js', import.meta.url).href)) as {
  niceTicks(min: number, max: number): number[];
  monthIndex(month: string): number;
  monthOfIndex(index: number): string;
};

const kroner = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 });

describe('niceTicks', () => {
  it('covers the data with evenly spaced whole kroner, 0 among them, and never a repeated label', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5e8, max: 5e8, noNaN: true }), { minLength: 1, maxLength: 50 }), (values) => {
        const [min, max] = [Math.min(0, ...values), Math.max(0, ...values)];
        const ticks = niceTicks(min, max);
        expect(ticks[0]).toBeLessThanOrEqual(min);
        expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
        expect(ticks).toContain(0);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(12);
        const step = ticks[1]! - ticks[0]!;
        expect(Number.isInteger(step) && step >= 1).toBe(true);
        ticks.forEach((tick, i) => i > 0 && expect(tick - ticks[i - 1]!).toBe(step));
        const labels = ticks.map((tick) => kroner.format(tick));
        expect(new Set(labels).size).toBe(labels.length);
      }),
    );
  });

  it('gives all-zero data a readable axis instead of "1 kr., 1 kr., 0 kr."', () => {
    expect(niceTicks(0, 0)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('picks round steps for money', () => {
    expect(niceTicks(-337_398.5, 1_204_000)).toEqual([-500_000, 0, 500_000, 1_000_000, 1_500_000]);
    expect(niceTicks(0, 3)).toEqual([0, 1, 2, 3]);
  });
});

describe('months on the x axis', () => {
  it('are consecutive numbers that give the month back', () => {
    expect(monthIndex('2020-01') - monthIndex('2019-12')).toBe(1);
    fc.assert(fc.property(fc.integer({ min: 1970 * 12, max: 2149 * 12 + 11 }), (index) => {
      expect(monthIndex(monthOfIndex(index))).toBe(index);
    }));
  });
});
