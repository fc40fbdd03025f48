/*
 * Messages and log lines may quote what a person typed only when it cannot be a
 * CPR number in any spelling (spec 2.4). Rather than recognise every spelling,
 * these helpers refuse anything with 6 or more digits: a CPR number has 9 or 10.
 */

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

/** A digit followed by digits and anything that may stand between a CPR number's digits (spaces, dashes, `.`, `/`, `_`, `,`, quotes, invisible characters). */
const DIGIT_RUN = /\p{Nd}[\p{Nd}\s\p{Pd}\u2212._/,'"\p{Cf}]*/gu;

/**
 * The text with every run of digits and separators that holds 6 or more digits
 * replaced by `[digits]`: for log lines of unexpected errors, whose messages may
 * carry a value from the request.
 */
export function scrubDigitRuns(text: string): string {
  return text.normalize('NFKC').replace(DIGIT_RUN, (run) => ((run.match(DIGIT)?.length ?? 0) >= 6 ? '[digits]' : run));
}
