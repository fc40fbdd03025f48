// A number field every form shares: a text input (so "12,5" and "450.000" reach
// the parser as typed, not as the browser's guess), read with danish-number.js in
// the portal's language, with the message of a refused text beside it.

import { formatNumber, parseNumber } from './danish-number.js';
import { h } from './dom.js';
import { language, t } from './i18n.js';

let fieldCount = 0;

/**
 * `{ input, error }`: a text input with a decimal keyboard and an error slot it
 * is described by. `value` is shown as typed (a number is written in the
 * portal's notation); `share` fields take a percentage (`25 %`).
 */
export function numberField({ value, share = false, ...attributes }) {
  const id = `number-error-${++fieldCount}`;
  const error = h('p.field-error', { id, 'aria-live': 'polite', hidden: true });
  const shown = typeof value === 'number' ? writeNumber(value, { share }) : value;
  const input = h('input', { type: 'text', inputMode: 'decimal', autocomplete: 'off', spellcheck: 'false', value: shown, 'aria-describedby': id, ...attributes });
  return { input, error };
}

/** A number as the portal writes it in its language, every digit kept, so the field reads it back exactly (shares as `25 %`). */
export function writeNumber(value, { share = false } = {}) {
  return formatNumber(value, language(), { share });
}

/**
 * The field's number, or undefined after saying in the error slot why its text is
 * refused (and focusing it). Empty is `undefined` without a message when `optional`.
 */
export function readNumberField({ input, error }, { share = false, min, max, optional = false } = {}) {
  const text = input.value.trim();
  if (text === '' && optional) return clear({ input, error }, undefined);
  const parsed = parseNumber(text, language(), { share });
  const problem = !parsed.ok
    ? t(`number_${parsed.code}`, { text, suggestion: parsed.suggestion })
    : min !== undefined && parsed.value < min
      ? t('number_tooSmall', { min: writeNumber(min, { share }) })
      : max !== undefined && parsed.value > max
        ? t('number_tooLarge', { max: writeNumber(max, { share }) })
        : undefined;
  if (!problem) return clear({ input, error }, parsed.value);
  error.textContent = problem;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
  return undefined;
}

function clear({ input, error }, value) {
  error.textContent = '';
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  return value;
}
