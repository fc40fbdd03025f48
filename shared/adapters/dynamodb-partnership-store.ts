import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InputVersionRef, InputVersionStatus, PartnershipCareers, PartnershipStore, PartnershipSummary, StoredStatement } from '../partnerships/ports.ts';
import type { InputKind } from '../uploads/input-key.ts';
import type { Contract } from '../simulation/contract.ts';
import type { ProjectedBands } from '../simulation/own-backtest.ts';
import type { ProjectionPrior } from '../simulation/projection-prior.ts';
import type { RosterEntry } from '../simulation/roster-entry.ts';
import { summaryAfterPut, type StatementSummary, type StatementSummaryReader } from '../statements/statement-summary.ts';
import { commitIfNewer, putUnlessProcessed, queryAll, type Item } from './dynamodb-items.ts';
import { partitionKey } from './dynamodb-hours-store.ts';

/*
 * Beside the hours, in the same table:
 *   PARTNERSHIPS / <id>                      registry of partnerships with a valid contract (for the monthly fan-out and access control)
 *   PARTNERSHIP#p / CONTRACT | ROSTER        the current validated version (roster entries already pseudonymised)
 *   PARTNERSHIP#p / INPUT#kind#sequencer     every uploaded version's status
 *   PARTNERSHIP#p / STATEMENT#YYYY-MM        the statement as of a month (gzipped JSON), its inputs hash and its
 *                                            manifest, baseline and adjustments (gzipped JSON `audit`)
 *   CAREERS / <id>                           the partnership's career counts (gzipped JSON), pooled into the
 *                                            programme-wide prior: one query reads them all
 *   PARTNERSHIP#p / BANDS#YYYY-MM            the statement's projected net band by month (own-backtest.ts)
 *   PRIORS / <digest>                        a prior statements were projected with (gzipped JSON), by the
 *                                            digest their manifests name
 *   SUMMARIES / <id>                         the statement months and the newest statement's headline
 *                                            (statement-summary.ts), written in one transaction with each
 *                                            statement: the partnership list reads them all with one query
 */
const REGISTRY = 'PARTNERSHIPS';
const SUMMARIES = 'SUMMARIES';
/** Problems kept on a contract's or roster's status item: a roster of thousands of bad rows would pass DynamoDB's 400 KB item limit. */
export const MAX_STORED_PROBLEMS = 100;

/** The first MAX_STORED_PROBLEMS problems, and a last line saying how many more there were and where to see them. */
function keptProblems(problems: string[]): string[] {
  if (problems.length <= MAX_STORED_PROBLEMS) return problems;
  const more = problems.length - MAX_STORED_PROBLEMS;
  return [...problems.slice(0, MAX_STORED_PROBLEMS), `… and ${more} more problems, not kept here: pbr upload-roster / upload-contract lists every one before uploading`];
}

/** Tries of a statement put with its summary before giving up (another put of the same partnership changed the summary each time). */
const SUMMARY_TRIES = 5;
const CAREERS = 'CAREERS';
const PRIORS = 'PRIORS';
const pointerKey = (kind: InputKind) => kind.toUpperCase();

/** DynamoDB adapter of the partnership store. */
export class DynamoPartnershipStore implements PartnershipStore, StatementSummaryReader {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  async currentInputSequencer(partnership: string, kind: InputKind): Promise<string | undefined> {
    return (await this.#get(partitionKey(partnership), pointerKey(kind)))?.sequencer as string | undefined;
  }

