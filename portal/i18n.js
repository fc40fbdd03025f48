// Every UI string, in Danish (the default) and English, and the number/date formats.
// A string is either text with {placeholders} or a function of its parameters.

const STRINGS = {
  da: {
    appTitle: 'Resultatbaseret betaling – vækstpartnerskaber',
    appSubtitle: 'Simulerede betalingsopgørelser og ugentlige aktive timer',
    switchLanguage: 'English',
    skipToContent: 'Spring til indhold',
    mainMenu: 'Hovedmenu',
    reportsOnlyRejected: 'Vis kun indberetninger med afviste rækker eller afvist helt',
    switchLanguageLabel: 'Skift sprog til engelsk',
    signOut: 'Log ud',
    signedInAs: 'Logget ind som {who}',
    holder: 'Projektholder',
    municipalityOf: '{name} Kommune',
    loading: 'Henter …',
    retry: 'Prøv igen',
    // sign-in
    signInTitle: 'Log ind',
    signInIntro: 'Lokal udviklingsstak: vælg en rolle for at få et udviklings-token.',
    roleHolder: 'Projektholder',
    roleHolderHint: 'Uploader tidsregistreringer og følger deltagernes ugentlige aktive timer.',
    roleMunicipality: 'Kommune',
    roleMunicipalityHint: 'Ser partnerskabernes simulerede betalingsopgørelser.',
    municipalityName: 'Kommunens navn',
    signInAction: 'Log ind',
    signInCognito: 'Log ind med din organisations konto',
    signInCognitoIntro: 'Du sendes videre til login-siden og tilbage hertil.',
    sessionExpired: 'Din session er udløbet eller ugyldig. Log ind igen.',
    configError: 'Portalens konfiguration (config.json) kunne ikke hentes.',
    // navigation
    navStatements: 'Betalingsopgørelser',
    navHours: 'Ugentlige timer',
    navUpload: 'Upload tidsregistrering',
    // partnerships
    partnerships: 'Partnerskaber',
    noPartnerships: 'Der er ingen partnerskaber, du har adgang til.',
    noStatements: 'Der er endnu ingen opgørelser for dette partnerskab.',
    statementMonthsCount: (p) => (p.n === 1 ? '1 opgørelse' : `${integer(p.n)} opgørelser`),
    choosePartnership: 'Vælg et partnerskab for at se dets opgørelser.',
    partnership: 'Partnerskab',
    // statement
    statementMonth: 'Opgørelse pr.',
    statementFor: 'Opgørelse for {name}',
    asOfLine: 'Opgjort til og med {month} · {participants} deltagere',
    downloadCsv: 'Hent som CSV',
    downloading: 'Henter CSV …',
    figuresTitle: 'Nøgletal',
    cumulative: 'Akkumuleret',
    thisMonth: 'Måneden',
    fig_outcomePayments: 'Resultatbetalinger',
    fig_grossBenefitSavings: 'Sparet kontanthjælp (brutto)',
    fig_municipalSavings: 'Kommunale besparelser',
    fig_attributableSavings: 'Besparelser henført til indsatsen',
    fig_net: 'Netto',
    figHint_outcomePayments: 'Betalt for opnåede resultater (efter loft).',
    figHint_grossBenefitSavings: 'Nedsat kontanthjælp i alt, før refusion.',
    figHint_municipalSavings: 'Kommunens egen andel efter refusion, minus tilskud.',
    figHint_attributableSavings: 'Kommunale besparelser minus dødvægt.',
    figHint_net: 'Henførte besparelser minus resultatbetalinger og programgebyr.',
    figHint_netMonth: 'Månedens bidrag (uden programgebyr).',
    probabilityTitle: 'Betaler initiativet sig selv?',
    probabilityText: (p) => `Sandsynlighed for at nettoresultatet ved kontraktens udløb (${p.until}) er 0 kr. eller derover`,
    probabilityRuns: (p) => `Beregnet ud fra ${integer(p.runs)} simuleringer (frø ${p.seed}).`,
    noProjection: 'Opgørelsen har ingen fremskrivning.',
    projectionTitle: 'Fremskrivning til kontraktens udløb',
    p10: 'P10',
    p50: 'P50 (median)',
    p90: 'P90',
    chartTitle: 'Resultatbetalinger og kommunale besparelser, akkumuleret',
    chartDesc: (p) =>
      `Linjediagram over ${p.months} måneder fra ${p.from} til ${p.to}. Akkumulerede resultatbetalinger og kommunale besparelser ved hver månedsafslutning til og med ${p.asOf}` +
      (p.band ? `, derefter fremskrivningens interval P10–P90 frem til ${p.until}.` : '.'),
    chartLegendPayments: 'Resultatbetalinger (akkumuleret)',
    chartLegendSavings: 'Kommunale besparelser (akkumuleret)',
    chartLegendBand: 'Fremskrivning P10–P90 (stiplet: P50)',
    chartLegendRange: 'Fremskrivning ved udløb: P10–P90, prik = P50',
    chartAsOf: 'Opgjort',
    chartTableToggle: 'Vis tallene i diagrammet som tabel',
    chartTableMonth: 'Måned',
    chartTableProjected: 'fremskrevet',
    outcomesTitle: 'Opnåede resultater',
    outcomesIntro: 'Alle resultater til og med opgørelsesmåneden, i afregningsrækkefølge. Månedens resultater er markeret.',
    outcomesEmpty: 'Ingen resultater opnået endnu.',
    colParticipant: 'Deltager',
    colOutcome: 'Resultat',
    colWeek: 'Uge',
    colAmount: 'Beløb',
    colThisMonth: 'Denne måned',
    thisMonthMark: 'denne måned',
    outcomesTotal: 'I alt',
    warningsTitle: 'Indberetninger med afviste rækker',
    warningRejectedWhole: (p) => `${p.source}, ${p.month}: hele indberetningen blev afvist og tæller ikke med.`,
    warningRejectedRows: (p) => `${p.source}, ${p.month}: ${p.n === 1 ? '1 række blev afvist' : `${integer(p.n)} rækker blev afvist`} og tæller ikke med.`,
    warningsHint: 'Projektholderen kan se årsagerne og uploade en rettet fil.',
    noWarnings: 'Alle indberetninger til denne opgørelse blev godkendt uden afviste rækker.',
    // what-if
    scenarioTitle: 'Hvad nu hvis? (scenarie)',
    scenarioIntro: 'Ændr kontraktens eller ydelsens parametre og beregn opgørelsen og fremskrivningen igen. Tomme felter bruger kontraktens værdier.',
    scenarioWeeklyRate: 'Kontanthjælp pr. uge (kr.)',
    scenarioDeadweight: 'Dødvægt (0–1)',
    scenarioProgrammeFee: 'Programgebyr (kr.)',
    scenarioCap: 'Loft for betalinger (kr.)',
    scenarioRun: 'Beregn scenarie',
    scenarioRunning: 'Beregner …',
    scenarioShowing: 'Viser scenarie: {changes}',
    scenarioReset: 'Tilbage til den rigtige opgørelse',
    scenarioNothing: 'Udfyld mindst ét felt.',
    // hours
    hoursTitle: 'Ugentlige aktive timer',
    hoursIntro: 'Aktive timer (alle aktiviteter undtagen fravær) pr. deltager og uge. Deltagere under grænsen i hver af deres seneste 2 uger med data er markeret.',
    threshold: 'Grænse (aktive timer pr. uge)',
    weeksShown: 'Viste uger',
    weeksAll: 'alle',
    onlyBelow: 'Vis kun deltagere under grænsen',
    update: 'Opdater',
    hoursSummary: (p) =>
      `${p.below} af ${p.total} deltagere har haft færre end ${p.threshold} aktive timer i hver af deres seneste 2 uger med data.`,
    hoursEmpty: 'Der er ingen timer registreret for dette partnerskab endnu.',
    belowMarker: 'Under grænsen',
    okMarker: 'OK',
    colStatus: 'Status',
    colLastWeeks: 'Seneste 2 uger med data',
    reportsShowAll: 'Vis alle {total} (viser de nyeste {shown})',
    estimatedMark: 'skønnet',
    estimatedNote: '* skønnet: ugen er fordelt ud fra en månedstotal.',
    noData: 'ingen data',
    cellTitle: (p) => `${p.participant}, uge ${p.week}: ${p.active} aktive timer, heraf ${p.paid} lønnede`,
    // upload
    uploadTitle: 'Upload en månedlig tidsregistrering',
    uploadIntro: 'CSV (UTF-8, komma eller semikolon) eller XLSX med kolonnerne deltager, dato, timer og aktivitet. En ny fil for samme partnerskab, måned og kilde erstatter den tidligere.',
    uploadMonth: 'Måned',
    uploadMonthHint: 'ÅÅÅÅ-MM',
    uploadSource: 'Kilde (aktør eller virksomhed)',
    uploadFile: 'Fil',
    uploadSubmit: 'Upload og valider',
    uploadNeedsFile: 'Vælg en fil.',
    uploadBadFormat: 'Filen skal være .csv eller .xlsx.',
    uploadBadMonth: 'Måneden skal skrives ÅÅÅÅ-MM.',
    uploadNeedsSource: 'Angiv kilden.',
    uploadStepRequest: 'Forbereder upload …',
    uploadStepPut: 'Sender filen …',
    uploadStepWait: 'Filen er modtaget. Venter på valideringen …',
    uploadTimeout: 'Valideringen er ikke færdig endnu. Se listen over indberetninger om lidt.',
    uploadPutFailed: 'Filen kunne ikke sendes (HTTP {status}).',
    resultAccepted: 'Godkendt: alle {rows} rækker blev indlæst.',
    resultPartly: (p) => `Delvist godkendt: ${integer(p.accepted)} af ${integer(p.rows)} rækker blev indlæst, ${p.rejected === 1 ? '1 række blev afvist' : `${integer(p.rejected)} rækker blev afvist`}.`,
    resultAllRowsRejected: (p) => (p.rows === 1 ? 'Afvist: filens eneste række blev afvist.' : `Afvist: alle ${integer(p.rows)} rækker blev afvist, og intet er indlæst.`),
    resultRejected: 'Afvist: hele filen blev afvist, og intet af den er gemt.',
    resultSuperseded: 'Erstattet: en nyere version af samme indberetning blev behandlet først.',
    resultFailed: 'Kunne ikke behandles, heller ikke efter flere forsøg: upload filen igen.',
    resultReasons: 'Årsager',
    resultMoreReasons: 'Viser de første {shown} af {total} årsager.',
    resultFile: '{file} → {key}',
    reportsTitle: 'Indberetninger',
    reportsEmpty: 'Ingen indberetninger endnu.',
    colMonth: 'Måned',
    colSource: 'Kilde',
    colResult: 'Resultat',
    colRows: 'Rækker',
    colAccepted: 'Godkendt',
    colRejected: 'Afvist',
    colProcessed: 'Behandlet',
    colReasons: 'Årsager',
    outcome_accepted: 'godkendt',
    outcome_rejected: 'afvist',
    outcome_superseded: 'erstattet',
    outcome_failed: 'mislykket',
    current: 'gældende',
    notCurrent: 'tidligere version',
    showReasons: (p) => (p.n === 1 ? 'Vis 1 årsag' : `Vis ${integer(p.n)} årsager`),
    // errors
    errorTitle: 'Noget gik galt',
    errorNetwork: 'Serveren kunne ikke nås. Tjek forbindelsen og prøv igen.',
    errorStatus: 'Serveren svarede med HTTP {status}.',
    forbidden: 'Kun projektholderen har adgang til denne side.',
  },
  en: {
    appTitle: 'Payment by results – growth partnerships',
    appSubtitle: 'Simulated payment statements and weekly active hours',
    switchLanguage: 'Dansk',
    skipToContent: 'Skip to content',
    mainMenu: 'Main menu',
    reportsOnlyRejected: 'Show only reports with rejected rows or rejected whole',
    switchLanguageLabel: 'Switch language to Danish',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {who}',
    holder: 'Project holder',
    municipalityOf: '{name} Municipality',
    loading: 'Loading …',
    retry: 'Try again',
    signInTitle: 'Sign in',
    signInIntro: 'Local development stack: choose a role to get a development token.',
    roleHolder: 'Project holder',
    roleHolderHint: 'Uploads timesheets and monitors participants’ weekly active hours.',
    roleMunicipality: 'Municipality',
    roleMunicipalityHint: 'Views the partnerships’ simulated payment statements.',
    municipalityName: 'Municipality name',
    signInAction: 'Sign in',
    signInCognito: 'Sign in with your organisation account',
    signInCognitoIntro: 'You will be sent to the sign-in page and back here.',
    sessionExpired: 'Your session has expired or is invalid. Please sign in again.',
    configError: 'The portal configuration (config.json) could not be loaded.',
    navStatements: 'Payment statements',
    navHours: 'Weekly hours',
    navUpload: 'Upload timesheet',
    partnerships: 'Partnerships',
    noPartnerships: 'There are no partnerships you have access to.',
    noStatements: 'There are no statements for this partnership yet.',
    statementMonthsCount: (p) => (p.n === 1 ? '1 statement' : `${integer(p.n)} statements`),
    choosePartnership: 'Choose a partnership to see its statements.',
    partnership: 'Partnership',
    statementMonth: 'Statement as of',
    statementFor: 'Statement for {name}',
    asOfLine: 'Up to and including {month} · {participants} participants',
    downloadCsv: 'Download CSV',
    downloading: 'Downloading CSV …',
    figuresTitle: 'Key figures',
    cumulative: 'Cumulative',
    thisMonth: 'This month',
    fig_outcomePayments: 'Outcome payments',
    fig_grossBenefitSavings: 'Benefit saved (gross)',
    fig_municipalSavings: 'Municipal savings',
    fig_attributableSavings: 'Savings attributable to the programme',
    fig_net: 'Net',
    figHint_outcomePayments: 'Paid for outcomes achieved (after caps).',
    figHint_grossBenefitSavings: 'Total cash benefit reduction, before state refunds.',
    figHint_municipalSavings: 'The municipality’s own share after refunds, less subsidies.',
    figHint_attributableSavings: 'Municipal savings less deadweight.',
    figHint_net: 'Attributable savings less outcome payments and the programme fee.',
    figHint_netMonth: 'This month’s contribution (without the programme fee).',
    probabilityTitle: 'Does the programme pay for itself?',
    probabilityText: (p) => `Probability that net at the contract’s end (${p.until}) is DKK 0 or more`,
    probabilityRuns: (p) => `Based on ${integer(p.runs)} simulation runs (seed ${p.seed}).`,
    noProjection: 'This statement has no projection.',
    projectionTitle: 'Projection to the contract’s end',
    p10: 'P10',
    p50: 'P50 (median)',
    p90: 'P90',
    chartTitle: 'Outcome payments and municipal savings, cumulative',
    chartDesc: (p) =>
      `Line chart over ${p.months} months from ${p.from} to ${p.to}. Cumulative outcome payments and municipal savings at each month end up to ${p.asOf}` +
      (p.band ? `, then the projection’s P10–P90 range up to ${p.until}.` : '.'),
    chartLegendPayments: 'Outcome payments (cumulative)',
    chartLegendSavings: 'Municipal savings (cumulative)',
    chartLegendBand: 'Projection P10–P90 (dashed: P50)',
    chartLegendRange: 'Projection at the end: P10–P90, dot = P50',
    chartAsOf: 'As of',
    chartTableToggle: 'Show the chart’s figures as a table',
    chartTableMonth: 'Month',
    chartTableProjected: 'projected',
    outcomesTitle: 'Outcomes achieved',
    outcomesIntro: 'Every outcome up to the statement month, in settlement order. This month’s outcomes are marked.',
    outcomesEmpty: 'No outcomes achieved yet.',
    colParticipant: 'Participant',
    colOutcome: 'Outcome',
    colWeek: 'Week',
    colAmount: 'Amount',
    colThisMonth: 'This month',
    thisMonthMark: 'this month',
    outcomesTotal: 'Total',
    warningsTitle: 'Reports with rejected rows',
    warningRejectedWhole: (p) => `${p.source}, ${p.month}: the whole report was rejected and is not counted.`,
    warningRejectedRows: (p) => `${p.source}, ${p.month}: ${p.n === 1 ? '1 row was rejected' : `${integer(p.n)} rows were rejected`} and not counted.`,
    warningsHint: 'The project holder can see the reasons and upload a corrected file.',
    noWarnings: 'Every report behind this statement was accepted without rejected rows.',
    scenarioTitle: 'What if? (scenario)',
    scenarioIntro: 'Change contract or benefit parameters and recalculate the statement and projection. Empty fields keep the contract’s values.',
    scenarioWeeklyRate: 'Weekly cash benefit (DKK)',
    scenarioDeadweight: 'Deadweight (0–1)',
    scenarioProgrammeFee: 'Programme fee (DKK)',
    scenarioCap: 'Payment cap (DKK)',
    scenarioRun: 'Run scenario',
    scenarioRunning: 'Calculating …',
    scenarioShowing: 'Showing scenario: {changes}',
    scenarioReset: 'Back to the real statement',
    scenarioNothing: 'Fill in at least one field.',
    hoursTitle: 'Weekly active hours',
    hoursIntro: 'Active hours (every activity but absence) per participant and week. Participants under the threshold in each of their last 2 weeks with data are marked.',
    threshold: 'Threshold (active hours a week)',
    weeksShown: 'Weeks shown',
    weeksAll: 'all',
    onlyBelow: 'Show only participants under the threshold',
    update: 'Update',
    hoursSummary: (p) => `${p.below} of ${p.total} participants had fewer than ${p.threshold} active hours in each of their last 2 weeks with data.`,
    hoursEmpty: 'No hours have been recorded for this partnership yet.',
    belowMarker: 'Under threshold',
    okMarker: 'OK',
    colStatus: 'Status',
    colLastWeeks: 'Last 2 weeks with data',
    reportsShowAll: 'Show all {total} (showing the newest {shown})',
    estimatedMark: 'estimated',
    estimatedNote: '* estimated: the week is spread from a monthly total.',
    noData: 'no data',
    cellTitle: (p) => `${p.participant}, week ${p.week}: ${p.active} active hours, of which ${p.paid} paid`,
    uploadTitle: 'Upload a monthly timesheet',
    uploadIntro: 'CSV (UTF-8, comma or semicolon) or XLSX with the columns participant, date, hours and activity. A new file for the same partnership, month and source replaces the earlier one.',
    uploadMonth: 'Month',
    uploadMonthHint: 'YYYY-MM',
    uploadSource: 'Source (actor or company)',
    uploadFile: 'File',
    uploadSubmit: 'Upload and validate',
    uploadNeedsFile: 'Choose a file.',
    uploadBadFormat: 'The file must be .csv or .xlsx.',
    uploadBadMonth: 'Write the month as YYYY-MM.',
    uploadNeedsSource: 'Enter the source.',
    uploadStepRequest: 'Preparing the upload …',
    uploadStepPut: 'Sending the file …',
    uploadStepWait: 'File received. Waiting for the validation …',
    uploadTimeout: 'The validation has not finished yet. Check the list of reports in a moment.',
    uploadPutFailed: 'The file could not be sent (HTTP {status}).',
    resultAccepted: 'Accepted: all {rows} rows were read.',
    resultPartly: (p) => `Partly accepted: ${integer(p.accepted)} of ${integer(p.rows)} rows were read, ${p.rejected === 1 ? '1 row was rejected' : `${integer(p.rejected)} rows were rejected`}.`,
    resultAllRowsRejected: (p) => (p.rows === 1 ? 'Rejected: the file’s only row was rejected.' : `Rejected: all ${integer(p.rows)} rows were rejected; nothing was read.`),
    resultRejected: 'Rejected: the whole file was rejected and nothing of it is stored.',
    resultSuperseded: 'Superseded: a newer version of the same report was processed first.',
    resultFailed: 'Could not be processed, even after retries: upload the file again.',
    resultReasons: 'Reasons',
    resultMoreReasons: 'Showing the first {shown} of {total} reasons.',
    resultFile: '{file} → {key}',
    reportsTitle: 'Reports',
    reportsEmpty: 'No reports yet.',
    colMonth: 'Month',
    colSource: 'Source',
    colResult: 'Result',
    colRows: 'Rows',
    colAccepted: 'Accepted',
    colRejected: 'Rejected',
    colProcessed: 'Processed',
    colReasons: 'Reasons',
    outcome_accepted: 'accepted',
    outcome_rejected: 'rejected',
    outcome_superseded: 'superseded',
    outcome_failed: 'failed',
    current: 'current',
    notCurrent: 'earlier version',
    showReasons: (p) => (p.n === 1 ? 'Show 1 reason' : `Show ${integer(p.n)} reasons`),
    errorTitle: 'Something went wrong',
    errorNetwork: 'The server could not be reached. Check the connection and try again.',
    errorStatus: 'The server answered HTTP {status}.',
    forbidden: 'Only the project holder has access to this page.',
  },
};

