import { Readable } from 'node:stream';
import middy from '@middy/core';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { powertoolsObservability } from '../../functions/middleware/powertools.ts';
import { EventBridgeEvents } from '../../shared/adapters/eventbridge-events.ts';
import { PIPELINE_EVENT_SOURCE, type PipelineEvent } from '../../shared/events.ts';
import { ingestReport, type IngestDependencies } from '../../shared/ingest/ingest-report.ts';
import type { HoursStore } from '../../shared/ingest/ports.ts';
import { createLogger } from '../../shared/logger.ts';
import { COUNT_METRICS, DURATION_METRICS, type Metrics } from '../../shared/metrics.ts';
import { recalculatePartnership } from '../../shared/statements/recalculate-partnership.ts';
import { statementKey } from '../../shared/statements/recalculate-statement.ts';
import { testContract } from '../simulation/builders.ts';
import { recalculationWorld } from '../statements/recalculation-world.ts';

const context = { awsRequestId: 'req-1', functionName: 'Pbr-Recalculate', invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:Pbr-Recalculate', memoryLimitInMB: '1024', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

/** EMF documents printed to stdout while `run` runs. */
async function emfDocuments(run: () => Promise<unknown>) {
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  try {
    await run();
  } finally {
    stdout.mockRestore();
  }
  type Emf = { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } } & Record<string, unknown>;
  return out.split('\n').filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Emf);
}

/** A Metrics port that remembers every call, to see what a use case records. */
function recordingMetrics() {
  const counts: { name: string; n: number; reason?: string }[] = [];
  const durations: { name: string; ms: number }[] = [];
  const metrics: Metrics = { count: (name, n, dims) => void counts.push({ name, n, ...(dims ? { reason: dims.Reason } : {}) }), duration: (name, ms) => void durations.push({ name, ms }) };
  return { metrics, counts, durations };
}

afterEach(() => vi.unstubAllEnvs());

describe('metrics in Lambda are EMF with the documented names', () => {
  it('counts, counts by reason and durations reach stdout in the namespace, with the service dimension', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'PbrPartnerships/Test');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { metrics, middleware } = await powertoolsObservability('recalculate-statement', {});
    const handler = middy().use(middleware).handler(async () => {
      metrics.count('StatementsComputed', 2);
      metrics.count('ProjectionRuns', 2000);
      metrics.count('RowsRejected', 3, { Reason: 'hours-invalid' });
      metrics.duration('RecalculationDuration', 1234.5);
    });
    const documents = await emfDocuments(() => handler({}, context));
    const all = documents.flatMap((doc) => doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => ({ ...m, namespace: d.Namespace, dimensions: d.Dimensions.flat(), value: doc[m.Name], service: doc.service, reason: doc.Reason }))));
    const byName = (name: string) => all.find((metric) => metric.Name === name);
    expect(byName('StatementsComputed')).toMatchObject({ Unit: 'Count', value: 2, namespace: 'PbrPartnerships/Test', dimensions: ['service'], service: 'recalculate-statement' });
    expect(byName('ProjectionRuns')).toMatchObject({ Unit: 'Count', value: 2000 });
    expect(byName('RowsRejected')).toMatchObject({ Unit: 'Count', value: 3, dimensions: expect.arrayContaining(['service', 'Reason']), reason: 'hours-invalid' });
    expect(byName('RecalculationDuration')).toMatchObject({ Unit: 'Milliseconds', value: 1234.5 });
    expect(byName('ColdStart')).toMatchObject({ value: 1 });
  });
});

