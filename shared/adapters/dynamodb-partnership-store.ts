import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InputVersionRef, InputVersionStatus, PartnershipCareers, PartnershipStore, PartnershipSummary, StoredStatement } from '../partnerships/ports.ts';
import type { InputKind } from '../uploads/input-key.ts';
import type { Contract } from '../simulation/contract.ts';
import type { ProjectedBands } from '../simulation/own-backtest.ts';
import type { ProjectionPrior } from '../simulation/projection-prior.ts';
import type { RosterEntry } from '../simulation/roster-entry.ts';
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
 */
const REGISTRY = 'PARTNERSHIPS';
const CAREERS = 'CAREERS';
const PRIORS = 'PRIORS';
const pointerKey = (kind: InputKind) => kind.toUpperCase();

/** DynamoDB adapter of the partnership store. */
export class DynamoPartnershipStore implements PartnershipStore {
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

  async putStatement(partnership: string, month: string, stored: StoredStatement): Promise<boolean> {
    const stamp = stored.inputsStamp ?? '';
    try {
      await this.#client.send(
        new PutCommand({
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
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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
    return { ...status, pk: partitionKey(status.partnership), sk: `INPUT#${status.kind}#${status.sequencer}` };
  }

  async #get(pk: string, sk: string): Promise<Item | undefined> {
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#table, Key: { pk, sk }, ConsistentRead: true }));
    return Item;
  }
}
