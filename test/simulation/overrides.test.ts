import { describe, expect, it } from 'vitest';
import { parseContract } from '../../shared/simulation/contract.ts';
import { applyOverrides, type Override } from '../../shared/simulation/overrides.ts';
import { specContractDocument } from './builders.ts';

/*
 * The one core of what-if overrides (spec 8). The edges that build them from
 * their own syntax are tested with them: `--set` in test/cli/set-option.test.ts,
 * the API body in test/api/scenario.test.ts.
 */

describe('applyOverrides (what-if, spec 8)', () => {
  it('sets values as given (no JSON guessing) and labels errors with its source, not --set', () => {
    const contract = parseContract(applyOverrides(specContractDocument(), [{ path: 'name', value: '{"a":1}' }, { path: 'cap', value: 7 }], 'set'));
    expect([contract.name, contract.cap]).toEqual(['{"a":1}', 7]);
    try {
      applyOverrides(specContractDocument(), [{ path: 'outcomes.nosuch.price', value: 1 }], 'set');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('set: invalid contract\n  outcomes.nosuch: no such parameter in the contract');
    }
  });

  it('cannot replace the prototype of the contract', () => {
    expect(() => applyOverrides(specContractDocument(), [{ path: '__proto__', value: { cap: -1 } }], 'set')).toThrow('__proto__: no such parameter in the contract');
  });

  it('names list elements by index or outcome id, replaces lists and objects whole, and leaves the document untouched', () => {
    const original = specContractDocument();
    const overrides: Override[] = [
      { path: 'outcomes.sustained_13.weeks', value: 10 },
      { path: 'outcomes.0.activities', value: ['ordinary'] },
      { path: 'benefit.refusion', value: [{ fromWeek: 1, rate: 0.5 }] },
      { path: 'benefit.municipalCostPerHour.ordinary', value: 5 },
    ];
    const contract = parseContract(applyOverrides(original, overrides, 'set'));
    expect(contract.outcomes[1]).toMatchObject({ id: 'sustained_13', weeks: 10 });
    expect(contract.outcomes[0]).toMatchObject({ id: 'job_start', activities: ['ordinary'] });
    expect(contract.benefit.refusion).toEqual([{ fromWeek: 1, rate: 0.5 }]);
    expect(contract.benefit.municipalCostPerHour).toMatchObject({ ordinary: 5 });
    expect(original.outcomes[1]!).toMatchObject({ weeks: 13 });
  });

  it.each([
    ['nosuch.price', 'nosuch'],
    ['outcomes.9.price', 'outcomes.9'],
    ['outcomes.-1.price', 'outcomes.-1'],
    ['name.first', 'name.first'],
    ['benefit.refusion.x.rate', 'benefit.refusion.x'],
  ])('an unknown path names the first step that does not exist: %s', (path, missing) => {
    expect(() => applyOverrides(specContractDocument(), [{ path, value: 1 }], 'set')).toThrow(`set: invalid contract\n  ${missing}: no such parameter in the contract`);
  });
});
