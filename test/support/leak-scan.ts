import { gunzipSync } from 'node:zlib';
import { cprSpellings } from './cpr-spellings.ts';

/**
 * What may stand between the digits of a CPR number (spec 2.4, and more): spaces
 * and line breaks of every kind, every dash and the minus sign, `.`, `/`, `_`,
 * `,`, `'` and `"` (CSV quoting and escaping) and invisible format characters.
 */
const SEPARATORS = /[\s\p{Pd}\u2212._/,'"\p{Cf}]+/gu;

const JSON_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

/** JSON string escapes (`\n`, `\"`, `\u00a0`) as the characters they stand for. */
const unescapeJson = (text: string) =>
  text.replace(/\\u([0-9a-fA-F]{4})|\\([nrtbf"\\/])/g, (_, hex: string | undefined, letter: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : JSON_ESCAPES[letter!]!);

/** URL escapes (`%E2%80%93`, `+` for a space) decoded, sequence by sequence, so one bad escape spoils nothing. */
const decodeUrl = (text: string) =>
  text.replace(/\+/g, ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });

/**
 * Every way a text may hide a CPR number from a plain search: as written, with
 * JSON or URL escapes decoded, each NFKC-normalised (full-width digits become
 * digits).
 */
function views(text: string): string[] {
  const json = unescapeJson(text);
  return [text, json, decodeUrl(text), decodeUrl(json)].map((view) => view.normalize('NFKC'));
}

/**
 * The CPR numbers (each `DDMMYY-XXXX`) that `text` contains in any spelling: one of
 * `cprSpellings`, or its 10 digits (9 when it starts with 0: a spreadsheet drops
 * the zero) once every separator is removed from the normalised text.
 */
export function cprsIn(text: string, cprs: readonly string[]): string[] {
  const all = views(text);
  const compact = all.map((view) => view.replace(SEPARATORS, ''));
  return cprs.filter((cpr) => {
    const digits = cpr.replace(/\D/g, '');
    const shortest = digits.startsWith('0') ? digits.slice(1) : digits;
    return cprSpellings([cpr]).some((spelling) => all.some((view) => view.includes(spelling))) || compact.some((view) => view.includes(shortest));
  });
}

/**
 * A DynamoDB item (or any value) as text to scan: every key and string, numbers,
 * and binary attributes gunzipped when they are gzip (statements), else as UTF-8.
 */
export function textOfValue(value: unknown): string {
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value);
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  }
  if (value instanceof Set) return textOfValue([...value]);
  if (Array.isArray(value)) return value.map(textOfValue).join('\n');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([key, inner]) => `${key}\n${textOfValue(inner)}`).join('\n');
  }
  return String(value);
}

/** Where a CPR number was found: `where` names the output, `what` the CPR numbers seen there. */
export interface Leak {
  where: string;
  what: string[];
}

/** Every output in `outputs` (name → text) that holds one of `cprs`; none when nothing leaked. */
export function leaksIn(outputs: Iterable<[string, string]>, cprs: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  for (const [where, text] of outputs) {
    const what = cprsIn(text, cprs);
    if (what.length > 0) leaks.push({ where, what });
  }
  return leaks;
}