describe('the use cases record metrics and announce events', () => {
  it('a recalculation: statements computed, then unchanged; projection runs; its duration; one event per statement published', async () => {
    const contract = testContract();
    const w = recalculationWorld(contract);
    const { metrics, counts, durations } = recordingMetrics();
    const published: PipelineEvent[] = [];
    const deps = { ...w.deps, runs: 20, metrics, events: { publish: async (event: PipelineEvent) => void published.push(event) } };
    await recalculatePartnership({ partnership: contract.partnership, asOf: ['2024-02', '2024-03'] }, deps);
    await recalculatePartnership({ partnership: contract.partnership, asOf: ['2024-03'] }, deps);
    expect(counts.filter((c) => c.name !== 'ProjectionRuns')).toEqual([
      { name: 'StatementsComputed', n: 1 },
      { name: 'StatementsComputed', n: 1 },
      { name: 'StatementsUnchanged', n: 1 },
    ]);
    expect(counts.filter((c) => c.name === 'ProjectionRuns').every((c) => c.n === 20)).toBe(true);
    expect(durations.map((d) => d.name)).toEqual(['RecalculationDuration', 'RecalculationDuration']);
    for (const { ms } of durations) expect(ms).toBeGreaterThan(0);
    expect(published.map((e) => e.type)).toEqual(['Statement published', 'Statement published']);
    expect(published[1]!.detail).toMatchObject({ partnership: contract.partnership, asOf: '2024-03', jsonKey: statementKey(contract.partnership, '2024-03', 'json'), csvKey: statementKey(contract.partnership, '2024-03', 'csv') });
    for (const { detail } of published) expect(w.published.has((detail as { jsonKey: string }).jsonKey)).toBe(true);
  });

  /** The ingest over stand-in stores: `csv` is the uploaded timesheet. */
  async function ingest(csv: string) {
    const { metrics, counts } = recordingMetrics();
    const published: PipelineEvent[] = [];
    const store = { currentSequencer: async () => undefined, putWeeks: async () => {}, commit: async () => true, record: async () => {}, removeStale: async () => 0 } as Partial<HoursStore> as HoursStore;
    const deps: IngestDependencies = {
      bucket: { open: async () => Readable.from([Buffer.from(csv)]), putJson: async () => {} },
      store,
      rejectedUploads: { record: async () => {} } as unknown as IngestDependencies['rejectedUploads'],
      pseudonymise: (participant) => participant,
      log: createLogger('test', () => {}),
      metrics,
      events: { publish: async (event) => void published.push(event) },
    };
    const outcome = await ingestReport({ key: 'reports/koege/2024-01/jobvejen.csv', versionId: 'v1', sequencer: '0A' }, deps);
    return { outcome, counts, published };
  }

  it('an accepted report: one ReportsAccepted, rejected rows counted by reason code', async () => {
    const { outcome, counts, published } = await ingest(['participant,date,hours,activity', 'P1,2024-01-15,7,training', 'P1,2024-01-16,lots,training', 'P2,2024-01-16,x,training', 'P2,2024-01-17,3,juggling'].join('\n'));
    expect(outcome).toBe('accepted');
    expect(counts).toEqual([
      { name: 'ReportsAccepted', n: 1 },
      { name: 'RowsRejected', n: 2, reason: 'hours-invalid' },
      { name: 'RowsRejected', n: 1, reason: 'activity-unknown' },
    ]);
    expect(published).toEqual([]);
  });

  it('a report rejected whole: ReportsRejected with its reason code, and an Upload rejected event', async () => {
    const { outcome, counts, published } = await ingest('participant,date\nP1,2024-01-15\n');
    expect(outcome).toBe('rejected');
    expect(counts).toEqual([{ name: 'ReportsRejected', n: 1, reason: 'header-missing-columns' }]);
    expect(published).toEqual([
      { type: 'Upload rejected', detail: expect.objectContaining({ partnership: 'koege', month: '2024-01', source: 'jobvejen', key: 'reports/koege/2024-01/jobvejen.csv', reasonCode: 'header-missing-columns' }) },
    ]);
  });

  it('every metric the use cases record is one of the documented names', () => {
    expect(Object.keys(COUNT_METRICS).sort()).toEqual(['ProjectionRuns', 'ReportsAccepted', 'ReportsRejected', 'RowsRejected', 'StatementsComputed', 'StatementsUnchanged']);
    expect(Object.keys(DURATION_METRICS)).toEqual(['RecalculationDuration']);
  });
});

describe('pipeline events on EventBridge', () => {
  const event: PipelineEvent = { type: 'Statement published', detail: { partnership: 'koege', asOf: '2024-03', jsonKey: 'statements/koege/2024-03.json', csvKey: 'statements/koege/2024-03.csv', computedAt: '2024-04-01T06:00:00.000Z' } };

  it('are put on the named bus with the source and the type as detail-type', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    await new EventBridgeEvents(new EventBridgeClient({ region: 'eu-north-1' }), 'default', createLogger('test', () => {})).publish(event);
    expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      { Entries: [{ EventBusName: 'default', Source: PIPELINE_EVENT_SOURCE, DetailType: 'Statement published', Detail: JSON.stringify(event.detail) }] },
    ]);
    eventBridge.restore();
  });

  it('never fail the work they announce: a refused or failed put is logged', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    const lines: string[] = [];
    const events = new EventBridgeEvents(new EventBridgeClient({ region: 'eu-north-1' }), 'default', createLogger('test', (line) => lines.push(line)));
    eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] }).rejectsOnce(new Error('network down'));
    await expect(events.publish(event)).resolves.toBeUndefined();
    await expect(events.publish(event)).resolves.toBeUndefined();
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'pipeline event not published', errorCode: 'ThrottlingException' }),
      expect.objectContaining({ level: 'WARN', message: 'pipeline event not published', error: 'Error' }),
    ]);
    eventBridge.restore();
  });
});
