// The statement page's strings (chart, contract, evidence, Grundlag, what-if side by
// side), Danish and English, in the shape of strings.js, which merges them in.

/**
 * Strings by language, then by key. `integer` and `percent` come from i18n.js
 * through strings.js (as for uiStrings), so the modules never import each other.
 */
export function statementStrings({ integer, percent }) {
  const daActivities = { training: 'opkvalificering', internship: 'praktik', ordinary: 'ordinært job', flexjob: 'fleksjob', wage_subsidy: 'løntilskud', education: 'uddannelse', absence: 'fravær' };
  const enActivities = { training: 'training', internship: 'internship', ordinary: 'ordinary work', flexjob: 'flexjob', wage_subsidy: 'wage subsidy', education: 'education', absence: 'absence' };
  /** `ordinært job eller fleksjob`. */
  const list = (names, or) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} ${or} ${names.at(-1)}` : names[0]);
  const daHours = (o) => `${o.minHours > 0 ? `mindst ${o.minHours} timer` : 'timer'} i ${list(o.activities.map((a) => daActivities[a] ?? a), 'eller')}`;
  const enHours = (o) => `${o.minHours > 0 ? `at least ${o.minHours} hours` : 'any hours'} of ${list(o.activities.map((a) => enActivities[a] ?? a), 'or')}`;
  return {
    da: {
      ...Object.fromEntries(Object.entries(daActivities).map(([key, name]) => [`contractActivity_${key}`, name])),
      colRefusion: 'Refusion',
      chartTitleNet: 'Betaler indsatsen sig? Besparelser mod betalinger og gebyr, akkumuleret',
      chartDescNet: (p) =>
        `Linjediagram over ${p.months} måneder fra ${p.from} til ${p.to}. Til og med ${p.asOf}: besparelser henført til indsatsen mod resultatbetalinger plus forfaldent programgebyr, akkumuleret; afstanden mellem linjerne er nettoresultatet, ${p.net} pr. ${p.asOf}.` +
        (p.band ? ` Derefter fremskrivningens interval P10–P90 for betalinger plus gebyr og for netto frem til ${p.until}.` : '') +
        (p.breakEven ? ` ${p.breakEven}.` : ' Nettoresultatet når ikke 0 kr. i diagrammet.'),
      legendSavings: 'Besparelser henført til indsatsen (efter dødvægt)',
      legendCosts: 'Resultatbetalinger + forfaldent programgebyr',
      legendNet: 'Netto = besparelser − betalinger − gebyr',
      legendCostsBand: 'Fremskrevet: betalinger + gebyr, P10–P90 (skraveret /), stiplet linje P50',
      legendNetBand: 'Fremskrevet: netto, P10–P90 (skraveret \\), stiplet linje P50',
      legendRange: (p) => `Fremskrevet ved udløb, ${p.what.toLowerCase()}: P10–P90, prik = P50`,
      legendNoSavingsBand: 'Fremskrivningen giver ikke besparelserne efter dødvægt for sig, kun nettoresultatet: de fremskrevne besparelser er netto plus betalinger og gebyr.',
      chartGap: (p) => `Netto ${p.amount}`,
      chartBreakEven: (p) => `Break-even ${p.month}`,
      chartBreakEvenExpected: (p) => `Forventet break-even (P50) ${p.month}`,
      chartRegion: 'Diagrammet (rul vandret på en smal skærm)',
      chartColCosts: 'Betalinger + gebyr',
      figHint_fees: 'Forfaldent efter kontraktens betalingsplan til og med måneden.',
      probabilityMeaning: (p) =>
        `Sandsynligheden er andelen af ${integer(p.runs)} simulerede forløb, hvor besparelserne henført til indsatsen ved kontraktens udløb (${p.until}) mindst dækker resultatbetalinger og programgebyr.`,
      // statement warnings (spec 8)
      warningNotOnRoster: (p) => `${p.participant}: står ikke på deltagerlisten; visitation antaget i ${p.week} (første uge med timer).`,
      warningHoursAfterExit: (p) => `${p.participant}: udmeldt i ${p.week}; timer derefter tæller ikke med (${p.weeks}).`,
      statementWarningsTitle: 'Advarsler i opgørelsen',
      // evidence
      colEvidence: 'Belæg (uger med timer)',
      evidenceSummary: (p) => `${p.weeks === 1 ? '1 uge' : `${integer(p.weeks)} uger`}, ${p.hours} timer`,
      evidenceHours: (p) => `${p.week}: ${p.hours} t`,
      evidenceNone: 'ikke registreret',
      // contract
      contractTitle: 'Kontrakten',
      contractMissing: 'Kontrakten kunne ikke hentes.',
      contractPeriod: 'Periode',
      contractFee: 'Programgebyr',
      contractFeeSchedule: 'Forfalder',
      contractFeeAtStart: (p) => `hele gebyret i ${p.month}`,
      contractCap: 'Loft for resultatbetalinger i alt',
      contractMaxPerParticipant: 'Loft pr. deltager',
      contractDeadweight: 'Dødvægt',
      contractDeadweightHint: 'Andelen af resultaterne, der var sket uden indsatsen; den trækkes fra besparelserne.',
      contractOutcomes: 'Resultater og priser',
      colPrice: 'Pris',
      colRule: 'Betingelse',
      rule_referral: () => 'Ved visitationen (tilknytning).',
      rule_first_week: (o) => `Første uge med ${daHours(o)}.`,
      rule_cumulative_weeks: (o) => `Når deltageren har haft ${o.weeks} uger med ${daHours(o)}.`,
      rule_periodic: (o) => `Efter «${o.afterLabel}»: for hver ${o.weeks}. uge med ${daHours(o)}, højst ${o.times} gange.`,
      contractBenefit: 'Ydelse og refusion',
      benefitWeeklyRate: 'Kontanthjælp pr. uge',
      benefitHourlyWage: 'Timeløn',
      benefitDisregard: 'Fribeløb pr. arbejdstime',
      benefitEducationHours: 'Uddannelsestimer pr. uge, der tager deltageren af ydelsen',
      benefitPriorWeeks: 'Uger på ydelse før visitation',
      benefitCosts: 'Kommunens udgift pr. time',
      refusionTitle: 'Refusionstrappe (statens andel af ydelsen)',
      refusionStep: (p) => (p.to ? `uge ${p.from}–${p.to} på ydelse` : `fra uge ${p.from} på ydelse`),
      refusionRate: (p) => `${percent(p.rate)} refusion`,
      contractVersion: (p) => `Kontraktversion ${p.version}`,
      // Grundlag
      basisTitle: 'Grundlag',
      basisComputedAt: (p) => `Beregnet ${p.at} af kodeversion ${p.code}.`,
      basisRuns: (p) => `Fremskrivning med ${integer(p.runs)} simuleringer, frø ${p.seed}.`,
      basisPriorLine: (p) =>
        p.source === 'pooled' ? `Prior: programmets erfaringer fra ${p.partnerships} partnerskaber (${integer(p.participantWeeks)} deltageruger).`
          : p.source === 'file' ? `Prior: en prior-fil (${integer(p.participantWeeks)} deltageruger).`
            : 'Prior: kildeprogrammets erfaringer (Region Sjælland).',
      basisContract: 'Kontrakt',
      basisRoster: 'Deltagerliste',
      basisNone: 'ingen',
      basisVersion: (p) => `${p.key}, version ${p.versionId ?? 'ukendt'} (sekvens ${p.sequencer})`,
      basisReports: (p) => `Indberetninger medregnet (${integer(p.n)})`,
      basisMissing: 'Grundlaget er ikke registreret: opgørelsen er beregnet, før grundlaget blev gemt.',
      colRowsAccepted: 'Rækker godkendt',
      colRowsRejected: 'Rækker afvist',
      colVersion: 'Version',
      // efterregulering
      adjustmentsTitle: (p) => `Efterregulering i forhold til opgørelsen pr. ${p.month}`,
      adjustmentsIntro: 'I alt = tidligere opgjort + efterregulering + måneden, på øren.',
      adjustmentsNone: 'Ingen ændrede resultatbetalinger i tidligere måneder.',
      colAdjustment: 'Efterregulering',
      colStated: 'Før',
      colCurrent: 'Nu',
      // what-if side by side
      colStatement: 'Opgørelse',
      scenarioProbabilityRow: 'Sandsynlighed for at betale sig selv',
      scenarioProjectionRow: (p) => `${p.figure}, ${p.q} ved udløb`,
      scenarioComparisonTitle: 'Scenarie og opgørelse side om side',
      differencePoints: (p) => `${p.points} procentpoint`,
    },
    en: {
      ...Object.fromEntries(Object.entries(enActivities).map(([key, name]) => [`contractActivity_${key}`, name])),
      colRefusion: 'Refusion',
      chartTitleNet: 'Does it pay? Savings against payments and fees, cumulative',
      chartDescNet: (p) =>
        `Line chart over ${p.months} months from ${p.from} to ${p.to}. Up to ${p.asOf}: savings attributable to the programme against outcome payments plus programme fee due, cumulative; the gap between the lines is the net, ${p.net} as of ${p.asOf}.` +
        (p.band ? ` Then the projection's P10–P90 range for payments plus fees and for the net until ${p.until}.` : '') +
        (p.breakEven ? ` ${p.breakEven}.` : ' The net does not reach DKK 0 in the chart.'),
      legendSavings: 'Savings attributable to the programme (after deadweight)',
      legendCosts: 'Outcome payments + programme fee due',
      legendNet: 'Net = savings − payments − fees',
      legendCostsBand: 'Projected: payments + fees, P10–P90 (hatched /), dashed line P50',
      legendNetBand: 'Projected: net, P10–P90 (hatched \\), dashed line P50',
      legendRange: (p) => `Projected at the end, ${p.what.toLowerCase()}: P10–P90, dot = P50`,
      legendNoSavingsBand: 'The projection does not give savings after deadweight on their own, only the net: projected savings are net plus payments and fees.',
      chartGap: (p) => `Net ${p.amount}`,
      chartBreakEven: (p) => `Break-even ${p.month}`,
      chartBreakEvenExpected: (p) => `Expected break-even (P50) ${p.month}`,
      chartRegion: 'The chart (scroll sideways on a narrow screen)',
      chartColCosts: 'Payments + fees',
      figHint_fees: 'Due under the contract’s fee schedule up to the month.',
      probabilityMeaning: (p) =>
        `The probability is the share of ${integer(p.runs)} simulated courses in which the savings attributable to the programme at the contract’s end (${p.until}) at least cover outcome payments and the programme fee.`,
      warningNotOnRoster: (p) => `${p.participant}: not on the roster; referral assumed in ${p.week} (first week with hours).`,
      warningHoursAfterExit: (p) => `${p.participant}: exited in ${p.week}; hours after that do not count (${p.weeks}).`,
      statementWarningsTitle: 'Warnings in the statement',
      colEvidence: 'Evidence (weeks with hours)',
      evidenceSummary: (p) => `${p.weeks === 1 ? '1 week' : `${integer(p.weeks)} weeks`}, ${p.hours} hours`,
      evidenceHours: (p) => `${p.week}: ${p.hours} h`,
      evidenceNone: 'not recorded',
      contractTitle: 'The contract',
      contractMissing: 'The contract could not be loaded.',
      contractPeriod: 'Period',
      contractFee: 'Programme fee',
      contractFeeSchedule: 'Due',
      contractFeeAtStart: (p) => `the whole fee in ${p.month}`,
      contractCap: 'Cap on outcome payments in total',
      contractMaxPerParticipant: 'Cap per participant',
      contractDeadweight: 'Deadweight',
      contractDeadweightHint: 'The share of outcomes that would have happened without the programme; it is taken off the savings.',
      contractOutcomes: 'Outcomes and prices',
      colPrice: 'Price',
      colRule: 'Condition',
      rule_referral: () => 'At referral (attachment).',
      rule_first_week: (o) => `The first week with ${enHours(o)}.`,
      rule_cumulative_weeks: (o) => `Once the participant has had ${o.weeks} weeks with ${enHours(o)}.`,
      rule_periodic: (o) => `After “${o.afterLabel}”: every ${o.weeks} further weeks with ${enHours(o)}, at most ${o.times} times.`,
      contractBenefit: 'Benefit and refusion',
      benefitWeeklyRate: 'Cash benefit per week',
      benefitHourlyWage: 'Hourly wage',
      benefitDisregard: 'Disregard per hour worked',
      benefitEducationHours: 'Education hours a week that take the participant off benefit',
      benefitPriorWeeks: 'Weeks on benefit before referral',
      benefitCosts: 'Municipal cost per hour',
      refusionTitle: 'Refusion steps (the state’s share of the benefit)',
      refusionStep: (p) => (p.to ? `weeks ${p.from}–${p.to} on benefit` : `from week ${p.from} on benefit`),
      refusionRate: (p) => `${percent(p.rate)} refusion`,
      contractVersion: (p) => `Contract version ${p.version}`,
      basisTitle: 'Basis',
      basisComputedAt: (p) => `Computed ${p.at} by code version ${p.code}.`,
      basisRuns: (p) => `Projection with ${integer(p.runs)} simulation runs, seed ${p.seed}.`,
      basisPriorLine: (p) =>
        p.source === 'pooled' ? `Prior: the programme’s experience from ${p.partnerships} partnerships (${integer(p.participantWeeks)} participant-weeks).`
          : p.source === 'file' ? `Prior: a prior file (${integer(p.participantWeeks)} participant-weeks).`
            : 'Prior: the source programme’s experience (Region Sjælland).',
      basisContract: 'Contract',
      basisRoster: 'Roster',
      basisNone: 'none',
      basisVersion: (p) => `${p.key}, version ${p.versionId ?? 'unknown'} (sequencer ${p.sequencer})`,
      basisReports: (p) => `Reports counted (${integer(p.n)})`,
      basisMissing: 'The basis is not recorded: the statement was computed before it was kept.',
      colRowsAccepted: 'Rows accepted',
      colRowsRejected: 'Rows rejected',
      colVersion: 'Version',
      adjustmentsTitle: (p) => `Adjustments against the statement as of ${p.month}`,
      adjustmentsIntro: 'Total = stated before + adjustments + the month, to the øre.',
      adjustmentsNone: 'No changed outcome payments in earlier months.',
      colAdjustment: 'Adjustment',
      colStated: 'Before',
      colCurrent: 'Now',
      colStatement: 'Statement',
      scenarioProbabilityRow: 'Probability of paying for itself',
      scenarioProjectionRow: (p) => `${p.figure}, ${p.q} at the end`,
      scenarioComparisonTitle: 'Scenario and statement side by side',
      differencePoints: (p) => `${p.points} percentage points`,
    },
  };
}
