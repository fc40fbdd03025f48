// The project holder's weekly active hours: one row a participant, one column a
// week, participants below the threshold first and marked in text, not colour only.

import * as api from '../api.js';
import { errorBox, h, loading, setMain, srOnly } from '../dom.js';
import { hours, integer, monthName, t } from '../i18n.js';
import { choosePartnership, partnershipSelect } from '../partnerships.js';
import { go, refresh } from '../router.js';
import { cached, state } from '../store.js';
import { monthOfWeek } from '../weeks.js';

/** How many of the latest weeks to show; 0 is all. */
const WEEKS_SHOWN = [4, 8, 13, 26, 0];

/** `#/hours/partnership`: the controls at once, the table when the API answers. */
export async function renderHours(partnershipId, current) {
  const chosen = await choosePartnership('hours', partnershipId, current);
  if (!chosen) return;
  const { partnership, partnerships } = chosen;
  const options = state.hours;
  const content = h('div', loading());
  setMain(
    h('section.hours-page', { 'aria-labelledby': 'hours-title' },
      h('h2', { id: 'hours-title' }, t('hoursTitle')),
      h('p.hint', t('hoursIntro')),
      hoursControls(partnerships, partnership, options),
      content,
    ),
  );
  const path = `/hours/${partnership.partnership}?threshold=${options.threshold}`;
  let data;
  try {
    data = await cached(path, () => api.getHours(partnership.partnership, { threshold: options.threshold }));
  } catch (error) {
    if (current() && error?.status !== 401) content.replaceChildren(errorBox(error, { retry: () => refresh() }));
    return;
  }
  if (!current()) return;
  content.replaceChildren(...hoursView(data, options));
}

/** Partnership, threshold (the API marks who is below it), weeks shown, only those below. */
function hoursControls(partnerships, partnership, options) {
  const thresholdInput = h('input', { type: 'number', id: 'threshold', min: 0, max: 168, step: 0.5, value: String(options.threshold), 'data-testid': 'threshold', inputMode: 'decimal' });
  const weeksSelect = h(
    'select',
    { id: 'weeks-shown', 'data-testid': 'weeks-shown', onchange: (e) => { options.weeks = Number(e.target.value); refresh(); } },
    WEEKS_SHOWN.map((n) => h('option', { value: String(n), selected: n === options.weeks }, n ? String(n) : t('weeksAll'))),
  );
  const onlyBelow = h('input', { type: 'checkbox', id: 'only-below', checked: options.onlyBelow, 'data-testid': 'only-below', onchange: (e) => { options.onlyBelow = e.target.checked; refresh(); } });
  const controls = h(
    'form.controls',
    {
      'data-testid': 'hours-controls',
      onsubmit: (event) => {
        event.preventDefault();
        const value = Number(thresholdInput.value.replace(',', '.'));
        if (Number.isFinite(value) && value >= 0) options.threshold = value;
        refresh();
      },
    },
    h('label', h('span', t('partnership')), partnershipSelect(partnerships, partnership.partnership, (id) => go('hours', id), { 'data-testid': 'hours-partnership' })),
    h('label', { htmlFor: 'threshold' }, h('span', t('threshold')), thresholdInput),
    h('label', { htmlFor: 'weeks-shown' }, h('span', t('weeksShown')), weeksSelect),
    h('label.checkbox', { htmlFor: 'only-below' }, onlyBelow, h('span', t('onlyBelow'))),
    h('button.secondary', { type: 'submit', 'data-testid': 'hours-update' }, t('update')),
  );
  thresholdInput.addEventListener('change', () => controls.requestSubmit());
  return controls;
}

/** Every participant, from the summary or only from the weeks; those below the threshold first. */
function participantsOf(data) {
  const participants = [...(data.participants ?? [])];
  const known = new Set(participants.map((p) => p.participant));
  for (const w of data.weeks) if (!known.has(w.participant)) { known.add(w.participant); participants.push({ participant: w.participant, lastWeeks: [], belowThreshold: false }); }
  return participants.sort((a, b) => Number(b.belowThreshold) - Number(a.belowThreshold) || a.participant.localeCompare(b.participant));
}

function hoursView(data, options) {
  if (!data.participants?.length && !data.weeks?.length) return [h('p.empty', { 'data-testid': 'hours-empty' }, t('hoursEmpty'))];
  const threshold = data.threshold ?? options.threshold;
  const allWeeks = [...new Set(data.weeks.map((w) => w.week))].sort();
  const weeks = options.weeks ? allWeeks.slice(-options.weeks) : allWeeks;
  const participants = participantsOf(data);
  const below = participants.filter((p) => p.belowThreshold).length;
  const shown = options.onlyBelow ? participants.filter((p) => p.belowThreshold) : participants;
  const table = hoursTable(shown, weeks, data.weeks, threshold);
  const anyEstimated = table.querySelector('.estimated') !== null; // a shown cell carries the estimate mark
  return [
    h('p.summary', { 'data-testid': 'hours-summary' }, t('hoursSummary', { below: integer(below), total: integer(participants.length), threshold: hours(threshold) })),
    h('div.table-scroll', table),
    anyEstimated ? h('p.hint', t('estimatedNote')) : undefined,
  ].filter(Boolean);
}

/** The week column's heading: `Uge 07` over `2019`, titled with the week's month (spec 3). */
function weekHeading(week) {
  const month = monthOfWeek(week);
  return h('th.num.week', { scope: 'col', title: month ? monthName(month) : undefined }, h('span.wk', `${t('colWeek')} ${week.slice(6)}`), h('span.yr', week.slice(0, 4)));
}

function hoursTable(participants, weeks, weekRows, threshold) {
  const byKey = new Map(weekRows.map((w) => [`${w.participant}|${w.week}`, w]));
  const cell = (p, week) => {
    const w = byKey.get(`${p.participant}|${week}`);
    if (!w) return h('td.num.none', h('span', { 'aria-hidden': 'true' }, '–'), srOnly(t('noData')));
    return h(
      'td.num',
      {
        class: w.activeHours < threshold ? 'low' : undefined,
        title: t('cellTitle', { participant: p.participant, week, active: hours(w.activeHours), paid: hours(w.paidHours ?? 0) }),
      },
      hours(w.activeHours),
      w.estimated ? h('span.estimated', h('span', { 'aria-hidden': 'true' }, '*'), srOnly(` (${t('estimatedMark')})`)) : undefined,
    );
  };
  const row = (p) =>
    h(
      'tr',
      { class: p.belowThreshold ? 'below' : undefined, 'data-participant': p.participant, 'data-below': String(Boolean(p.belowThreshold)) },
      h('th.sticky.mono', { scope: 'row' }, p.participant),
      h('td', p.belowThreshold ? h('span.badge.badge-warn', { 'data-testid': 'below-marker' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('belowMarker')) : h('span.badge.badge-ok', t('okMarker'))),
      h('td.last-weeks', (p.lastWeeks ?? []).map((w) => h('span', { class: w.activeHours < threshold ? 'low' : undefined }, `${w.week}: ${hours(w.activeHours)}`))),
      weeks.map((week) => cell(p, week)),
    );
  return h(
    'table.data.hours-table',
    { 'data-testid': 'hours-table', 'data-threshold': String(threshold) },
    h('caption.sr-only', t('hoursTitle')),
    h('thead', h('tr', h('th.sticky', { scope: 'col' }, t('colParticipant')), h('th', { scope: 'col' }, t('colStatus')), h('th', { scope: 'col' }, t('colLastWeeks')), weeks.map(weekHeading))),
    h('tbody', participants.map(row)),
  );
}
