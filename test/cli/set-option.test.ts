import { describe, expect, it } from 'vitest';
import { parseSetOptions } from '../../cli/commands/simulate.ts';
import { ContractError, parseContract } from '../../shared/simulation/contract.ts';
import { applyOverrides } from '../../shared/simulation/overrides.ts';
import { problemsOf, specContractDocument } from '../simulation/builders.ts';

/** The contract document with `pbr simulate`'s `--set` options applied, as the command does. */
const applySet = (document: unknown, options: readonly string[]) => applyOverrides(document, parseSetOptions(options), '--set');

describe('--set path=value (what-if overrides of pbr simulate, spec 8)', () => {
  it('sets values by dotted path, by outcome id and by outcome index, on a copy', () => {
    const original = specContractDocument();
    const changed = applySet(original, [
      'benefit.weeklyRate=3000',
      'outcomes.job_start.price=20000',
      'outcomes.1.weeks=10',
      'name=Ny Køge',
      'benefit.refusion.1.rate=0.5',
      'benefit.municipalCostPerHour.ordinary=5',
    ]);
    const contract = parseContract(changed);
    expect(contract.benefit.weeklyRate).toBe(3000);
    expect(contract.outcomes[0]).toMatchObject({ id: 'job_start', price: 20000 });
    expect(contract.outcomes[1]).toMatchObject({ id: 'sustained_13', weeks: 10 });
    expect(contract.name).toBe('Ny Køge'); // not JSON, so kept as a string
    expect(contract.benefit.refusion[1]).toEqual({ fromWeek: 5, rate: 0.5 });
    expect(contract.benefit.municipalCostPerHour).toEqual({ wage_subsidy: 95, flexjob: 70, ordinary: 5 });
    // the original document is untouched
    expect(original.benefit.weeklyRate).toBe(2900);
    expect(original.outcomes[0]!.price).toBe(15000);
  });

  it('values are JSON when they parse as JSON: arrays and objects can be replaced whole', () => {
    const changed = applySet(specContractDocument(), ['outcomes.job_start.activities=["ordinary"]', 'benefit.refusion=[{"fromWeek":1,"rate":0.5}]']);
    const contract = parseContract(changed);
    expect(contract.outcomes[0]).toMatchObject({ activities: ['ordinary'] });
    expect(contract.benefit.refusion).toEqual([{ fromWeek: 1, rate: 0.5 }]);
  });

  it('later overrides win over earlier ones', () => {
    expect(parseContract(applySet(specContractDocument(), ['cap=1', 'cap=2'])).cap).toBe(2);
  });

  it('parses each option into a structured override, splitting at the first "="', () => {
    expect(parseSetOptions(['cap=2', 'name=a=b', 'outcomes.0.activities=["ordinary"]', 'end="2030-01-01"'])).toEqual([
      { path: 'cap', value: 2 },
      { path: 'name', value: 'a=b' },
      { path: 'outcomes.0.activities', value: ['ordinary'] },
      { path: 'end', value: '2030-01-01' },
    ]);
  });

  it.each([
    ['nosuch.price=1', 'nosuch: no such parameter in the contract'],
    ['outcomes.job_finish.price=1', 'outcomes.job_finish: no such parameter in the contract'],
    ['outcomes.9.price=1', 'outcomes.9: no such parameter in the contract'],
    ['name.first=Køge', 'name.first: no such parameter in the contract'],
    ['benefit.refusion.7.rate=0.1', 'benefit.refusion.7: no such parameter in the contract'],
    ['price', '"price" is not path=value'],
    ['=1', '"=1" is not path=value'],
  ])('an unknown path is an error: %s', (override, problem) => {
    try {
      applySet(specContractDocument(), [override]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).problems).toEqual([problem]);
      expect((error as Error).message).toMatch(/^--set: invalid contract\n/);
    }
  });

  it.each([
    ['benefit.nosuch=1', ['benefit: Unrecognized key: "nosuch"']],
    ['outcomes.job_start.price=-1', ['outcomes[0].price: must not be negative']],
    ['deadweight=2', ['deadweight: must be between 0 and 1']],
    ['start=2023-01-01', ['end: 2022-09-30 is before start 2023-01-01']],
    ['cap=abc', ['cap: must be a number']],
    ['benefit.refusion.1.fromWeek=1', ['benefit.refusion[1].fromWeek: steps must be ascending: 1 does not come after 1']],
    ['outcomes.sustainment.after=job_finish', ['outcomes[2].after: names unknown outcome "job_finish"']],
    ['outcomes.job_start.rule=bonus', ['outcomes[0].rule: unknown rule: use referral, first_week, cumulative_weeks or periodic']],
  ])('an override that makes the contract invalid is caught by validation: %s', (override, problems) => {
    expect(problemsOf(applySet(specContractDocument(), [override]))).toEqual(problems);
  });
});
