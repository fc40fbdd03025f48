import { createHmac } from 'node:crypto';

/**
 * A CPR number as written: DDMMYY-XXXX, DDMMYYXXXX (a space instead of the dash
 * is tolerated), or 9 digits: one whose leading zero a spreadsheet dropped.
 */
const CPR = /^(\d{5,6})[- ]?(\d{4})$/;
/** Something CPR-shaped inside a longer value. */
const CPR_INSIDE = /(?<!\d)\d{6}[- ]?\d{4}(?!\d)/;

/** CPR-shaped digits anywhere, also 9 digits (a CPR number that lost its leading zero in Excel). */
const CPR_ANYWHERE = /(?<!\d)\d{5,6}[- ]?\d{4}(?!\d)/g;

/** The text with anything CPR-shaped blanked out, for messages that quote a cell. */
export function redactCpr(text: string): string {
  return text.replace(CPR_ANYWHERE, '<CPR number removed>');
}

/** Thrown for participant values that embed a CPR number in other text. */
export class EmbeddedCprError extends Error {}

/**
 * Replaces CPR numbers by `px_` + 16 hex characters of HMAC-SHA256(key, 10 digits)
 * (spec 2.4), so no CPR number leaves the parser; project ids pass through trimmed.
 * A value that merely contains a CPR number is refused rather than stored.
 */
export function createPseudonymiser(key: string): (participant: string) => string {
  if (key.length === 0) throw new Error('the pseudonym key is empty');
  return (participant) => {
    const value = participant.trim();
    const cpr = CPR.exec(value);
    if (cpr) {
      const digits = (cpr[1]! + cpr[2]!).padStart(10, '0');
      return 'px_' + createHmac('sha256', key).update(digits).digest('hex').slice(0, 16);
    }
    if (CPR_INSIDE.test(value)) {
      throw new EmbeddedCprError('participant contains a CPR number mixed with other text; write the CPR number alone');
    }
    return value;
  };
}
