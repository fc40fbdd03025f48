import { createLogger } from '../../shared/logger.ts';
import type { ApiDependencies } from '../../shared/api/api.ts';
import type { Contract } from '../../shared/simulation/contract.ts';
import { inMemoryStores } from '../statements/in-memory-stores.ts';

/**
 * The API's dependencies over the in-memory stores, for one partnership `test`
 * of municipality Testby with `contract`; `world` is what the test sets and reads.
 */
export function inMemoryApi(contract: Contract): { world: ReturnType<typeof inMemoryStores>['world']; deps: ApiDependencies } {
  const { world, stores } = inMemoryStores(contract);
  const deps: ApiDependencies = {
    hours: stores.hours,
    partnerships: { ...stores.partnerships, partnerships: async () => [{ partnership: 'test', name: contract.name, municipality: 'Testby' }] },
    presignUpload: async () => ({ url: '', expiresIn: 0 }),
    log: createLogger('test', () => {}),
  };
  return { world, deps };
}