export const LANGUAGES = /** @type {const} */ (['da', 'en']);
const LOCALES = { da: 'da-DK', en: 'en-GB' };
const STORAGE_KEY = 'pbr.lang';

let current = (() => {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'da' || saved === 'en') return saved;
  } catch {
    /* storage unavailable: Danish */
  }
  return 'da';
})();

export const language = () => current;
export const locale = () => LOCALES[current];

export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'da';
  document.documentElement.lang = current;
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    /* ignore */
  }
}

/** The UI string `key`, with `{name}` placeholders filled from params. */
export function t(key, params = {}) {
  const entry = STRINGS[current][key] ?? STRINGS.da[key];
  if (entry === undefined) return key;
  if (typeof entry === 'function') return entry(params);
  return entry.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

const cache = new Map();
function numberFormat(options) {
  const id = `${current}|${JSON.stringify(options)}`;
  if (!cache.has(id)) cache.set(id, new Intl.NumberFormat(LOCALES[current], options));
  return cache.get(id);
}

/** DKK to the øre: `12.345,50 kr.` in Danish, `DKK 12,345.50` in English. */
export function kroner(amount, { decimals = 2 } = {}) {
  const text = numberFormat({ minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(amount);
  return current === 'da' ? `${text} kr.` : `DKK ${text}`;
}

/** A number of hours, at most two decimals (`7,5`). */
export const hours = (value) => numberFormat({ maximumFractionDigits: 2 }).format(value);
export const integer = (value) => numberFormat({ maximumFractionDigits: 0 }).format(value);
export const percent = (value) => numberFormat({ style: 'percent', maximumFractionDigits: 0 }).format(value);

/** `2019-02` → `februar 2019` (or `feb. 2019` when short). */
export function monthName(month, { short = false } = {}) {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  const options = short ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(LOCALES[current], options).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function dateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The month (`YYYY-MM`) an ISO week (`YYYY-Www`) belongs to: the one that holds its Thursday (spec 3). */
export function monthOfWeek(week) {
  const match = /^(\d{4})-W(\d{2})$/.exec(week ?? '');
  if (!match) return undefined;
  const year = Number(match[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(jan4 - jan4Weekday * 86_400_000 + 3 * 86_400_000 + (Number(match[2]) - 1) * 7 * 86_400_000);
  return thursday.toISOString().slice(0, 7);
}
