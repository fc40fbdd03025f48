// The contract on the statement page (spec 4): what the partnership agreed to, in
// the reader's words: fee and when it falls due, each outcome by its label with its
// price and rule, the caps, deadweight as a percentage, the benefit and refusion steps.

import { h } from '../dom.js';
import { kroner, language, monthName, percent, t } from '../i18n.js';

/** `2019-02-04` → `4.2.2019` (Danish) or `4 Feb 2019`. */
export function dateText(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const options = language() === 'da' ? { day: 'numeric', month: 'numeric', year: 'numeric' } : { day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(language() === 'da' ? 'da-DK' : 'en-GB', { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The fee's instalments: the schedule, or the whole fee in the start month (spec 4). */
const instalments = (contract) => contract.feeSchedule ?? [{ month: contract.start.slice(0, 7), amount: contract.programmeFee }];

/**
 * The programme fee due in the months up to and including `month` (spec 4, as
 * shared/simulation/contract-calendar.ts `feesDueThrough`), for the chart's projected costs.
 */
export function feesDueOf(contract) {
  const schedule = instalments(contract);
  return (month) => schedule.reduce((due, fee) => (fee.month <= month ? due + fee.amount : due), 0);
}

/** An outcome's rule in words (strings `rule_<rule>`), naming the outcome it follows by its label. */
function ruleText(outcome, contract) {
  const after = contract.outcomes.find((o) => o.id === outcome.after);
  return t(`rule_${outcome.rule}`, { ...outcome, afterLabel: after ? (after.label ?? after.id) : outcome.after });
}

/** A definition list of label → value pairs, each marked for tests by its key. */
const pairs = (entries) => h('dl.contract-terms', entries.map(([key, label, value, hint]) => h('div', { 'data-testid': `contract-${key}` }, h('dt', label), h('dd', value), hint ? h('dd.hint', hint) : undefined)));

/** A scrolling table region (keyboard-reachable) with a caption. */
function table(id, caption, head, rows, testId) {
  return h('div.table-scroll', { tabindex: '0', role: 'region', 'aria-labelledby': id },
    h('table.data', { 'data-testid': testId },
      h('caption', { id }, caption),
      h('thead', h('tr', head.map(([text, num]) => h(num ? 'th.num' : 'th', { scope: 'col' }, text)))),
      h('tbody', rows),
    ));
}

/** The refusion steps as week spans: `uge 1–4 på ydelse: 80 % refusion`. */
function refusionRows(steps) {
  return steps.map((step, i) => h('tr', h('th', { scope: 'row' }, t('refusionStep', { from: step.fromWeek, to: steps[i + 1] ? steps[i + 1].fromWeek - 1 : undefined })), h('td.num', t('refusionRate', { rate: step.rate }))));
}

/** The contract panel; `answer` is the API's `{ contract, version }`, or an error to say it could not be loaded. */
export function contractSection(answer) {
  const title = h('h3', { id: 'contract-title' }, t('contractTitle'));
  if (!answer?.contract) return h('section.contract', { 'aria-labelledby': 'contract-title', 'data-testid': 'contract' }, title, h('p.hint', t('contractMissing')));
  const { contract, version } = answer;
  const benefit = contract.benefit;
  const costs = Object.entries(benefit.municipalCostPerHour ?? {});
  return h(
    'section.contract',
    { 'aria-labelledby': 'contract-title', 'data-testid': 'contract' },
    title,
    pairs([
      ['period', t('contractPeriod'), `${dateText(contract.start)} – ${dateText(contract.end)}`],
      ['fee', t('contractFee'), kroner(contract.programmeFee)],
      ['fee-schedule', t('contractFeeSchedule'), contract.feeSchedule
        ? h('ul.plain', contract.feeSchedule.map((fee) => h('li', `${monthName(fee.month)}: ${kroner(fee.amount)}`)))
        : t('contractFeeAtStart', { month: monthName(contract.start.slice(0, 7)) })],
      ['cap', t('contractCap'), kroner(contract.cap)],
      ['max-per-participant', t('contractMaxPerParticipant'), kroner(contract.maxPerParticipant)],
      ['deadweight', t('contractDeadweight'), percent(contract.deadweight), t('contractDeadweightHint')],
    ]),
    table('contract-outcomes-caption', t('contractOutcomes'), [[t('colOutcome')], [t('colPrice'), true], [t('colRule')]],
      contract.outcomes.map((o) => h('tr', { 'data-outcome': o.id }, h('th', { scope: 'row' }, o.label ?? ruleText(o, contract)), h('td.num', kroner(o.price)), h('td', ruleText(o, contract)))),
      'contract-outcomes'),
    h('h4', t('contractBenefit')),
    pairs([
      ['weekly-rate', t('benefitWeeklyRate'), kroner(benefit.weeklyRate)],
      ['hourly-wage', t('benefitHourlyWage'), kroner(benefit.hourlyWage)],
      ['disregard', t('benefitDisregard'), kroner(benefit.disregardPerHour)],
      ['education-hours', t('benefitEducationHours'), String(benefit.educationOffBenefitHours)],
      ['prior-weeks', t('benefitPriorWeeks'), String(benefit.priorWeeksOnBenefit)],
      ...(costs.length ? [['costs', t('benefitCosts'), h('ul.plain', costs.map(([activity, amount]) => h('li', `${t(`contractActivity_${activity}`)}: ${kroner(amount)}`)))]] : []),
    ]),
    table('contract-refusion-caption', t('refusionTitle'), [[t('colWeek')], [t('colRefusion'), true]], refusionRows(benefit.refusion), 'contract-refusion'),
    version ? h('p.hint', t('contractVersion', { version: version.versionId ?? version.sequencer })) : undefined,
  );
}
