// The chart's arithmetic, apart from drawing: months as evenly spaced numbers and
// "nice" y-axis ticks. Pure functions, so test/portal/chart-scale.test.ts can check
// them for any data (all zero, negative, one month) without a browser.

/** `2019-02` → months since year 0, so months are evenly spaced on the x axis. */
export function monthIndex(month) {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + (m - 1);
}

/** The inverse of monthIndex. */
export const monthOfIndex = (index) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Span shown when every value is the same (all-zero data): 0 to 1.000 kr. reads as "nothing yet", not as noise. */
const EMPTY_SPAN = 1000;

/**
 * About `target` round, whole-krone tick values (1, 2, 2½ or 5 × 10ⁿ apart) from at
 * or below `min` to at or above `max`. Steps are whole kroner, so ticks written without
 * decimals never repeat a label; equal values get a span of EMPTY_SPAN from them.
 */
export function niceTicks(min, max, target = 5) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError('ticks need finite values');
  if (min > max) [min, max] = [max, min];
  if (max - min < 1) max = min + EMPTY_SPAN;
  const raw = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw && s >= 1 && Number.isInteger(s)) ?? Math.max(1, 10 * magnitude);
  let [low, high] = [Math.floor(min / step), Math.ceil(max / step)];
  if (low * step > min) low--; // a quotient that underflowed to 0
  if (high * step < max) high++;
  const ticks = [];
  for (let i = low; i <= high; i++) ticks.push(i * step + 0); // + 0: never -0
  return ticks;
}
