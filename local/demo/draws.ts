/*
 * Draws from a seeded stream (shared/random.ts): the scenario takes every choice
 * from these, so the same seed writes byte-identical files.
 */

/** A seeded stream of numbers in [0, 1). */
export type Random = () => number;

/** A whole number from `min` to `max`, both included. */
export const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/** One of `items`, equally likely. */
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Mixes numbers into a 32-bit seed, so each participant gets their own stream. */
export function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}
