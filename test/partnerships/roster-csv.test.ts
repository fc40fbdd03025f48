import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRoster, RosterError } from '../../shared/partnerships/roster-csv.ts';
import { createPseudonymiser } from '../../shared/cpr-numbers.ts';
import { dayNumber } from '../../shared/weeks/iso-week.ts';
import { outcomeLines, statementOf, testContract, week } from '../simulation/builders.ts';

const KEY = 'roster-test-key';
const pseudonymise = createPseudonymiser(KEY);
/** Spec 2.4 computed independently: px_ + 16 hex of HMAC-SHA256(key, the 10 digits). */
const px = (digits: string) => 'px_' + createHmac('sha256', KEY).update(digits).digest('hex').slice(0, 16);

function problemsOf(text: string): string[] {
  try {
    parseRoster(text, pseudonymise, 'roster.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(RosterError);
    return (error as RosterError).problems;
  }
  throw new Error('the roster was accepted');
}

describe('parseRoster (spec 5)', () => {
  it('reads Danish column names, `;`, Danish dates and a decimal comma, and pseudonymises CPR numbers', () => {
    const text = [
      'Deltager;Partnerskab;Visitationsdato;prior_weeks_on_benefit;weekly_benefit',
      '010203-1234;koege;04.02.2019;10;2900,50',
      'P2;koege;1-3-2019;;',
      '0102031234;holbaek;15/03/2019;0;',
    ].join('\n');
    const entries = parseRoster(text, pseudonymise);
    expect(entries).toEqual([
      { participant: px('0102031234'), partnership: 'koege', referralDay: dayNumber(2019, 2, 4), priorWeeksOnBenefit: 10, weeklyBenefit: 2900.5 },
      { participant: 'P2', partnership: 'koege', referralDay: dayNumber(2019, 3, 1) },
      // the same CPR number without the dash is the same pseudonym (here in another partnership)
      { participant: px('0102031234'), partnership: 'holbaek', referralDay: dayNumber(2019, 3, 15), priorWeeksOnBenefit: 0 },
    ]);
    expect(entries[0]!.participant).toMatch(/^px_[0-9a-f]{16}$/);
    expect(JSON.stringify(entries)).not.toMatch(/010203|1234/);
  });

  it('reads Danish thousands separators in amounts: 2.900 is 2900 kr., 2.900,50 is 2900.50', () => {
    const text = ['participant;partnership;referral_date;weekly_benefit', 'A;koege;2019-02-04;2.900', 'B;koege;2019-02-04;2.900,50', 'C;koege;2019-02-04;2.5'].join('\n');
    expect(parseRoster(text, pseudonymise).map((e) => e.weeklyBenefit)).toEqual([2900, 2900.5, 2.5]);
  });

  it('accepts the English names, `,`, ISO dates, a BOM, CRLF and blank lines; column order and case do not matter', () => {
    const text = '\ufeffReferral_Date , PARTICIPANT,partnership,notes\r\n2024-01-10,P1,test,anything\r\n\r\n2024-02-01,P2,test,\r\n';
    expect(parseRoster(text, pseudonymise)).toEqual([
      { participant: 'P1', partnership: 'test', referralDay: dayNumber(2024, 1, 10) },
      { participant: 'P2', partnership: 'test', referralDay: dayNumber(2024, 2, 1) },
    ]);
  });

  it.each([
    ['borger', 'visiteret'],
    ['cpr', 'visitationsdato'],
    ['participant_id', 'referral_date'],
  ])('accepts %s and %s as column names', (participantColumn, dateColumn) => {
    const entries = parseRoster(`${participantColumn},partnerskab,${dateColumn}\n0102031234,koege,04.02.2019\n`, pseudonymise);
    expect(entries).toEqual([{ participant: px('0102031234'), partnership: 'koege', referralDay: dayNumber(2019, 2, 4) }]);
  });

  it('rejects the roster whole, reporting every bad row with its line and field', () => {
    const text = [
      'participant,partnership,referral_date,prior_weeks_on_benefit,weekly_benefit', // line 1
      'P1,,31.02.2019,1.5,-3', // line 2: four problems
      ',koege,2019-01-01,x,', // line 3
      'P3,koege,,,', // line 4
      'ab 010203-1234,koege,2019-01-01,,', // line 5: a CPR number inside other text
      'P6,koege,2019-01-01,,abc', // line 6
      'P7,koege,2019-01-01,52,2900', // line 7: fine
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems).toEqual([
      'line 2: partnership: is empty',
      'line 2: referral_date: "31.02.2019" is not a date',
      'line 2: prior_weeks_on_benefit: "1.5" is not a whole number ≥ 0',
      'line 2: weekly_benefit: "-3" is not a number ≥ 0',
      'line 3: participant: is empty',
      'line 3: prior_weeks_on_benefit: "x" is not a whole number ≥ 0',
      'line 4: referral_date: is empty',
      'line 5: participant: contains a CPR number among other text; write the CPR number alone',
      'line 6: weekly_benefit: "abc" is not a number ≥ 0',
    ]);
    expect(problems.join('\n')).not.toContain('010203');
  });

  it('a participant twice in the same partnership is an error naming both lines; CPR with and without dash is the same person', () => {
    const text = [
      'participant,partnership,referral_date',
      '010203-1234,koege,2019-01-01', // line 2
      'P1,koege,2019-01-01', // line 3
      '0102031234,koege,2019-02-01', // line 4: same person as line 2
      'P1,holbaek,2019-01-01', // line 5: another partnership, fine
      'P1,koege,2019-03-01', // line 6: same as line 3
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      `line 4: participant: ${px('0102031234')} appears twice for partnership koege (first on line 2)`,
      'line 6: participant: P1 appears twice for partnership koege (first on line 3)',
    ]);
  });

  it('a header without the required columns rejects the file with one problem per column', () => {
    expect(problemsOf('deltager,dato\nP1,2019-01-01\n')).toEqual(['header: lacks required column "partnership"', 'header: lacks required column "referral_date"']);
  });

  it('an empty file and unreadable CSV are rejected', () => {
    expect(problemsOf('')).toEqual(['empty: a header row is required']);
    expect(problemsOf('participant,partnership,referral_date\n"P1,koege,2019-01-01\n')).toEqual(['line 2, field 1: a quoted field opened here is never closed']);
  });

  it('the error message names the source', () => {
    expect(() => parseRoster('participant,partnership,referral_date\nP1,,2019-01-01\n', pseudonymise, 'data/roster.csv')).toThrow(
      'data/roster.csv: invalid roster\n  line 2: partnership: is empty',
    );
  });
});

