// Why the ingest refused a row or a whole file, in Danish: the API sends each reason
// in English (for the CLI) and as codes with value-free facts (`reasonCodes`, see
// shared/timesheets/problems.ts and shared/ingest/ports.ts); this words the codes.
// A code it does not know gets a general Danish sentence, never the English text,
// and never a library's message. Pure: vitest checks every code has a sentence.

const DA_COLUMNS = { participant: 'deltager', date: 'dato', hours: 'timer', activity: 'aktivitet', organisation: 'organisation' };
const DA_MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** `2024-01-15` → `15.01.2024`; `2024-01` → `januar 2024`. */
const day = (text) => (/^\d{4}-\d{2}-\d{2}$/.test(text ?? '') ? text.split('-').reverse().join('.') : '');
const month = (text) => {
  const [y, m] = String(text ?? '').split('-').map(Number);
  return y && m ? `${DA_MONTHS[m - 1]} ${y}` : '';
};
const number = (value) => new Intl.NumberFormat('da-DK', { maximumFractionDigits: 2 }).format(value);
const column = (name) => `»${name}«`;
const listed = (names) => names.map(column).join(names.length > 2 ? ', ' : ' og ').replace(/, ([^,]*)$/, ' og $1');

/** One sentence (lower-case start, no full stop) per code; `p` holds the code's facts. */
const DANISH = {
  'column-empty': (p) => `kolonnen ${column(p.column)} er tom`,
  'participant-date': (p) => `kolonnen ${column(p.column)} indeholder en dato, ikke en deltager`,
  'participant-spreadsheet-error': (p) => `kolonnen ${column(p.column)} indeholder en regnearksfejl (fx #REF!), ikke en deltager`,
  'participant-refused': (p) => `deltageren i kolonnen ${column(p.column)} kan ikke gemmes: skriv CPR-nummeret alene eller et kort projekt-id (højst 64 tegn)`,
  'date-invalid': (p) => `kolonnen ${column(p.column)} indeholder ikke en dato (skriv ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ, DD.MM.ÅÅÅÅ eller DD/MM/ÅÅÅÅ)`,
  'date-out-of-range': (p) => `datoen i kolonnen ${column(p.column)} ligger ikke mellem 1970 og 2149`,
  'date-outside-month': (p) => `datoen ${day(p.day)} i kolonnen ${column(p.column)} ligger uden for indberetningens måned (${month(p.month)})`,
  'hours-invalid': (p) => `kolonnen ${column(p.column)} indeholder ikke et antal timer (skriv fx 7,5)`,
  'hours-out-of-range': (p) => `timerne i kolonnen ${column(p.column)} skal være over 0 og højst ${number(p.limit)} for en ${p.per === 'month' ? 'måned' : 'dag'}`,
  'activity-unknown': (p) =>
    `aktiviteten i kolonnen ${column(p.column)} kendes ikke (brug opkvalificering, praktik, ordinær, fleksjob, løntilskud, uddannelse eller fravær)`,
  'day-over-limit': (p) => `deltagerens rækker den ${day(p.day)} giver ${number(p.total)} timer, mere end ${number(p.limit)}; alle dagens rækker er afvist`,
  'month-over-limit': (p) => `deltagerens rækker for ${month(p.month)} giver ${number(p.total)} timer, mere end ${number(p.limit)}; alle månedens rækker er afvist`,
  'file-format': () => 'filen er hverken en .csv- eller en .xlsx-fil',
  'file-empty': () => 'filen er tom: den skal have en overskriftsrække',
  'header-missing-columns': (p) => `overskriftsrækken mangler ${p.columns?.length === 1 ? 'kolonnen' : 'kolonnerne'} ${listed((p.columns ?? []).map((c) => DA_COLUMNS[c] ?? c))}`,
  'header-duplicate-column': (p) => `kolonnerne ${listed(p.columns ?? [])} angiver begge ${DA_COLUMNS[p.column] ?? p.column}; behold én af dem`,
  'month-unknown': () => 'filen har ingen datokolonne, og indberetningens måned kendes ikke',
  'csv-encoding': () => 'filen er ikke tekst i UTF-8 eller Windows-1252: gem den som »CSV UTF-8« (Excel) eller som .xlsx',
  'csv-unclosed-quote': (p) => `et citationstegn, der åbner i linje ${p.line}, lukkes aldrig`,
  'csv-too-many-fields': (p) => `linje ${p.line} har flere felter, end en tidsregistrering kan have`,
  'xlsx-unreadable': () => 'filen er ikke en læsbar Excel-projektmappe (.xlsx): åbn den i Excel og gem den igen som .xlsx, eller send den som CSV',
  'xlsx-encrypted': () => 'projektmappen er beskyttet med adgangskode eller er en gammel .xls-fil: gem den som .xlsx uden adgangskode',
  'xlsx-too-large': () => 'projektmappen er for stor: send store indberetninger som CSV',
  'internal-error': () => 'filen kunne ikke læses på grund af en fejl i systemet; fejlen er logget, prøv igen senere',
  superseded: () => 'en nyere version af samme indberetning blev behandlet først',
  'processing-failed': () => 'filen kunne ikke behandles, heller ikke efter flere forsøg: upload den igen',
};

/** The codes worded above, so a test can hold them to shared/timesheets/problems.ts. */
export const WORDED_CODES = Object.keys(DANISH);

const capitalised = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * One reason for a person: in Danish from its codes (`{ line?, problems }`), with
 * a general sentence for a code not known here or a reason stored before codes; in
 * English the API's own English `reason`.
 */
export function reasonText(coded, english, language = 'da') {
  if (language === 'en') return english ?? '';
  const line = coded?.line ?? /^line (\d+):/.exec(english ?? '')?.[1];
  const sentences = coded?.problems?.length
    ? coded.problems.map((problem) => DANISH[problem?.code]?.(problem) ?? 'afvist af en årsag, portalen ikke kan beskrive på dansk')
    : ['afvist; årsagen er gemt før portalen kunne vise den på dansk'];
  const text = capitalised(sentences.join('; '));
  return line ? `Linje ${line}: ${text}.` : `${text}.`;
}

/** Every reason of a report version (`reasons` and `reasonCodes` of the reports route) for a person. */
export function reasonTexts(report, language = 'da') {
  const english = report.reasons ?? [];
  const codes = report.reasonCodes ?? [];
  return Array.from({ length: Math.max(english.length, codes.length) }, (_, i) => reasonText(codes[i], english[i], language));
}
