import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredStatement } from '../../shared/partnerships/ports.ts';
import { summaryAfterPut, type StatementSummary } from '../../shared/statements/statement-summary.ts';

/*
 * The partnership list's headline (statement-summary.ts) after statement puts in
 * any order: every month is listed once, and the headline is the newest month's
 * statement from the newest inputs, whatever order recalculations stored them in.
 */

const stored = (net: number, stamp: string): StoredStatement =>
  ({ statement: { totals: { net }, projection: { net: { p10: net - 1, p50: net, p90: net + 1 }, probabilityNetNonNegative: 0.5 } }, inputsHash: 'h', computedAt: '2024-01-01T00:00:00.000Z', inputsStamp: stamp }) as unknown as StoredStatement;

describe('summaryAfterPut', () => {
  it('lists every month once and heads with the newest month from the newest inputs, in any order of puts', () => {
    const put = fc.record({ month: fc.constantFrom('2024-01', '2024-02', '2024-03'), stamp: fc.constantFrom('01', '02', '03'), net: fc.integer({ min: -1e6, max: 1e6 }) });
    fc.assert(
      fc.property(fc.array(put, { minLength: 1, maxLength: 12 }), (puts) => {
        let summary: StatementSummary | undefined;
        for (const { month, stamp, net } of puts) summary = summaryAfterPut(summary, 'p', month, stored(net, stamp));
        expect(summary!.months).toEqual([...new Set(puts.map((p) => p.month))].sort());
        const newest = puts.reduce((best, p) => (p.month > best.month || (p.month === best.month && p.stamp >= best.stamp) ? p : best));
        expect([summary!.latest.month, summary!.latest.net, summary!.latest.inputsStamp]).toEqual([newest.month, newest.net, newest.stamp]);
        expect(summary!.latest.projection?.net.p50).toBe(newest.net);
      }),
    );
  });
});
