import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RejectedUpload, RejectedUploadStore } from '../uploads/ports.ts';
import { partitionKey } from './dynamodb-hours-store.ts';
import { queryAll } from './dynamodb-items.ts';

/*
 * Uploads whose key was refused (spec 2.4), beside the rest in the same table:
 *   PARTNERSHIP#p      / UPLOAD#digest#sequencer   the key's partnership part is a valid id
 *   REJECTED-UPLOADS   / UPLOAD#digest#sequencer   it is not: a partition of their own
 * The key itself is never stored, only its digest.
 */
export const UNREADABLE_PARTITION = 'REJECTED-UPLOADS';
const PREFIX = 'UPLOAD#';

/** DynamoDB adapter of the rejected-upload store. */
export class DynamoRejectedUploads implements RejectedUploadStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  async recordRejectedUpload(upload: RejectedUpload): Promise<void> {
    const pk = upload.partnership === undefined ? UNREADABLE_PARTITION : partitionKey(upload.partnership);
    await this.#client.send(new PutCommand({ TableName: this.#table, Item: { ...upload, pk, sk: `${PREFIX}${upload.keyDigest}#${upload.sequencer}` } }));
  }

  async rejectedUploads(partnership?: string): Promise<RejectedUpload[]> {
    const pk = partnership === undefined ? UNREADABLE_PARTITION : partitionKey(partnership);
    const items = await queryAll(this.#client, this.#table, pk, PREFIX);
    return items
      .map(({ pk: _pk, sk: _sk, ...upload }) => upload as unknown as RejectedUpload)
      .sort((a, b) => b.processedAt.localeCompare(a.processedAt));
  }
}
