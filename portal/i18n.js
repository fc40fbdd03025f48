// The portal's language (Danish by default, English on request, remembered in the
// browser): its strings from strings.js, and numbers, kroner and dates in its formats.

import { uiStrings } from './strings.js';
import { statementStrings } from './strings-statement.js';
import { exportStrings } from './strings-exports.js';
import { inputStrings } from './strings-inputs.js';
import { partnershipStrings } from './strings-partnerships.js';

const LOCALES = { da: 'da-DK', en: 'en-GB' };
const STORAGE_KEY = 'pbr.lang';

let current = (() => {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'da' || saved === 'en') return saved;
  } catch {
    /* storage unavailable: Danish */
  }
  return 'da';
})();

/** `da` or `en`. */
export const language = () => current;

/** Switches language (anything but `en` is Danish) and remembers it for the next visit. */
export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'da';
  document.documentElement.lang = current;
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    /* ignore */
  }
}

/** The UI string `key`, with `{name}` placeholders filled from params. */
export function t(key, params = {}) {
  const entry = STRINGS[current][key] ?? STRINGS.da[key];
  if (entry === undefined) return key;
  if (typeof entry === 'function') return entry(params);
  return entry.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

const cache = new Map();
function numberFormat(options) {
  const id = `${current}|${JSON.stringify(options)}`;
  if (!cache.has(id)) cache.set(id, new Intl.NumberFormat(LOCALES[current], options));
  return cache.get(id);
}

/** DKK to the øre: `12.345,50 kr.` in Danish, `DKK 12,345.50` in English; `signed` for a difference (`+5.000,00 kr.`, `0,00 kr.`). */
export function kroner(amount, { decimals = 2, signed = false } = {}) {
  const text = numberFormat({ minimumFractionDigits: decimals, maximumFractionDigits: decimals, signDisplay: signed ? 'exceptZero' : 'auto' }).format(amount);
  return current === 'da' ? `${text} kr.` : `DKK ${text}`;
}

/** A number of hours, at most two decimals (`7,5`). */
export const hours = (value) => numberFormat({ maximumFractionDigits: 2 }).format(value);
/** A count, with thousands separators. */
export const integer = (value) => numberFormat({ maximumFractionDigits: 0 }).format(value);
/** A share (0–1) as a whole percentage. */
export const percent = (value) => numberFormat({ style: 'percent', maximumFractionDigits: 0 }).format(value);
/** A difference of two shares in percentage points, signed, one decimal: `+3,5`. */
export const signedPoints = (difference) => numberFormat({ maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(difference * 100);

/** strings.js, then each area's strings-<area>.js merged over it, per language. */
const STRINGS = [uiStrings, statementStrings, exportStrings, inputStrings, partnershipStrings]
  .map((strings) => strings({ integer, percent }))
  .reduce((all, more) => ({ da: { ...all.da, ...more.da }, en: { ...all.en, ...more.en } }));

/** `2019-02` → `februar 2019` (or `feb. 2019` when short). */
export function monthName(month, { short = false } = {}) {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  const options = short ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(LOCALES[current], options).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** An ISO timestamp as a date and time in the user's language; the text itself if it is not one. */
export function dateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
