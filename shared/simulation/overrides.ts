import { ContractError } from './contract.ts';

/*
 * What-if scenarios (spec 8): overrides of contract parameters, applied to the
 * contract document before validation, so an override can never produce an
 * unvalidated contract. Each edge turns its own syntax into overrides and names
 * its own field in errors: the CLI's `--set path=value` (cli/commands/simulate.ts)
 * and the API body's `set` object (shared/api/scenario.ts).
 */

/** One what-if override: where in the contract, and the value to put there. */
export interface Override {
  /**
   * Names or indexes joined by "."; an element of a list is named by its index
   * or, for outcomes, by its id (`outcomes.job_start.price`).
   */
  readonly path: string;
  readonly value: unknown;
}

/** The key `part` names in `container`, or undefined when it names nothing there. */
function keyIn(container: object, part: string): string | number | undefined {
  if (part === '__proto__') return undefined;
  if (!Array.isArray(container)) return part;
  const index = /^\d+$/.test(part) ? Number(part) : container.findIndex((item) => (item as { id?: unknown } | null)?.id === part);
  return index >= 0 && index < container.length ? index : undefined;
}

/**
 * A copy of the contract document with the overrides applied in order (a later
 * one wins). Every step of a path must exist, except a new key at the end (e.g.
 * a cost per hour; strict validation catches typos). An unknown path throws a
 * ContractError labelled with `field`, the caller's name for its overrides.
 */
export function applyOverrides(document: unknown, overrides: readonly Override[], field: string): unknown {
  const copy = structuredClone(document);
  for (const { path, value } of overrides) {
    const parts = path.split('.');
    let node = copy;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const key = typeof node === 'object' && node !== null ? keyIn(node, parts[i]!) : undefined;
      const container = node as Record<string | number, unknown>;
      if (key === undefined || (!last && !Array.isArray(container) && !Object.hasOwn(container, key))) {
        throw new ContractError(field, [`${parts.slice(0, i + 1).join('.')}: no such parameter in the contract`]);
      }
      if (last) container[key] = value;
      else node = container[key];
    }
  }
  return copy;
}
