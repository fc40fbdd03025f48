// Numbers as people type them: Danish notation (decimal comma, thousands dot,
// `25 %` for a share) in the Danish portal, English notation in the English one.
// Anything that could be read two ways ("1.5" in Danish: 1,5 or 15?) is refused
// with a suggestion, never guessed. Pure: no DOM, so vitest runs it as it is.

/** The separators of each language: decimal mark and thousands mark. */
const NOTATION = {
  da: { decimal: ',', group: '.' },
  en: { decimal: '.', group: ',' },
};

/** Spaces people put between digit groups or before `%`: space, no-break and narrow no-break space. */
const SPACES = /[\u0020\u00a0\u202f\u2009]/g;

/**
 * Why a text is not a number: `code` names the problem (a key of strings-inputs.js,
 * `number_<code>`), `suggestion` how to write what was probably meant.
 */
const refuse = (code, suggestion) => ({ ok: false, code, suggestion });

/** `12` `34` `5` → `1234.5` style canonical text: digits, an optional `.` fraction, for Number(). */
function canonical(sign, whole, fraction, shift) {
  // Shifting by writing an exponent keeps the value the exactly rounded decimal (0.125, not 0.12500000000000003).
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  return Number(`${sign}${digits || '0'}e${-(fraction.length + shift)}`);
}

/**
 * Reads `text` as a number in `language` (`da` or `en`). `share`: the field asks for
 * a share as a percentage, so `25 %` and `25` are 0.25, and a fraction like `0,25`
 * (25 % or 0,25 %?) is refused. Returns `{ ok: true, value }` or
 * `{ ok: false, code, suggestion? }` (strings-inputs.js words the code).
 */
export function parseNumber(text, language = 'da', { share = false } = {}) {
  const { decimal, group } = NOTATION[language === 'en' ? 'en' : 'da'];
  let rest = String(text ?? '').trim();
  if (rest === '') return refuse('empty');
  const percent = rest.endsWith('%');
  if (percent) {
    if (!share) return refuse('percentNotHere');
    rest = rest.slice(0, -1).trim();
  }
  const sign = /^[-−]/.test(rest) ? '-' : '';
  if (sign) rest = rest.slice(1).trim();
  const spaced = rest.replace(SPACES, ' ');
  // Groups of three digits after a space are thousands in both languages ("450 000").
  if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(spaced) && spaced.includes(' ')) return refuse('notANumber');
  rest = spaced.replace(/ /g, '');
  if (!/^[\d.,]+$/.test(rest) || !/\d/.test(rest)) return refuse('notANumber');

  const decimals = rest.split(decimal);
  if (decimals.length > 2) return refuse('notANumber');
  const [integerPart, fraction = ''] = decimals;
  if (fraction.includes(group)) {
    // "1,234.5" in Danish (or "1.234,5" in English): the other language's notation.
    const swapped = rest.replace(/[.,]/g, (mark) => (mark === '.' ? ',' : '.'));
    return refuse('otherNotation', `${sign}${swapped}`);
  }
  if (decimals.length === 2 && fraction === '') return refuse('notANumber');
  let whole = integerPart;
  if (integerPart.includes(group)) {
    // Thousands marks only between groups of exactly three digits, never after a leading 0.
    if (!/^[1-9]\d{0,2}(\.\d{3})+$/.test(integerPart.replaceAll(group, '.'))) {
      const asDecimal = integerPart.split(group);
      const suggestion = asDecimal.length === 2 && fraction === '' ? `${sign}${asDecimal[0]}${decimal}${asDecimal[1]}` : undefined;
      return refuse(language === 'en' ? 'ambiguousComma' : 'ambiguousDot', suggestion);
    }
    whole = integerPart.replaceAll(group, '');
  }
  if (whole === '') whole = '0'; // ",5" is 0,5
  const value = canonical(sign, whole, fraction, percent || share ? 2 : 0);
  if (!Number.isFinite(value)) return refuse('notANumber');
  // A share written without `%` as a fraction (0,25): 25 % or 0,25 %? Say which to write.
  if (share && !percent && fraction !== '' && Math.abs(Number(`${whole}.${fraction}`)) < 1) {
    return refuse('shareAmbiguous', `${formatNumber(canonical(sign, whole, fraction, -2), language)} %`);
  }
  return { ok: true, value };
}

/** A finite number as its shortest exact decimal text, never in exponent form: `1e-7` → `0.0000001`. */
function plainDecimal(value) {
  const text = Math.abs(value).toString();
  const exponent = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const digits = `${exponent[1]}${exponent[2] ?? ''}`;
  const point = 1 + Number(exponent[3]); // where the decimal point goes in `digits`
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  return point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A number written the way parseNumber reads it back exactly: thousands marks and
 * the language's decimal mark, every digit kept (`1234.5` → `1.234,5`). With
 * `share`, the share as a percentage (`0.125` → `12,5 %`).
 */
export function formatNumber(value, language = 'da', { share = false } = {}) {
  const { decimal, group } = NOTATION[language === 'en' ? 'en' : 'da'];
  let [whole, fraction = ''] = plainDecimal(value).split('.');
  if (share) {
    // Move the decimal point two places in the text, so the percentage is exact too.
    const padded = fraction.padEnd(2, '0');
    whole = `${whole}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
    fraction = padded.slice(2);
  }
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, group);
  const sign = value < 0 && (whole !== '0' || /[1-9]/.test(fraction)) ? '-' : '';
  return `${sign}${grouped}${fraction ? `${decimal}${fraction}` : ''}${share ? ' %' : ''}`;
}
