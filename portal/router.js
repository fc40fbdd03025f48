// The hash router: `#/page/arg/…` names what is shown, so the back button,
// reloads and links work without a server. app.js says which page draws which
// route; pages call go() to move and refresh() to draw the same route again.

let draw = async () => {};
let drawId = 0;

/** The current route: `#/statements/koege/2019-04` → { page: 'statements', args: ['koege', '2019-04'] }. */
export function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? '', args: parts.slice(1) };
}

/** The link to a route, for `href`s and go(). */
export const hrefOf = (...parts) => `#/${parts.filter(Boolean).map(encodeURIComponent).join('/')}`;

/** Shows a route: changes the hash (which draws it), or draws it again if it is already shown. */
export function go(...parts) {
  const hash = hrefOf(...parts);
  if (location.hash === hash) refresh();
  else location.hash = hash;
}

/**
 * Draws the current route. The drawing function gets `current()`, true until a newer
 * drawing starts, so a page whose data arrives late does not overwrite a newer one.
 */
export function refresh() {
  const id = ++drawId;
  return draw(() => id === drawId);
}

/** Sets the function that draws every route, and draws again on every hash change. */
export function startRouter(drawRoute) {
  draw = drawRoute;
  window.addEventListener('hashchange', () => refresh());
}
