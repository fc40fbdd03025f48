/**
 * Identifiers that travel in S3 keys, DynamoDB keys, logs and URLs: partnership ids
 * and report sources (spec 2.4). They are never personal data, so they are checked
 * before anything is stored or logged, and a refusal never quotes the value.
 */

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Six or more digits in a row could be (part of) a CPR number. */
const DIGIT_RUN = /\d{6,}/;
/** Nine or more digits split only by single dashes: a CPR number spelled `31-12-99-7822`. */
const DASHED_DIGITS = /\d(?:-?\d){8,}/;

/**
 * Why `value` cannot be used as the `what` identifier (e.g. "partnership"), or
 * undefined when it can. The message never contains the value itself.
 */
export function identifierProblem(what: string, value: string): string | undefined {
  if (!SLUG.test(value)) {
    return `${what} must be 1–63 characters of a–z, 0–9 and "-", starting with a letter or digit (e.g. "koege", "jobvejen")`;
  }
  if (DIGIT_RUN.test(value) || DASHED_DIGITS.test(value)) {
    return `${what} must not contain 6 or more digits in a row, nor 9 or more split by dashes (it could be a CPR number)`;
  }
  return undefined;
}

/** The value when it is a valid identifier; throws an Error naming the problem otherwise. */
export function checkIdentifier(what: string, value: string): string {
  const problem = identifierProblem(what, value);
  if (problem) throw new Error(problem);
  return value;
}

const DANISH_LETTERS: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa' };

/**
 * A report source made from a file name (without its extension), spec 2.4: lower
 * case, æ→ae, ø→oe, å→aa, any other run of characters → "-", trimmed of "-" and cut
 * to 63 characters. Returns undefined when the name holds a run of 6 or more digits
 * (it is refused, not slugified) or nothing usable is left.
 */
export function sourceOfFileName(name: string): string | undefined {
  if (DIGIT_RUN.test(name.normalize('NFKC'))) return undefined;
  const slug = name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[æøå]/g, (letter) => DANISH_LETTERS[letter]!)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return identifierProblem('source', slug) ? undefined : slug;
}
