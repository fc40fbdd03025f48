import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABSENT, ByteKeyTable, ensureLength, growableInt32Array, ParticipantWeekSlots } from '../../shared/timesheets/slot-table.ts';

/* The participant-week slots behind the ingest's hot path (issue 13): a hash table on Int32Arrays. */

describe('ParticipantWeekSlots', () => {
  it('gives each pair one slot, numbered in order of first use, and finds it again after growing (property)', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 65_535 }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 3000 }), (pairs) => {
        const slots = new ParticipantWeekSlots();
        const expected = new Map<string, number>();
        for (const [participant, week] of pairs) {
          const key = `${participant}/${week}`;
          if (!expected.has(key)) expected.set(key, expected.size);
          expect(slots.slotOf(participant, week)).toBe(expected.get(key));
        }
        expect(slots.size).toBe(expected.size);
        for (const [key, slot] of expected) {
          expect(`${slots.participantOf(slot)}/${slots.weekOf(slot)}`).toBe(key);
          const [participant, week] = key.split('/').map(Number) as [number, number];
          expect(slots.slotOf(participant, week)).toBe(slot);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('orders slots by participant name (code units) then week, like the hours CSV (property)', () => {
    const names = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(names, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 60 })), { maxLength: 200 }), (people, uses) => {
        const slots = new ParticipantWeekSlots();
        for (const [pick, week] of uses) slots.slotOf(pick % people.length, week);
        const order = [...slots.sortedByName(people)];
        const key = (slot: number) => [people[slots.participantOf(slot)]!, slots.weekOf(slot)] as const;
        const expected = Array.from({ length: slots.size }, (_, slot) => slot).sort((a, b) => {
          const [na, wa] = key(a);
          const [nb, wb] = key(b);
          return na < nb ? -1 : na > nb ? 1 : wa - wb;
        });
        expect(order).toEqual(expected);
      }),
    );
  });
});

describe('ByteKeyTable', () => {
  it('holds a value per byte string, found from any copy of its bytes, within its key limit (property)', () => {
    const key = fc.uint8Array({ maxLength: 6 }).map((bytes) => bytes.map((b) => b % 4)); // few byte values: many shared prefixes and collisions
    const long = fc.uint8Array({ minLength: 129, maxLength: 140 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof({ weight: 9, arbitrary: key }, { weight: 1, arbitrary: long }), fc.integer()), { maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (entries, maxKeys) => {
        const table = new ByteKeyTable(maxKeys);
        const expected = new Map<string, number>();
        for (const [bytes, value] of entries) {
          // Looked up inside a larger buffer, as a cell inside a line.
          const line = new Uint8Array([7, ...bytes, 7]);
          const name = bytes.join(',');
          table.set(line, 1, 1 + bytes.length, value);
          if (bytes.length <= 128 && (expected.has(name) || expected.size < maxKeys)) expected.set(name, value);
        }
        expect(table.size).toBe(expected.size);
        for (const [bytes] of entries) {
          const name = bytes.join(',');
          expect(table.get(bytes, 0, bytes.length)).toBe(expected.has(name) ? expected.get(name) : ABSENT);
        }
      }),
    );
  });
});

describe('growable Int32Array', () => {
  it('grows in place, keeping its values and zeroing the new ones', () => {
    const array = growableInt32Array(4);
    array.set([1, 2, 3, 4]);
    ensureLength(array, 1000);
    expect(array.length).toBeGreaterThanOrEqual(1000);
    expect([...array.subarray(0, 6)]).toEqual([1, 2, 3, 4, 0, 0]);
    expect(array.subarray(4).every((value) => value === 0)).toBe(true);
  });
});
