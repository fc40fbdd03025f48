import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { powertoolsObservability } from '../../functions/middleware/powertools.ts';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { arbitraryCprWriting, cprSpellings, cprWritings } from '../support/cpr-spellings.ts';

/** A fictional CPR number (leading 0, so its 9-digit writings are fed too). */
const CPR = '0101901234';

/** What Lambda passes: a UUID request id with digit runs, which must reach the line intact. */
const context = {
  awsRequestId: '1a2b3c4d-1111-4222-8333-444455556666',
  functionName: 'Pbr-IngestFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:Pbr-IngestFunction',
  memoryLimitInMB: '1024',
  logGroupName: '/aws/lambda/Pbr-IngestFunction',
  logStreamName: '2024/01/01/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** Everything written to stdout and stderr while `run` runs. */
async function captured(run: () => Promise<unknown>): Promise<string> {
  let out = '';
  const capture = (chunk: unknown) => ((out += String(chunk)), true);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return out;
}

const jsonLines = (out: string) => out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

/** Logs a CPR writing every way a caller could: message, field, nested value, key, array, error, number. */
function logEveryWay(log: Logger, written: string): void {
  log.info(`participant ${written} not on the roster`, { participant: written, nested: { values: [written, { deeper: written }] }, [written]: 'as a key' });
  log.warn('a value', { error: new Error(`cell ${written} is not a date`) });
  log.error('a number', { value: Number(written.replace(/\D/g, '')) });
}

afterEach(() => vi.unstubAllEnvs());

describe('Lambda log lines (Powertools)', () => {
  it('carry the request id, the function and the cold start flag', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'); // as Lambda sets it; provisioned concurrency has no cold starts
    const { log, middleware } = await powertoolsObservability('ingest-report', {});
    const handler = middy().use(middleware).handler(async () => log.info('report accepted', { key: 'reports/koege/2024-01/jobvejen.csv', rows: 12 }));
    const lines = jsonLines(await captured(async () => {
      await handler({}, context);
      await handler({}, context);
    })).filter((line) => line.message === 'report accepted');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 'INFO', service: 'ingest-report', function_request_id: context.awsRequestId, function_name: context.functionName, key: 'reports/koege/2024-01/jobvejen.csv', rows: 12 });
    }
    expect(lines.map((line) => line.cold_start)).toEqual([true, false]);
  });

  it('never carry a CPR number, in any spelling, wherever it was put', async () => {
    const { log, middleware } = await powertoolsObservability('ingest-report', {});
    const handler = middy<string>().use(middleware).handler(async (written) => logEveryWay(log, written));
    const out = await captured(async () => {
      for (const written of cprWritings(CPR)) await handler(written, context);
    });
    expect(jsonLines(out).length).toBe(3 * cprWritings(CPR).length);
    for (const spelling of cprSpellings([CPR])) expect(out, JSON.stringify(spelling)).not.toContain(spelling);
    expect(out).toContain('<CPR number removed>');
    expect(out).toContain(context.awsRequestId);
  });

  it('take their level from POWERTOOLS_LOG_LEVEL', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    const { log, middleware } = await powertoolsObservability('api', {});
    const handler = middy().use(middleware).handler(async () => {
      log.info('routine');
      log.warn('worth a look');
    });
    const messages = jsonLines(await captured(() => handler({}, context))).map((line) => line.message);
    expect(messages).toContain('worth a look');
    expect(messages).not.toContain('routine');
  });
});

describe('local log lines (the stack and the CLI)', () => {
  it('are JSON on stderr, never on stdout (which carries results)', async () => {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      createLogger('ingest-report').info('report accepted', { rows: 3 });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(stdout).toBe('');
    expect(jsonLines(stderr)).toEqual([expect.objectContaining({ level: 'INFO', service: 'ingest-report', message: 'report accepted', rows: 3 })]);
  });

  it('never carry a CPR number however it is written (property)', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, ({ digits, written }) => {
        const lines: string[] = [];
        logEveryWay(createLogger('test', (line) => lines.push(line)), written);
        const text = lines.join('\n');
        for (const spelling of cprSpellings([digits])) expect(text).not.toContain(spelling);
        expect(text.normalize('NFKC').replace(/\D/g, '')).not.toContain(digits.replace(/^0/, ''));
      }),
    );
  });

  it('take their level from POWERTOOLS_LOG_LEVEL, as in Lambda', () => {
    const lines: string[] = [];
    const log = createLogger('test', (line) => lines.push(line), { POWERTOOLS_LOG_LEVEL: 'error' });
    log.info('routine');
    log.warn('worth a look');
    log.error('broken');
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['broken']);
  });
});
