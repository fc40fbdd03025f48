import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ContractError, parseContract, parseContractJson } from '../../shared/simulation/contract.ts';
import { arbitraryCprWriting } from '../support/cpr-spellings.ts';
import { cprsIn } from '../support/leak-scan.ts';
import { problemsOf, specContractDocument, type ContractDocument } from './builders.ts';

/** The spec's example contract with one edit applied. */
function edited(edit: (doc: ContractDocument & Record<string, unknown>) => void): unknown {
  const doc = specContractDocument() as ContractDocument & Record<string, unknown>;
  edit(doc);
  return doc;
}

const outcome = (doc: ContractDocument, i: number) => doc.outcomes[i] as Record<string, unknown>;

describe('parseContract (spec 4)', () => {
  it('accepts the example contract of the spec as written', () => {
    const contract = parseContract(specContractDocument());
    expect(contract.partnership).toBe('koege');
    expect(contract.outcomes.map((o) => o.id)).toEqual(['job_start', 'sustained_13', 'sustainment', 'education_start']);
    expect(contract.benefit.municipalCostPerHour).toEqual({ wage_subsidy: 95, flexjob: 70 });
  });

  it('a contract without municipal costs per hour gets none (no cost for any activity)', () => {
    const contract = parseContract(edited((d) => delete (d.benefit as Partial<ContractDocument['benefit']>).municipalCostPerHour));
    expect(contract.benefit.municipalCostPerHour).toEqual({});
  });

  it('the referral rule needs neither activities nor minHours', () => {
    const contract = parseContract(edited((d) => d.outcomes.push({ id: 'attach', rule: 'referral', price: 500 })));
    expect(contract.outcomes[4]).toEqual({ id: 'attach', rule: 'referral', price: 500 });
  });

  it.each<[string, (d: ContractDocument & Record<string, unknown>) => void, string[]]>([
    ['an unknown rule', (d) => (outcome(d, 0).rule = 'bonus'), ['outcomes[0].rule: unknown rule: use referral, first_week, cumulative_weeks or periodic']],
    ['a missing rule', (d) => delete outcome(d, 0).rule, ['outcomes[0].rule: unknown rule: use referral, first_week, cumulative_weeks or periodic']],
    ['a negative price', (d) => (outcome(d, 1).price = -1), ['outcomes[1].price: must not be negative']],
    ['a negative cap', (d) => (d.cap = -5), ['cap: must not be negative']],
    ['a negative programme fee', (d) => (d.programmeFee = -1), ['programmeFee: must not be negative']],
    [
      'refusion steps that repeat a week',
      (d) => (d.benefit.refusion[2]!.fromWeek = 5),
      ['benefit.refusion[2].fromWeek: steps must be ascending: 5 does not come after 5'],
    ],
    [
      'refusion steps that go back',
      (d) => (d.benefit.refusion[3]!.fromWeek = 20),
      ['benefit.refusion[3].fromWeek: steps must be ascending: 20 does not come after 27'],
    ],
    ['a first refusion step after week 1', (d) => (d.benefit.refusion[0]!.fromWeek = 2), ['benefit.refusion[0].fromWeek: the first step must start at week 1']],
    ['a refusion rate above 1', (d) => (d.benefit.refusion[1]!.rate = 1.2), ['benefit.refusion[1].rate: must be between 0 and 1']],
    ['no refusion steps at all', (d) => (d.benefit.refusion = []), ['benefit.refusion: needs at least one step']],
    ['`after` naming an unknown outcome', (d) => (outcome(d, 2).after = 'sustained_26'), ['outcomes[2].after: names unknown outcome "sustained_26"']],
    [
      '`after` naming a periodic outcome',
      (d) => d.outcomes.push({ id: 'bonus', rule: 'periodic', after: 'sustainment', activities: ['ordinary'], minHours: 20, weeks: 4, times: 1, price: 100 }),
      ['outcomes[4].after: "sustainment" is itself periodic; name a one-off outcome'],
    ],
    ['a duplicate outcome id', (d) => (outcome(d, 3).id = 'job_start'), ['outcomes[3].id: "job_start" is used twice']],
    ['an end before the start', (d) => (d.end = '2019-02-03'), ['end: 2019-02-03 is before start 2019-02-04']],
    ['a start that is not a date', (d) => (d.start = '04-02-2019'), ['start: must be a date YYYY-MM-DD']],
    ['a deadweight above 1', (d) => (d.deadweight = 1.5), ['deadweight: must be between 0 and 1']],
    ['a negative deadweight', (d) => (d.deadweight = -0.1), ['deadweight: must be between 0 and 1']],
    [
      'an unknown activity in an outcome',
      (d) => (outcome(d, 0).activities = ['ordinary', 'salsa']),
      ['outcomes[0].activities[1]: must be one of training, internship, ordinary, flexjob, wage_subsidy, education, absence'],
    ],
    ['an outcome without activities', (d) => (outcome(d, 0).activities = []), ['outcomes[0].activities: must name at least one activity']],
    ['an unknown activity with a municipal cost', (d) => (d.benefit.municipalCostPerHour.salsa = 3), ['benefit.municipalCostPerHour: Unrecognized key: "salsa"']],
    ['a missing amount', (d) => delete (d as Partial<ContractDocument>).programmeFee, ['programmeFee: must be a number']],
    ['a missing benefit parameter', (d) => delete (d.benefit as Partial<ContractDocument['benefit']>).weeklyRate, ['benefit.weeklyRate: must be a number']],
    ['a missing name', (d) => delete (d as Partial<ContractDocument>).name, ['name: Invalid input: expected string, received undefined']],
    ['periodic weeks of 0', (d) => (outcome(d, 2).weeks = 0), ['outcomes[2].weeks: must be at least 1']],
    ['cumulative weeks that are not whole', (d) => (outcome(d, 1).weeks = 1.5), ['outcomes[1].weeks: must be a whole number']],
    ['negative prior weeks on benefit', (d) => (d.benefit.priorWeeksOnBenefit = -1), ['benefit.priorWeeksOnBenefit: must not be negative']],
    ['no outcomes', (d) => (d.outcomes = []), ['outcomes: needs at least one outcome']],
    ['an unknown top-level field (strict)', (d) => (d.colour = 'blue'), ['(contract): Unrecognized key: "colour"']],
    ['an unknown field in an outcome (strict)', (d) => (outcome(d, 0).colour = 'blue'), ['outcomes[0]: Unrecognized key: "colour"']],
    ['a field of another rule (cumulative weeks on first_week)', (d) => (outcome(d, 0).weeks = 3), ['outcomes[0]: Unrecognized key: "weeks"']],
    ['an unknown benefit field (strict)', (d) => ((d.benefit as Record<string, unknown>).colour = 'blue'), ['benefit: Unrecognized key: "colour"']],
    ['a partnership id with capitals', (d) => (d.partnership = 'Koege'), ['partnership: must be 1–63 characters of a–z, 0–9 and "-", starting with a letter or digit (e.g. "koege", "jobvejen")']],
    ['a partnership id that could be a CPR number', (d) => (d.partnership = 'p-311299-7822'), ['partnership: must not contain 6 or more digits in a row, nor 9 or more split by dashes (it could be a CPR number)']],
    ['an end after 2149', (d) => (d.end = '9999-12-31'), ['end: must be a date between 1970-01-01 and 2149-12-31']],
    ['a start before 1970', (d) => (d.start = '1969-12-31'), ['start: must be a date between 1970-01-01 and 2149-12-31']],
    ['an amount over 10 billion', (d) => (d.cap = 1e11), ['cap: must be at most 10,000,000,000']],
    ['an infinite amount (JSON 1e999)', (d) => (d.programmeFee = Infinity), ['programmeFee: must be a number']],
    ['minimum hours over a week', (d) => (outcome(d, 0).minHours = 200), ['outcomes[0].minHours: must be at most 168 (hours in a week)']],
    ['periodic times over 520', (d) => (outcome(d, 2).times = 521), ['outcomes[2].times: must be at most 520']],
    ['prior weeks on benefit over 100 years', (d) => (d.benefit.priorWeeksOnBenefit = 5201), ['benefit.priorWeeksOnBenefit: must be at most 5200']],
    ['an outcome id with spaces', (d) => (outcome(d, 3).id = 'job start'), ['outcomes[3].id: must be 1–64 letters, digits, "_" or "-", starting with a letter (e.g. job_start)']],
    ['a name longer than 200 characters', (d) => (d.name = 'x'.repeat(201)), ['name: must be at most 200 characters']],
  ])('rejects %s with `field: reason`', (_, edit, expected) => {
    expect(problemsOf(edited(edit))).toEqual(expected);
  });

  it('lists every problem of a contract, not just the first', () => {
    const problems = problemsOf(
      edited((d) => {
        d.cap = -1;
        d.deadweight = 2;
        outcome(d, 3).id = 'job_start';
      }),
    );
    expect(problems).toEqual(['cap: must not be negative', 'deadweight: must be between 0 and 1', 'outcomes[3].id: "job_start" is used twice']);
  });

  it('an invalid start is reported once, without a made-up "end before start"', () => {
    // '2019-13-45' is not a date; comparing it as text with the end would claim the end comes first.
    expect(problemsOf(edited((d) => (d.start = '2099-13-45')))).toEqual(['start: must be a date YYYY-MM-DD']);
  });

  it('outcomes without an id are reported as missing ids, not as duplicates of each other', () => {
    const problems = problemsOf(
      edited((d) => {
        delete outcome(d, 0).id;
        delete outcome(d, 3).id;
      }),
    );
    expect(problems).toEqual(['outcomes[0].id: Invalid input: expected string, received undefined', 'outcomes[3].id: Invalid input: expected string, received undefined']);
  });

  it('cross-field problems are reported together with field errors', () => {
    const problems = problemsOf(
      edited((d) => {
        d.cap = -1;
        d.end = '2019-01-01';
        outcome(d, 2).after = 'nothing';
      }),
    );
    expect(problems).toEqual(['cap: must not be negative', 'end: 2019-01-01 is before start 2019-02-04', 'outcomes[2].after: names unknown outcome "nothing"']);
  });

  it('a document that is not an object is rejected, not crashed on', () => {
    expect(problemsOf('hello')).toEqual(['(contract): Invalid input: expected object, received string']);
    expect(problemsOf(null)).toEqual(['(contract): Invalid input: expected object, received null']);
  });

  it('the error message names the source and lists each problem on its own line', () => {
    try {
      parseContract(edited((d) => (d.cap = -1)), 'contracts/koege.json');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('contracts/koege.json: invalid contract\n  cap: must not be negative');
    }
  });

  it('invalid JSON text becomes a ContractError too', () => {
    expect(() => parseContractJson('{ "partnership": ', 'koege.json')).toThrow(ContractError);
    try {
      parseContractJson('{ "partnership": ', 'koege.json');
    } catch (error) {
      expect((error as ContractError).problems).toHaveLength(1);
      expect((error as ContractError).problems[0]).toMatch(/^not valid JSON \(.+\)$/);
      expect((error as Error).message).toMatch(/^koege\.json: invalid contract\n {2}not valid JSON/);
    }
    expect(parseContractJson('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
  });
});

describe('parseContract and personal data (spec 2.4)', () => {
  it('never repeats an outcome id or `after` that could be a CPR number', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, ({ digits, written }) => {
        const problems = problemsOf(edited((d) => ((outcome(d, 0).id = written), (outcome(d, 3).id = written), (outcome(d, 2).after = written))));
        expect(problems.length).toBeGreaterThan(0);
        expect(cprsIn(problems.join('\n'), [digits])).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
