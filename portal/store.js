// What the portal keeps between pages: API answers by path, and the user's
// choices (filters, the upload form, a what-if scenario, the partnership last seen).

import * as api from './api.js';

/** Weekly hours below this many are flagged until the user picks another threshold. */
const DEFAULT_THRESHOLD = 15;

/** GET results by path, so switching language or going back does not refetch. */
const cache = new Map();

/** The user's choices; pages read and change them, sign-out and session expiry reset them. */
export const state = {
  notice: undefined,
  hours: { threshold: DEFAULT_THRESHOLD, weeks: 8, onlyBelow: false },
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

/** The partnerships the signed-in user may see. */
export const listPartnerships = () => cached('/partnerships', () => api.listPartnerships());

/** Forgets what an upload to `partnership` changes: its reports, weekly hours and statements. */
export function forgetUploadedTo(partnership) {
  cache.delete(`/reports/${partnership}`);
  for (const key of cache.keys()) if (key.startsWith(`/hours/${partnership}?`) || key.startsWith(`/statements/${partnership}/`)) cache.delete(key);
}

/** Forgets every answer: another user signs in. */
export const forgetAll = () => cache.clear();

/** Sign-out or an expired session: no answers and no choices tied to the old user remain. */
export function resetSession(notice) {
  cache.clear();
  Object.assign(state, { scenario: undefined, upload: undefined, partnership: undefined, notice });
}
