// What the portal keeps between pages: API answers by path, and the user's
// choices (filters, the upload form, a what-if scenario, the partnership last seen),
// which outlive a session that ends on its own for the same user's next sign-in.

import * as api from './api.js';
import { keepInput, refillFields, takeKeptInput } from './auth-kept-input.js';
import { whenSessionEnds, whenSignedIn } from './auth-session.js';

/** Weekly hours below this many are flagged until the user picks another threshold. */
const DEFAULT_THRESHOLD = 15;

/** GET results by path, so switching language or going back does not refetch. */
const cache = new Map();

/** The user's choices; pages read and change them, sign-out and session expiry reset them. */
export const state = {
  notice: undefined,
  hours: { threshold: DEFAULT_THRESHOLD, weeks: 8, onlyBelow: false },
  /** The statements page's partnership list: search text, sort (`name`, `municipality`, `net`, `projection`, each `:asc` or `:desc`) and the cursors of the pages shown after the first. */
  partnershipList: { q: '', sort: 'name:asc', more: [] },
  reportsOnlyRejected: false,
  reportsShowAll: false,
  upload: undefined,
  scenario: undefined,
  /** The partnership last looked at, kept when switching pages. */
  partnership: undefined,
};

/** The answer for `path`, loaded once; a failed load is forgotten so a retry asks again. */
export async function cached(path, load) {
  if (!cache.has(path)) {
    const promise = load();
    cache.set(path, promise);
    promise.catch(() => cache.delete(path));
  }
  return cache.get(path);
}

/** Every partnership the signed-in user may see (the holder's drop-downs). */
export const allPartnerships = () => cached('/partnerships', () => api.listAllPartnerships());

/** One page of the partnership list as searched and sorted (`{ q, sort, order, cursor }`). */
export const partnershipsPage = (query) => cached(`/partnerships?${JSON.stringify(query)}`, () => api.listPartnerships(query));

/** A partnership's name, municipality and statement months; a 404 when the user may not see it. */
export const statementMonthsOf = (partnership) => cached(`/months/${partnership}`, () => api.getStatementMonths(partnership));

/** Forgets what an upload to `partnership` changes: its reports, weekly hours and statements. */
export function forgetUploadedTo(partnership) {
  cache.delete(`/reports/${partnership}`);
  for (const key of cache.keys()) if (key.startsWith(`/hours/${partnership}?`) || key.startsWith(`/statements/${partnership}/`)) cache.delete(key);
}

/** Forgets every answer: another user signs in. */
export const forgetAll = () => cache.clear();

/** The choices a user would be sorry to lose. */
const KEPT_CHOICES = ['hours', 'partnershipList', 'reportsOnlyRejected', 'reportsShowAll', 'upload', 'scenario', 'partnership'];

// A session that ended on its own keeps the user's choices and typed fields (before
// resetSession clears them); the same user's next sign-in gets them back.
whenSessionEnds((subject) => keepInput(subject, Object.fromEntries(KEPT_CHOICES.map((key) => [key, state[key]]))));
whenSignedIn((session) => {
  const kept = takeKeptInput(session.subject);
  if (!kept) return;
  Object.assign(state, kept.choices);
  refillFields(kept.fields);
});

/** Sign-out or an expired session: no answers and no choices tied to the old user remain here (kept ones wait in auth-kept-input.js). */
export function resetSession(notice) {
  cache.clear();
  Object.assign(state, { scenario: undefined, upload: undefined, partnership: undefined, notice });
}
