import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HoursStore, ReportVersionStatus } from '../ingest/ports.ts';
import type { ReportIdentity } from '../uploads/report-key.ts';
import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { sumWeeklyHours, type WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { batchWriteAll, type BatchWriteOptions } from './batch-write.ts';
import { commitIfNewer, putUnlessProcessed, queryAll, type Item } from './dynamodb-items.ts';

/*
 * Hours are stored as DynamoDB numbers in hours (7.5), readable in the console;
 * the domain counts integer hundredths. c / 100 is the double nearest the exact
 * decimal, so a round trip gives back the same hundredths.
 */
const storedHours = (centi: number): number => centi / 100;
const centiOfStored = (hours: number): number => (Number.isFinite(hours) ? Math.round(hours * 100) : NaN);

/*
 * One table, one partition per partnership (pk `PARTNERSHIP#p`):
 *   REPORT#month#source                         the current version of a report and its status
 *   VERSION#month#source#sequencer              every processed version's status (history; `failed` ones never become current)
 *   UPLOAD#digest#sequencer                     an upload whose key was refused (see dynamodb-rejected-uploads.ts)
 *   HOURS#month#source#sequencer#participant#week  one version's hours for one participant-week
 * Readers count an HOURS item only when its sequencer is its report's current one.
 */
export const partitionKey = (partnership: string) => `PARTNERSHIP#${partnership}`;
const reportPrefix = (r: ReportIdentity) => `${r.month}#${r.source}`;

/** DynamoDB adapter of the hours store: aggregated per participant-week, versioned per report. */
export class DynamoHoursStore implements HoursStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #batchOptions: BatchWriteOptions;

  constructor(client: DynamoDBDocumentClient, table: string, batchOptions: BatchWriteOptions = {}) {
    this.#client = client;
    this.#table = table;
    this.#batchOptions = batchOptions;
  }

  async currentSequencer(report: ReportIdentity): Promise<string | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: partitionKey(report.partnership), sk: `REPORT#${reportPrefix(report)}` },
        ConsistentRead: true,
        ProjectionExpression: 'sequencer',
      }),
    );
    return Item?.sequencer as string | undefined;
  }

  async putWeeks(report: ReportIdentity, sequencer: string, weeks: Iterable<WeeklyHours>): Promise<void> {
    const pk = partitionKey(report.partnership);
    const prefix = `HOURS#${reportPrefix(report)}#${sequencer}#`;
    const requests = Array.from(weeks, (week) => {
      const hours: Record<string, number> = {};
      week.centiHours.forEach((centi, i) => {
        if (centi !== 0) hours[ACTIVITIES[i]!] = storedHours(centi);
      });
      const item = { pk, sk: `${prefix}${week.participant}#${week.week}`, sequencer, participant: week.participant, week: week.week, hours, estimated: week.estimated };
      return { PutRequest: { Item: item } };
    });
    await batchWriteAll(this.#client, this.#table, requests, this.#batchOptions);
  }

  async commit(status: ReportVersionStatus): Promise<boolean> {
    const { current: _, ...fields } = status;
    const pointer = { ...fields, pk: partitionKey(status.partnership), sk: `REPORT#${reportPrefix(status)}` };
    return commitIfNewer(this.#client, this.#table, pointer, this.#versionItem(status));
  }

  async record(status: ReportVersionStatus): Promise<void> {
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: this.#versionItem(status) }));
  }

  recordUnlessProcessed(status: ReportVersionStatus): Promise<boolean> {
    return putUnlessProcessed(this.#client, this.#table, this.#versionItem(status));
  }

  async removeStale(report: ReportIdentity): Promise<number> {
    const current = await this.currentSequencer(report);
    if (current === undefined) return 0;
    const items = await this.#query(report.partnership, `HOURS#${reportPrefix(report)}#`, 'pk, sk, sequencer');
    // Only older versions: a newer one may be writing its hours right now, before its commit.
    const stale = items.filter((item) => (item.sequencer as string) < current);
    await batchWriteAll(
      this.#client,
      this.#table,
      stale.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
      this.#batchOptions,
    );
    return stale.length;
  }

  weeklyHours(partnership: string): Promise<WeeklyHours[]> {
    return this.#currentHours(partnership, this.#query(partnership, 'HOURS#'));
  }

  /**
   * The weekly hours from the reports of months `fromMonth`–`toMonth` only (a key
   * range: the API's window reads a quarter, not five years). A week that spans a
   * month's end is whole only when both months are in the range.
   */
  weeklyHoursOfMonths(partnership: string, fromMonth: string, toMonth: string): Promise<WeeklyHours[]> {
    return this.#currentHours(partnership, this.#between(partnership, `HOURS#${fromMonth}`, `HOURS#${toMonth}#\uffff`));
  }

  /** Months with a current report version, ascending: where the hours begin and end. */
  async reportMonths(partnership: string): Promise<string[]> {
    const reports = await this.#query(partnership, 'REPORT#', 'sk');
    return [...new Set(reports.map((report) => (report.sk as string).split('#')[1]!))].sort();
  }

  /** The HOURS items of current versions among `items`, summed per participant-week. */
  async #currentHours(partnership: string, items: Promise<Item[]>): Promise<WeeklyHours[]> {
    const [reports, hours] = await Promise.all([this.#query(partnership, 'REPORT#', 'sk, sequencer'), items]);
    const current = new Set(reports.map((report) => `${(report.sk as string).slice('REPORT#'.length)}#${report.sequencer}`));
    const counted = hours.filter((item) => {
      const [, month, source, sequencer] = (item.sk as string).split('#', 4);
      return current.has(`${month}#${source}#${sequencer}`);
    });
    return sumWeeklyHours(
      counted.map((item) => {
        const stored = item.hours as Record<string, number>;
        return {
          participant: item.participant as string,
          week: item.week as string,
          centiHours: ACTIVITIES.map((activity) => (stored[activity] === undefined ? 0 : centiOfStored(stored[activity]!))),
          estimated: item.estimated === true,
        };
      }),
    );
  }

  async reportStatuses(partnership: string): Promise<ReportVersionStatus[]> {
    const [reports, versions] = await Promise.all([
      this.#query(partnership, 'REPORT#', 'sk, sequencer'),
      this.#query(partnership, 'VERSION#'),
    ]);
    const current = new Set(reports.map((report) => `${(report.sk as string).slice('REPORT#'.length)}#${report.sequencer}`));
    return versions
      .map(({ pk: _pk, sk, ...status }) => ({
        ...(status as unknown as ReportVersionStatus),
        current: current.has((sk as string).slice('VERSION#'.length)),
      }))
      .sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source) || b.sequencer.localeCompare(a.sequencer));
  }

  #versionItem(status: ReportVersionStatus): Item & { outcome: string } {
    const { current: _, ...fields } = status;
    return { ...fields, pk: partitionKey(status.partnership), sk: `VERSION#${reportPrefix(status)}#${status.sequencer}` };
  }

  #query(partnership: string, prefix: string, projection?: string): Promise<Item[]> {
    return queryAll(this.#client, this.#table, partitionKey(partnership), prefix, projection);
  }

  #between(partnership: string, from: string, to: string): Promise<Item[]> {
    return queryAll(this.#client, this.#table, partitionKey(partnership), { from, to });
  }
}
