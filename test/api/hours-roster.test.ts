import { describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../shared/api/api.ts';
import { parseDay } from '../../shared/weeks/parse-day.ts';
import { testContract } from '../simulation/builders.ts';
import { inMemoryApi } from './in-memory-api.ts';

/*
 * GET /partnerships/{id}/hours carries the roster beside the weeks, so the
 * portal's monitoring can tell who has left (and why) from who has no hours.
 */
describe('GET /partnerships/{id}/hours with the roster', () => {
  const contract = testContract();
  const { world, deps } = inMemoryApi(contract);
  const holder = { sub: 'h', 'cognito:groups': ['holder'] };

  it('names each participant’s referral week and, for those who left, the exit day, week and reason; nothing else of the roster', async () => {
    world.roster = [
      { participant: 'P1', partnership: 'test', referralDay: parseDay('2024-01-03'), weeklyBenefit: 3000 },
      { participant: 'P2', partnership: 'test', referralDay: parseDay('2024-01-10'), exitDay: parseDay('2024-03-07'), exitReason: 'employment', priorWeeksOnBenefit: 40 },
    ];
    const response = await handleApiRequest({ method: 'GET', path: '/partnerships/test/hours', query: {}, headers: {}, claims: holder }, deps);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).roster).toEqual([
      { participant: 'P1', referralWeek: '2024-W01' },
      { participant: 'P2', referralWeek: '2024-W02', exit: { day: '2024-03-07', week: '2024-W10', reason: 'employment' } },
    ]);
    expect(response.body).not.toMatch(/3000|weeklyBenefit|priorWeeks/);
  });
});
