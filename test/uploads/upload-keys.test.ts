import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { NoSuchKey } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachCreatedObject, s3Event } from '../../functions/s3-notification.ts';
import { describeError, failureReason, ObjectsFailedError } from '../../shared/ingest/ingest-failure.ts';
import { identifierProblem } from '../../shared/identifiers.ts';
import { keyDigest, loggableKey } from '../../shared/uploads/rejected-upload.ts';
import { readReportKey, reportKey } from '../../shared/uploads/report-key.ts';
import { createLogger } from '../../shared/logger.ts';
import { inputKey, readInputKey } from '../../shared/uploads/input-key.ts';
import { arbitraryCprWriting } from '../support/cpr-spellings.ts';
import { cprsIn } from '../support/leak-scan.ts';

const slug = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((value) => identifierProblem('id', value) === undefined);
const month = fc.tuple(fc.integer({ min: 1970, max: 2149 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
/** DDMMYY-XXXX of a CPR writing's digits, for cprsIn. */
const dashed = (digits: string) => `${digits.slice(0, 6)}-${digits.slice(6)}`;

describe('report and input keys (spec 2.4)', () => {
  it('round-trips every valid identity', () => {
    fc.assert(
      fc.property(slug, month, slug, fc.constantFrom('csv' as const, 'xlsx' as const), (partnership, m, source, format) => {
        expect(readReportKey(reportKey({ partnership, month: m, source }, format))).toEqual({ ok: true, report: { partnership, month: m, source }, format });
        expect(readInputKey(inputKey('roster', partnership))).toEqual({ ok: true, kind: 'roster', partnership });
      }),
    );
  });

  it('refuses a CPR number in any spelling as source or partnership, never echoing it', () => {
    fc.assert(
      fc.property(slug, month, arbitraryCprWriting, fc.boolean(), fc.constantFrom('', 'x-', 'Ø '), (partnership, m, cpr, inPartnership, around) => {
        // A "/" in the spelling would change the key's shape, not just its id: covered by the shape tests.
        fc.pre(!cpr.written.includes('/'));
        const bad = `${around}${cpr.written}`;
        const key = inPartnership ? `reports/${bad}/${m}/actor.csv` : `reports/${partnership}/${m}/${bad}.csv`;
        const reading = readReportKey(key);
        expect(reading.ok).toBe(false);
        expect(cprsIn(JSON.stringify(reading), [dashed(cpr.digits)])).toEqual([]);
        // Only a valid partnership is kept, so the refusal can be listed with it.
        expect((reading as { partnership?: string }).partnership).toBe(inPartnership ? undefined : partnership);
        expect(loggableKey(key)).toEqual({ keyDigest: keyDigest(key) });
        const roster = readInputKey(`rosters/${bad}.csv`);
        expect(roster.ok).toBe(false);
        expect(cprsIn(JSON.stringify(roster), [dashed(cpr.digits)])).toEqual([]);
      }),
    );
  });

  it.each([
    ['reports/koege/2024-13/actor.csv', 'YYYY-MM', 'koege'],
    ['reports/koege/2024-03/actor.txt', '.csv and .xlsx', 'koege'],
    ['reports/koege/actor.csv', 'reports/PARTNERSHIP/YYYY-MM/SOURCE', 'koege'],
    ['reports/koege/2024-03/deep/actor.csv', 'reports/PARTNERSHIP/YYYY-MM/SOURCE', 'koege'],
    ['reports/Køge/2024-03/actor.csv', 'partnership must be', undefined],
    ['reports/koege/2024-03/Jobvejen A-S.csv', 'source must be', 'koege'],
    ['reports/koege/2024-03/actor-0101901234.csv', 'source must not contain 6 or more digits', 'koege'],
  ])('%s is refused: %s', (key, problem, partnership) => {
    const reading = readReportKey(key);
    expect(reading.ok).toBe(false);
    expect((reading as { partnership?: string }).partnership).toBe(partnership);
    expect(!reading.ok && reading.problem).toContain(problem);
  });

  it('contracts and rosters: the partnership must be valid and the suffix right', () => {
    expect(readInputKey('contracts/koege.json')).toEqual({ ok: true, kind: 'contract', partnership: 'koege' });
    expect(readInputKey('contracts/koege.csv')).toMatchObject({ ok: false, problem: expect.stringContaining('contracts/PARTNERSHIP.json') });
    expect(readInputKey('rosters/koege/x.csv')).toMatchObject({ ok: false, problem: expect.stringContaining('partnership must be') });
    expect(() => inputKey('roster', '010190-1234')).toThrow('6 or more digits');
    expect(() => reportKey({ partnership: 'koege', month: '2024-03', source: '0101901234' }, 'csv')).toThrow('6 or more digits');
  });

  it('a notification key that does not URL-decode is kept as sent, and then refused like any bad key', () => {
    const event = s3Event.parse({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'reports/koege/2024-03/a%E0%A4%A.csv', sequencer: '1' } } }] });
    expect(event.Records[0]!.s3.object.key).toBe('reports/koege/2024-03/a%E0%A4%A.csv');
    expect(readReportKey(event.Records[0]!.s3.object.key).ok).toBe(false);
  });
});

