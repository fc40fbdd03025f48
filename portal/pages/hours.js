// The project holder's monitoring: as of a chosen week, each participant's status
// (active, under the threshold, no hours for weeks, exited with the roster's reason),
// the alarm count without the people who left, a sparkline of weekly hours and the
// weeks as a table; filters by status and by text. Marked in text, never colour only.

import * as api from '../api.js';
import { errorBox, h, loading, setMain, srOnly } from '../dom.js';
import { hoursDownloads } from '../downloads.js';
import { hours, integer, language, monthName, t } from '../i18n.js';
import { FILTERS, monitoringCounts, NO_HOURS_WEEKS, participantStatuses, weeksWithData } from '../monitoring.js';
import { numberField, readNumberField, writeNumber } from '../number-field.js';
import { choosePartnership, partnershipSelect } from '../partnerships.js';
import { go, refresh } from '../router.js';
import { cached, state } from '../store.js';
import { sparkline } from '../sparkline.js';
import { addWeeks, monthOfWeek, weekText } from '../weeks.js';

/** How many of the latest weeks to show (the hours are fetched for these weeks only, a window at a time). */
const WEEKS_SHOWN = [4, 8, 13, 26, 52];
/** Weeks the sparkline covers, ending with the as-of week. */
const TREND_WEEKS = 13;
/** The threshold's bounds (the API's too). */
const MAX_THRESHOLD = 168;

/** `#/hours/partnership`: the controls at once, the monitoring when the API answers. */
export async function renderHours(partnershipId, current) {
  const chosen = await choosePartnership('hours', partnershipId, current);
  if (!chosen) return;
  const { partnership, partnerships } = chosen;
  const options = state.hours;
  const content = h('div', loading());
  setMain(
    h('section.hours-page', { 'aria-labelledby': 'hours-title' },
      h('h2', { id: 'hours-title' }, t('hoursTitle')),
      h('p.hint', t('monitoringIntro')),
      thresholdForm(partnerships, partnership, options),
      hoursDownloads(partnership.partnership),
      content,
    ),
  );
  const id = partnership.partnership;
  // The weeks to fetch: those shown and the trend's, up to the as-of week; none chosen yet: the API's default window (the last 13 weeks with reports).
  const windowOf = () => (options.asOfFor === id && options.asOf ? { from: addWeeks(options.asOf, -(Math.max(shownWeeks(options), TREND_WEEKS) - 1)), to: options.asOf } : {});
  const load = (window) => cached(`/hours/${id}?threshold=${options.threshold}&from=${window.from ?? ''}&to=${window.to ?? ''}`, () => api.getHours(id, { threshold: options.threshold, ...window }));
  let data;
  try {
    data = await load(windowOf());
  } catch (error) {
    if (current() && error?.status !== 401) content.replaceChildren(errorBox(error, { retry: () => refresh() }));
    return;
  }
  if (!current()) return;
  const weeks = weeksWithData(data.weeks ?? []);
  if (!data.available || (!weeks.length && options.asOfFor !== id)) return content.replaceChildren(h('p.empty', { 'data-testid': 'hours-empty' }, t('hoursEmpty')));
  // The as-of week: the one chosen for this partnership, else the last with data.
  if (options.asOfFor !== id || !options.asOf) Object.assign(options, { asOf: weeks.at(-1), asOfFor: id });
  const results = h('div');
  // A view outside the weeks fetched fetches its window first; only the newest view is drawn.
  let views = 0;
  const draw = async () => {
    const view = ++views;
    const wanted = windowOf();
    if (wanted.from < data.from || wanted.to > data.to) {
      results.replaceChildren(loading());
      let fetched;
      try {
        fetched = await load(wanted);
      } catch (error) {
        if (current() && view === views && error?.status !== 401) results.replaceChildren(errorBox(error, { retry: draw }));
        return;
      }
      if (!current() || view !== views) return;
      data = fetched;
    }
    results.replaceChildren(...monitoringView(data, weeksWithData(data.weeks ?? []), options));
  };
  content.replaceChildren(viewControls(weeksOf(data.available), options, draw), results);
  draw();
}

/** Weeks shown: a choice from WEEKS_SHOWN (an older saved "all" is a year). */
const shownWeeks = (options) => (WEEKS_SHOWN.includes(options.weeks) ? options.weeks : WEEKS_SHOWN.at(-1));

/** Every week from `available.from` to `available.to`: the as-of week's choices. */
function weeksOf(available) {
  const weeks = [];
  for (let week = available.from; week <= available.to; week = addWeeks(week, 1)) weeks.push(week);
  return weeks;
}

/** Partnership and threshold (a Danish number; the API is asked with it). */
function thresholdForm(partnerships, partnership, options) {
  const threshold = numberField({ value: options.threshold, id: 'threshold', 'data-testid': 'threshold' });
  const form = h(
    'form.controls',
    {
      'data-testid': 'hours-controls',
      noValidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const value = readNumberField(threshold, { min: 0, max: MAX_THRESHOLD });
        if (value === undefined) return;
        options.threshold = value;
        refresh();
      },
    },
    h('label', h('span', t('partnership')), partnershipSelect(partnerships, partnership.partnership, (id) => go('hours', id), { 'data-testid': 'hours-partnership' })),
    h('div.field', h('label', { htmlFor: 'threshold' }, t('threshold')), threshold.input, threshold.error),
    h('button.secondary', { type: 'submit', 'data-testid': 'hours-update' }, t('update')),
  );
  threshold.input.addEventListener('change', () => form.requestSubmit());
  return form;
}

