// What a user had typed when their session ended on its own (a what-if half
// filled in, the upload form, the filters), kept in sessionStorage through the
// hosted UI's sign-in and given back to the same user, and only to them.

const KEPT_KEY = 'pbr.kept-input';
/** How long refilled fields are waited for after the page is drawn again. */
const REFILL_WAIT_MS = 30_000;

/** The values of the fields (with an id) of the forms on the page; files cannot be kept. */
function typedFields() {
  const fields = {};
  for (const field of document.querySelectorAll('#main form input[id], #main form select[id], #main form textarea[id]')) {
    if (field.type === 'file' || field.type === 'submit' || field.type === 'hidden') continue;
    fields[field.id] = field.type === 'checkbox' || field.type === 'radio' ? field.checked : field.value;
  }
  return fields;
}

/** Keeps `choices` (the store's state) and the typed fields for `subject`'s next sign-in. */
export function keepInput(subject, choices) {
  if (!subject) return;
  try {
    sessionStorage.setItem(KEPT_KEY, JSON.stringify({ subject, choices, fields: typedFields() }));
  } catch {
    /* storage unavailable or full: nothing kept */
  }
}

/** What was kept for `subject`, once; anything kept for another user is dropped. */
export function takeKeptInput(subject) {
  let kept;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEPT_KEY) ?? 'null');
    sessionStorage.removeItem(KEPT_KEY);
  } catch {
    return undefined;
  }
  return kept?.subject === subject ? kept : undefined;
}

function refill(field, value) {
  if (typeof value === 'boolean') field.checked = value;
  else field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  const details = field.closest('details');
  if (details) details.open = true;
}

/** Fills the kept fields back in as the page draws them (it draws after loading its data). */
export function refillFields(fields) {
  const waiting = new Map(Object.entries(fields ?? {}));
  const main = document.getElementById('main');
  if (!waiting.size || !main) return;
  const fillPresent = () => {
    for (const [id, value] of waiting) {
      const field = document.getElementById(id);
      if (field && main.contains(field)) {
        refill(field, value);
        waiting.delete(id);
      }
    }
    if (!waiting.size) observer.disconnect();
  };
  const observer = new MutationObserver(fillPresent);
  observer.observe(main, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), REFILL_WAIT_MS);
  fillPresent();
}