describe('failure reasons never carry participant values', () => {
  it('AWS errors keep their class and message, with digit runs masked', () => {
    const error = new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded (010190 1234)', $metadata: { httpStatusCode: 400 } });
    const described = describeError(error);
    expect(described).toContain('ProvisionedThroughputExceededException (HTTP 400): The level of configured provisioned throughput');
    expect(cprsIn(described, ['010190-1234'])).toEqual([]);
    expect(describeError(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }))).toBe('AWS NoSuchKey (HTTP 404): The specified key does not exist.');
  });

  it('our own errors (which may quote a cell) only by their class', () => {
    fc.assert(
      fc.property(fc.string(), arbitraryCprWriting, fc.constantFrom(Error, TypeError, RangeError), (text, cpr, Kind) => {
        const described = describeError(new Kind(`cell "${text}${cpr.written}" is odd`));
        expect(described).toBe(`an unexpected ${Kind.name} (details in the function logs)`);
      }),
    );
    expect(describeError('a string')).toBe('an unexpected error (details in the function logs)');
  });

  it('the stored reason: attempts, the failure of this object, what to do', () => {
    const errorMessage = new ObjectsFailedError([
      { sequencer: '0A', reason: 'AWS ValidationException (HTTP 400): Item size has exceeded the maximum allowed size' },
      { sequencer: '0B', reason: 'an unexpected TypeError (details in the function logs)' },
    ]).message;
    const failure = { condition: 'RetriesExhausted', attempts: 3, errorType: 'ObjectsFailedError', errorMessage };
    expect(failureReason(failure, '0A')).toBe('could not be processed after 3 attempts: AWS ValidationException (HTTP 400): Item size has exceeded the maximum allowed size; upload it again');
    expect(failureReason(failure, '0B')).toContain('TypeError');
    expect(failureReason({ ...failure, errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 300.00 seconds' }, '0A')).toBe(
      'could not be processed after 3 attempts: it took longer than the function may run (is the file very large?); upload it again',
    );
    expect(failureReason({ condition: 'EventAgeExceeded', attempts: 1, errorType: 'NoSuchKey' }, '0A')).toBe('was not processed in time (1 attempt): the last attempt failed with NoSuchKey; upload it again');
  });

  it('whatever Lambda passes on, the reason holds no CPR number', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), arbitraryCprWriting, fc.boolean(), (type, text, cpr, ours) => {
        const errorMessage = ours ? JSON.stringify([{ sequencer: '1', reason: `${text}${cpr.written}` }]) : `${text}${cpr.written}`;
        const reason = failureReason({ condition: 'RetriesExhausted', attempts: 3, errorType: ours ? 'ObjectsFailedError' : `${type}${cpr.written}`, errorMessage }, '1');
        expect(cprsIn(reason, [dashed(cpr.digits)])).toEqual([]);
        expect(reason).toMatch(/; upload it again$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('forEachCreatedObject logs a bad key by its digest and throws the safe reason of each failed object', async () => {
    const lines: string[] = [];
    const key = 'reports/koege/2024-03/010190-1234.csv';
    const event = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key, sequencer: '0C' } } }] };
    const failing = forEachCreatedObject(event, createLogger('test', (line) => lines.push(line)), async () => {
      throw new Error(`cell "${key}"`);
    });
    await expect(failing).rejects.toThrow(ObjectsFailedError);
    const error = await failing.catch((e: Error) => e);
    expect(JSON.parse(error.message)).toEqual([{ sequencer: '0C', reason: 'an unexpected Error (details in the function logs)' }]);
    expect(lines.join('\n')).toContain(keyDigest(key));
    expect(cprsIn(lines.join('\n'), ['010190-1234'])).toEqual([]);
  });
});