  async currentInput(partnership: string, kind: InputKind): Promise<InputVersionRef | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: { pk: partitionKey(partnership), sk: pointerKey(kind) }, ConsistentRead: true, ProjectionExpression: '#k, versionId, sequencer', ExpressionAttributeNames: { '#k': 'key' } }),
    );
    // Pointers written before keys were kept carry only the sequencer.
    if (!Item?.key) return undefined;
    return { key: Item.key as string, ...(Item.versionId ? { versionId: Item.versionId as string } : {}), sequencer: Item.sequencer as string };
  }

  async commitContract(status: InputVersionStatus, contract: Contract): Promise<boolean> {
    const committed = await this.#commit(status, { contract });
    if (committed) {
      const summary: PartnershipSummary = { partnership: contract.partnership, name: contract.name, municipality: contract.municipality };
      await this.#client.send(new PutCommand({ TableName: this.#table, Item: { pk: REGISTRY, sk: contract.partnership, ...summary } }));
    }
    return committed;
  }

  commitRoster(status: InputVersionStatus, roster: RosterEntry[]): Promise<boolean> {
    return this.#commit(status, { roster });
  }

  async recordInput(status: InputVersionStatus): Promise<void> {
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: this.#statusItem(status) }));
  }

  recordInputUnlessProcessed(status: InputVersionStatus): Promise<boolean> {
    return putUnlessProcessed(this.#client, this.#table, this.#statusItem(status));
  }

  async inputStatuses(partnership: string): Promise<InputVersionStatus[]> {
    const items = await queryAll(this.#client, this.#table, partitionKey(partnership), 'INPUT#');
    return items.map(({ pk: _pk, sk: _sk, ...status }) => status as unknown as InputVersionStatus).sort((a, b) => b.sequencer.localeCompare(a.sequencer));
  }

  async contract(partnership: string): Promise<Contract | undefined> {
    return (await this.#get(partitionKey(partnership), pointerKey('contract')))?.contract as Contract | undefined;
  }

  async roster(partnership: string): Promise<RosterEntry[]> {
    return ((await this.#get(partitionKey(partnership), pointerKey('roster')))?.roster as RosterEntry[] | undefined) ?? [];
  }

  async partnerships(): Promise<PartnershipSummary[]> {
    const items = await queryAll(this.#client, this.#table, REGISTRY, '');
    return items.map(({ partnership, name, municipality }) => ({ partnership, name, municipality }) as PartnershipSummary);
  }

  async statement(partnership: string, month: string): Promise<StoredStatement | undefined> {
    const item = await this.#get(partitionKey(partnership), `STATEMENT#${month}`);
    if (!item) return undefined;
    const statement = JSON.parse(gunzipSync(item.body as Uint8Array).toString('utf8'));
    const audit = item.audit ? JSON.parse(gunzipSync(item.audit as Uint8Array).toString('utf8')) : {};
    const stamp = item.inputsStamp ? { inputsStamp: item.inputsStamp as string } : {};
    return { statement, inputsHash: item.inputsHash as string, computedAt: item.computedAt as string, ...audit, ...stamp };
  }

  /**
   * The statement and its partnership's summary in one transaction: the statement
   * on condition of its stamp (an older recalculation loses: false), the summary
   * on condition that nobody changed it since it was read (again, when someone
   * did). So the list's headline never misses a statement that was stored, even
   * if the function stops between two writes.
   */
  async putStatement(partnership: string, month: string, stored: StoredStatement): Promise<boolean> {
    const stamp = stored.inputsStamp ?? '';
    const statement = {
      Put: {
        TableName: this.#table,
        // Gzipped JSON: a large partnership's statement (every outcome, monthly bands) would pass DynamoDB's 400 KB item limit.
        Item: {
          pk: partitionKey(partnership),
          sk: `STATEMENT#${month}`,
          month,
          body: gzipSync(JSON.stringify(stored.statement)),
          audit: gzipSync(JSON.stringify({ manifest: stored.manifest, baseline: stored.baseline, adjustments: stored.adjustments })),
          inputsHash: stored.inputsHash,
          computedAt: stored.computedAt,
          inputsStamp: stamp,
        },
        // Ordered by the inputs read (spec 8): a statement from older inputs never replaces one from newer.
        ConditionExpression: 'attribute_not_exists(inputsStamp) OR inputsStamp <= :stamp',
        ExpressionAttributeValues: { ':stamp': stamp },
      },
    };
    for (let attempt = 0; attempt < SUMMARY_TRIES; attempt++) {
      const item = await this.#get(SUMMARIES, partnership);
      const before = item && { partnership, months: item.months as string[], latest: item.latest as StatementSummary['latest'] };
      const { months, latest } = summaryAfterPut(before, partnership, month, stored);
      const summary = {
        Put: {
          TableName: this.#table,
          Item: { pk: SUMMARIES, sk: partnership, months, latest, revision: ((item?.revision as number | undefined) ?? 0) + 1 },
          ConditionExpression: item ? 'revision = :before' : 'attribute_not_exists(pk)',
          ...(item ? { ExpressionAttributeValues: { ':before': item.revision } } : {}),
        },
      };
      try {
        await this.#client.send(new TransactWriteCommand({ TransactItems: [statement, summary] }));
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [statementReason, summaryReason] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (statementReason === 'ConditionalCheckFailed') return false;
        // the summary changed since it was read, or another transaction holds it right now: read it again
        if (summaryReason !== 'ConditionalCheckFailed' && !(error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')) throw error;
      }
    }
    throw new Error(`the statement summary of ${partnership} changed under every one of ${SUMMARY_TRIES} tries`);
  }

  async statementSummaries(): Promise<StatementSummary[]> {
    const items = await queryAll(this.#client, this.#table, SUMMARIES, '', 'sk, months, latest');
    return items.map((item) => ({ partnership: item.sk as string, months: item.months as string[], latest: item.latest as StatementSummary['latest'] }));
  }

  async careerCounts(): Promise<PartnershipCareers[]> {
    const items = await queryAll(this.#client, this.#table, CAREERS, '');
    return items.map((item) => ({ partnership: item.sk as string, asOf: item.asOf as string, counts: JSON.parse(gunzipSync(item.counts as Uint8Array).toString('utf8')) }));
  }

  async putCareerCounts({ partnership, asOf, counts }: PartnershipCareers): Promise<void> {
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: { pk: CAREERS, sk: partnership, asOf, counts: gzipSync(JSON.stringify(counts)) } }));
  }

  async projectionBands(partnership: string): Promise<ProjectedBands[]> {
    const items = await queryAll(this.#client, this.#table, partitionKey(partnership), 'BANDS#', 'sk, bands');
    return items.map((item) => JSON.parse(item.bands as string) as ProjectedBands).sort((a, b) => (a.asOf < b.asOf ? -1 : 1));
  }

  async putProjectionBands(partnership: string, bands: ProjectedBands): Promise<void> {
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: { pk: partitionKey(partnership), sk: `BANDS#${bands.asOf}`, bands: JSON.stringify(bands) } }));
  }

  async prior(digest: string): Promise<ProjectionPrior | undefined> {
    const item = await this.#get(PRIORS, digest);
    return item ? (JSON.parse(gunzipSync(item.prior as Uint8Array).toString('utf8')) as ProjectionPrior) : undefined;
  }

  async putPrior(digest: string, prior: ProjectionPrior): Promise<void> {
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: { pk: PRIORS, sk: digest, prior: gzipSync(JSON.stringify(prior)) } }));
  }

  async statementMonths(partnership: string): Promise<string[]> {
    const items = await queryAll(this.#client, this.#table, partitionKey(partnership), 'STATEMENT#', 'sk');
    return items.map((item) => (item.sk as string).slice('STATEMENT#'.length)).sort();
  }

  #commit(status: InputVersionStatus, value: Item): Promise<boolean> {
    const pointer = { pk: partitionKey(status.partnership), sk: pointerKey(status.kind), sequencer: status.sequencer, versionId: status.versionId, key: status.key, ...value };
    return commitIfNewer(this.#client, this.#table, pointer, this.#statusItem(status));
  }

  #statusItem(status: InputVersionStatus): Item & { outcome: string } {
    return { ...status, problems: keptProblems(status.problems), pk: partitionKey(status.partnership), sk: `INPUT#${status.kind}#${status.sequencer}` };
  }

  async #get(pk: string, sk: string): Promise<Item | undefined> {
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#table, Key: { pk, sk }, ConsistentRead: true }));
    return Item;
  }
}
