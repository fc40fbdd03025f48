import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTimesheet } from '../../shared/timesheets/read-timesheet.ts';
import { bodyOf, pseudonymise } from '../fixtures/timesheets/helpers.ts';

/*
 * portal/strings-validation.js words the ingest's reason codes in Danish: every
 * code the domain can send has a sentence, and what reaches the page is Danish,
 * never the English reason or a reader's internal message.
 */
type Coded = { line?: number; problems: { code: string }[] };
const { reasonText, reasonTexts, WORDED_CODES } = (await import(new URL('../../portal/strings-validation.js', import.meta.url).href)) as {
  reasonText(coded: Coded | undefined, english: string | undefined, language?: string): string;
  reasonTexts(report: { reasons?: string[]; reasonCodes?: Coded[] }, language?: string): string[];
  WORDED_CODES: string[];
};

/** Every code the domain declares (the Problem and VersionProblem unions), read from their source. */
const declaredCodes = ['shared/timesheets/problems.ts', 'shared/ingest/ports.ts'].flatMap((file) =>
  [...readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').matchAll(/code: ((?:'[a-z-]+'(?: \| )?)+)/g)].flatMap((m) => [...m[1]!.matchAll(/'([a-z-]+)'/g)].map((c) => c[1]!)),
);

describe('reason codes in Danish', () => {
  it('has a Danish sentence for every code the domain declares', () => {
    expect(declaredCodes.length).toBeGreaterThan(20);
    expect(declaredCodes.filter((code) => !WORDED_CODES.includes(code))).toEqual([]);
  });

  it('words a rejected row with its line, every problem of it, and no value', async () => {
    const csv = 'deltager;dato;timer;aktivitet\nP1;2024-01-15;7;praktik\nP1;2024-02-01;syv;ferie\n';
    const result = await readTimesheet({ name: 'r.csv', body: bodyOf(csv), month: '2024-01' }, { pseudonymise });
    if (!result.ok) throw new Error(result.reason);
    const [rejected] = result.rejected;
    const text = reasonText({ line: rejected!.line, problems: rejected!.problems }, `line 3: ${rejected!.reason}`);
    expect(text).toBe(
      'Linje 3: Datoen 01.02.2024 i kolonnen »dato« ligger uden for indberetningens måned (januar 2024); kolonnen »timer« indeholder ikke et antal timer (skriv fx 7,5); ' +
        'aktiviteten i kolonnen »aktivitet« kendes ikke (brug opkvalificering, praktik, ordinær, fleksjob, løntilskud, uddannelse eller fravær).',
    );
    expect(text).not.toMatch(/syv|ferie/);
  });

  it('a broken workbook is "not a readable Excel workbook", not the reader’s English', async () => {
    const result = await readTimesheet({ name: 'r.xlsx', body: bodyOf('PK\u0003\u0004 not really a zip'), month: '2024-01' }, { pseudonymise });
    if (result.ok) throw new Error('expected a rejection');
    const text = reasonText({ problems: [result.problem] }, result.reason);
    expect(text).toMatch(/^Filen er ikke en læsbar Excel-projektmappe \(\.xlsx\)/);
    expect(text).not.toMatch(/zip|workbook|XLSX workbook/);
  });

  it('an unknown code, or a reason stored before codes, gets a general Danish sentence; English keeps the API’s text', () => {
    expect(reasonText({ line: 4, problems: [{ code: 'something-new' }] }, 'line 4: something new')).toBe('Linje 4: Afvist af en årsag, portalen ikke kan beskrive på dansk.');
    expect(reasonTexts({ reasons: ['line 7: column "x" is empty'] })).toEqual(['Linje 7: Afvist; årsagen er gemt før portalen kunne vise den på dansk.']);
    expect(reasonTexts({ reasons: ['line 7: column "x" is empty'], reasonCodes: [{ line: 7, problems: [{ code: 'column-empty', column: 'x' } as { code: string }] }] }, 'en')).toEqual(['line 7: column "x" is empty']);
  });
});