describe('roster and hours make the participants (spec 5)', () => {
  const contract = testContract((d) => {
    d.outcomes = [{ id: 'attach', rule: 'referral', price: 100 }];
    d.benefit.municipalCostPerHour = {};
  });

  it('roster participants without hours are participants; a participant without a roster row is referred in the first week with hours', () => {
    const roster = parseRoster(
      'deltager;partnerskab;visitationsdato;weekly_benefit\n010203-1234;test;10.01.2024;\nR2;test;03.01.2024;2000\nX;other;03.01.2024;\n',
      pseudonymise,
    );
    const weeks = [week('H1', '2024-W04', { training: 5 }), week('H1', '2024-W03', { absence: 8 }), week('R2', '2024-W02', { ordinary: 30 })];
    const statement = statementOf(contract, weeks, '2024-01', roster);
    // Participants: the CPR one (roster only), R2 (roster and hours), H1 (hours only); X is another partnership's.
    expect(statement.participants).toBe(3);
    // 10.01.2024 is in 2024-W02, 03.01.2024 in 2024-W01; H1's first week with any hours (even absence) is W03.
    // Settlement order within W02 by string: 'R2' < 'px_…'.
    expect(outcomeLines(statement)).toEqual([`2024-W01 R2 attach 100`, `2024-W02 ${px('0102031234')} attach 100`, '2024-W03 H1 attach 100']);
    // R2's weekly_benefit 2000 caps the reduction: min(2000, 30 × 120); municipal share 2000 × (1 − 0.8) = 400 (k = 2).
    expect(statement.totals.grossBenefitSavings).toBe(2000);
    expect(statement.totals.municipalSavings).toBe(400);
  });
});

describe('parseRoster: exits (spec 5)', () => {
  it('reads exit_date and exit_reason, English or Danish (udmeldelsesdato, udmeldelsesårsag)', () => {
    const text = [
      'deltager;partnerskab;visitationsdato;udmeldelsesdato;udmeldelsesårsag',
      'P1;koege;04.02.2019;30.06.2020;Beskæftigelse',
      'P2;koege;04.02.2019;01.07.2020;ikke til rådighed',
      'P3;koege;04.02.2019;02.07.2020;',
      'P4;koege;04.02.2019;;',
    ].join('\n');
    expect(parseRoster(text, pseudonymise).map((e) => [e.participant, e.exitDay, e.exitReason])).toEqual([
      ['P1', dayNumber(2020, 6, 30), 'employment'],
      ['P2', dayNumber(2020, 7, 1), 'unavailable'],
      ['P3', dayNumber(2020, 7, 2), undefined], // a date without a reason is an exit all the same
      ['P4', undefined, undefined],
    ]);
    expect(parseRoster('participant,partnership,referral_date,exit_date,exit_reason\nP1,koege,2019-02-04,2019-03-01,deceased\n', pseudonymise)[0]!.exitReason).toBe('deceased');
  });

  it('rejects an exit before the referral, an unknown reason and a reason without a date', () => {
    const text = [
      'participant,partnership,referral_date,exit_date,exit_reason',
      'P1,koege,2019-02-04,2019-02-03,other',
      'P2,koege,2019-02-04,2019-03-01,retired',
      'P3,koege,2019-02-04,,ledig',
      'P4,koege,2019-02-04,someday,',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'line 2: exit_date: 2019-02-03 is before the referral date 2019-02-04',
      'line 3: exit_reason: must be one of employment, education, unemployed, unavailable, deceased, other (or beskæftigelse, uddannelse, ledig, ikke til rådighed, død, andet)',
      'line 4: exit_reason: given without an exit_date',
      'line 5: exit_date: "someday" is not a date',
    ]);
  });
});