/** A labelled drop-down whose change sets `options[key]` and redraws. */
function select(id, label, choices, selected, onchange) {
  return h('label', { htmlFor: id }, h('span', t(label)),
    h('select', { id, 'data-testid': id, onchange: (e) => onchange(e.target.value) }, choices.map(([value, text]) => h('option', { value, selected: value === String(selected) }, text))),
  );
}

/** As-of week, weeks shown, status filter and search: they change the view, not the data. */
function viewControls(weeks, options, draw) {
  const search = h('input', {
    type: 'search', id: 'hours-search', 'data-testid': 'hours-search', value: options.search ?? '', autocomplete: 'off',
    oninput: (e) => { options.search = e.target.value; draw(); },
  });
  return h('div.controls.monitoring-controls', { 'data-testid': 'monitoring-controls' },
    select('as-of-week', 'monitoringAsOf', [...weeks].reverse().map((w) => [w, weekText(w, language())]), options.asOf, (value) => { options.asOf = value; draw(); }),
    select('weeks-shown', 'weeksShown', WEEKS_SHOWN.map((n) => [String(n), String(n)]), shownWeeks(options), (value) => { options.weeks = Number(value); draw(); }),
    select('status-filter', 'monitoringStatusFilter', Object.keys(FILTERS).map((key) => [key, t(`filter_${key}`)]), options.filter ?? 'all', (value) => { options.filter = value; draw(); }),
    h('label', { htmlFor: 'hours-search' }, h('span', t('monitoringSearch')), search),
  );
}

function monitoringView(data, weeks, options) {
  const threshold = data.threshold ?? options.threshold;
  const people = participantStatuses(data, options.asOf, threshold);
  const counts = monitoringCounts(people);
  const needle = (options.search ?? '').trim().toLowerCase();
  const shown = people.filter(FILTERS[options.filter ?? 'all'] ?? FILTERS.all).filter((p) => !needle || p.participant.toLowerCase().includes(needle));
  const upToAsOf = weeks.filter((w) => w <= options.asOf);
  const columns = upToAsOf.slice(-shownWeeks(options));
  const table = hoursTable(shown, columns, upToAsOf.slice(-TREND_WEEKS), data.weeks ?? [], threshold);
  return [
    h('p.summary', { 'data-testid': 'hours-summary', role: 'status' },
      t('monitoringSummary', { week: weekText(options.asOf, language()), alarms: counts.alarms, present: counts.present, exited: counts.exited, threshold: writeNumber(threshold), weeks: integer(NO_HOURS_WEEKS) })),
    shown.length ? h('div.table-scroll', table) : h('p.empty', { 'data-testid': 'hours-none-match' }, t('monitoringNoneMatch')),
    table.querySelector('.estimated') ? h('p.hint', t('estimatedNote')) : undefined,
  ].filter(Boolean);
}

/** The week column's heading: `Uge 07` over `2019`, titled with the week's month (spec 3). */
function weekHeading(week) {
  const month = monthOfWeek(week);
  return h('th.num.week', { scope: 'col', title: month ? monthName(month) : undefined }, h('span.wk', `${t('colWeek')} ${week.slice(6)}`), h('span.yr', week.slice(0, 4)));
}

/** A participant's status in words (with a mark that is not colour only). */
function statusBadge(p) {
  const text =
    p.status === 'exited' ? t('status_exited', { reason: t(`exit_${p.exitReason}`) })
      : p.status === 'noHours' ? t(p.atLeast ? 'status_noHoursAtLeast' : p.neverHours ? 'status_noHoursYet' : 'status_noHours', { weeks: p.weeksWithout })
        : p.status === 'waiting' ? t('status_noHoursYet', { weeks: p.weeksWithout })
          : t(`status_${p.status}`);
  const alarm = p.status === 'below' || p.status === 'noHours';
  return h('span.badge', { class: alarm ? 'badge-warn' : p.status === 'exited' ? 'badge-muted' : 'badge-ok', 'data-testid': 'participant-status' }, alarm ? h('span', { 'aria-hidden': 'true' }, '⚠ ') : undefined, text);
}

function hoursTable(people, weeks, trendWeeks, rows, threshold) {
  const byKey = new Map(rows.map((w) => [`${w.participant}|${w.week}`, w]));
  const cell = (p, week) => {
    const w = byKey.get(`${p.participant}|${week}`);
    if (!w) return h('td.num.none', h('span', { 'aria-hidden': 'true' }, '–'), srOnly(t('noData')));
    return h(
      'td.num',
      { class: w.activeHours < threshold ? 'low' : undefined, title: t('cellTitle', { participant: p.participant, week, active: hours(w.activeHours), paid: hours(w.paidHours ?? 0) }) },
      hours(w.activeHours),
      w.estimated ? h('span.estimated', h('span', { 'aria-hidden': 'true' }, '*'), srOnly(` (${t('estimatedMark')})`)) : undefined,
    );
  };
  const row = (p) =>
    h(
      'tr',
      { class: p.status === 'below' || p.status === 'noHours' ? 'below' : p.status === 'exited' ? 'exited' : undefined, 'data-participant': p.participant, 'data-status': p.status },
      h('th.sticky.mono', { scope: 'row' }, p.participant),
      h('td', statusBadge(p)),
      h('td.trend', sparkline(p.participant, trendWeeks.map((week) => [week, p.hours.get(week) ?? 0]), threshold)),
      weeks.map((week) => cell(p, week)),
    );
  return h(
    'table.data.hours-table',
    { 'data-testid': 'hours-table', 'data-threshold': String(threshold) },
    h('caption.sr-only', t('hoursTitle')),
    h('thead', h('tr', h('th.sticky', { scope: 'col' }, t('colParticipant')), h('th', { scope: 'col' }, t('colStatus')), h('th', { scope: 'col' }, t('colTrend')), weeks.map(weekHeading))),
    h('tbody', people.map(row)),
  );
}
