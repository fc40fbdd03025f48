import { createHmac } from 'node:crypto';

/*
 * CPR numbers (spec 2.4), the one home of every rule about them: how they may be
 * spelled, how a participant value that is one becomes a pseudonym, and how text
 * is kept from repeating one. Two levels of care:
 * - exact: the spellings of spec 2.4 (9 or 10 digits joined by separators) decide
 *   what is pseudonymised or refused, and what `redactCpr` blanks in a quoted cell;
 * - conservative: messages and log lines may quote what a person typed only when
 *   it holds at most 5 digits (`safeToRepeat`, `quoteSafely`, `scrubDigitRuns`),
 *   rather than trusting any recogniser of spellings.
 */

/** Participant values are keys in DynamoDB and S3: longer ones are refused (spec 2.3). */
export const MAX_PARTICIPANT_LENGTH = 64;

/**
 * What may sit between the digits of a CPR number (spec 2.4), after NFKC, as the
 * body of a regex character class: any space or line break (`\s` covers no-break
 * and other Unicode spaces), any dash (`\p{Pd}`, which holds the en dash, em dash,
 * ‐, ‑, ‒, ﹣ and －) and the minus sign, `.`, `/`, `_`; and also `,`, quotes
 * (Excel's `'0101901234`, a stray `"`) and invisible format characters (`\p{Cf}`:
 * soft hyphen, zero-width space).
 */
const SEPARATORS = String.raw`\s\p{Pd}\u2212._/,'"\p{Cf}`;
const SEPARATOR = new RegExp(`^[${SEPARATORS}]$`, 'u');

/** A CPR number has 10 digits; 9 when a spreadsheet dropped its leading zero. */
const MIN_DIGITS = 9;
const MAX_DIGITS = 10;

const isDigit = (code: number) => code >= 48 && code <= 57;

/** The length in UTF-16 units of the separator at `at` (astral ones take two), or 0. */
function separatorAt(text: string, at: number): number {
  if (at >= text.length) return 0;
  const char = String.fromCodePoint(text.codePointAt(at)!);
  return SEPARATOR.test(char) ? char.length : 0;
}

/**
 * The chains of `text` (NFKC-normalised) that may spell a CPR number: digit groups
 * joined by separators. `strict` keeps the chains where some consecutive groups
 * hold exactly 9 or 10 digits (spec 2.4: `0101901234 5` holds one, the 11 digits
 * `01019012345` do not); otherwise every chain of 9 or more digits is kept, which
 * is what a message must blank. Gives each chain's span [start, end). Linear.
 */
function cprSpans(text: string, strict: boolean): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let end = i;
    // Sliding window over the chain's group sizes: the longest window ending at the
    // current group with at most MAX_DIGITS digits; groups are never empty.
    const window: number[] = [];
    let windowDigits = 0;
    let chainDigits = 0;
    let exact = false;
    for (;;) {
      let j = i;
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      end = j;
      chainDigits += j - i;
      window.push(j - i);
      windowDigits += j - i;
      while (windowDigits > MAX_DIGITS) windowDigits -= window.shift()!;
      if (windowDigits >= MIN_DIGITS) exact = true;
      let k = j;
      for (let sep = separatorAt(text, k); sep > 0; sep = separatorAt(text, k)) k += sep;
      i = k;
      if (k === j || k === text.length || !isDigit(text.charCodeAt(k))) break;
    }
    if (strict ? exact : chainDigits >= MIN_DIGITS) spans.push([start, end]);
  }
  return spans;
}

/** The 10 digits of a value that is only a CPR number however written, or undefined. */
function cprDigits(normal: string): string | undefined {
  let digits = '';
  for (const char of normal) {
    if (isDigit(char.charCodeAt(0))) {
      digits += char;
      if (digits.length > MAX_DIGITS) return undefined;
    } else if (!SEPARATOR.test(char)) return undefined;
  }
  return digits.length >= MIN_DIGITS ? digits.padStart(MAX_DIGITS, '0') : undefined;
}

/**
 * The text with every CPR spelling blanked out (spec 2.4), for messages that
 * quote a cell: any 9 or more digits joined by separators, so no leak scan finds
 * one even beside other digits. Text without such digits comes back unchanged.
 */
export function redactCpr(text: string): string {
  const normal = text.normalize('NFKC');
  const spans = cprSpans(normal, false);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += normal.slice(at, start) + '<CPR number removed>';
    at = end;
  }
  return out + normal.slice(at);
}

/** True when `text` has more than `max` characters as people count them (code points), looking no further. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit < 0xdc00 || unit > 0xdfff) && ++count > max) return true; // a low surrogate ends a character already counted
  }
  return false;
}

/** Thrown for participant values that cannot be stored; the message never quotes the value. */
export class ParticipantValueError extends Error {}

/**
 * Replaces CPR numbers, in any spelling of spec 2.4, by `px_` + 16 hex characters
 * of HMAC-SHA256(key, 10 digits), so no CPR number leaves the parser; project ids
 * pass through trimmed. A value that merely contains a CPR number, or is longer
 * than MAX_PARTICIPANT_LENGTH, is refused (ParticipantValueError) rather than stored.
 */
export function createPseudonymiser(key: string): (participant: string) => string {
  if (key.length === 0) throw new Error('the pseudonym key is empty');
  return (participant) => {
    const value = participant.trim();
    if (longerThan(value, MAX_PARTICIPANT_LENGTH)) {
      throw new ParticipantValueError(`longer than ${MAX_PARTICIPANT_LENGTH} characters; write a CPR number or a short project id`);
    }
    const normal = value.normalize('NFKC');
    const digits = cprDigits(normal);
    if (digits !== undefined) return 'px_' + createHmac('sha256', key).update(digits).digest('hex').slice(0, 16);
    if (cprSpans(normal, true).length > 0) {
      throw new ParticipantValueError('contains a CPR number among other text; write the CPR number alone');
    }
    return value;
  };
}

// The conservative level: never repeat 6 or more digits.

/** Decimal digits of any script, after NFKC (full-width digits become digits). */
const DIGIT = /\p{Nd}/gu;
const MAX_QUOTED = 64;

/** True when `value` is short and holds at most 5 digits, so a message may repeat it. */
export function safeToRepeat(value: string): boolean {
  return value.length <= MAX_QUOTED && (value.normalize('NFKC').match(DIGIT)?.length ?? 0) < 6;
}

/**
 * `"value"` when it is safe to repeat; otherwise a description that does not
 * repeat it. For messages that name what was wrong.
 */
export function quoteSafely(value: string): string {
  return safeToRepeat(value) ? JSON.stringify(value) : '(a value not repeated here: too long or with 6 or more digits)';
}

/** A digit followed by digits and anything that may stand between a CPR number's digits. */
const DIGIT_RUN = new RegExp(`\\p{Nd}[\\p{Nd}${SEPARATORS}]*`, 'gu');

/**
 * The text with every run of digits and separators that holds 6 or more digits
 * replaced by `[digits]`: for log lines of unexpected errors, whose messages may
 * carry a value from the request.
 */
export function scrubDigitRuns(text: string): string {
  return text.normalize('NFKC').replace(DIGIT_RUN, (run) => ((run.match(DIGIT)?.length ?? 0) >= 6 ? '[digits]' : run));
}
