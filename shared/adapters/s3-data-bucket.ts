import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ReportBucket } from '../uploads/ports.ts';
import type { StatementOutput } from '../statements/recalculate-statement.ts';

/** How long a presigned upload URL is valid: long enough for a slow connection, short enough that a leaked URL soon expires. */
const UPLOAD_URL_SECONDS = 900;

/** The data bucket (on S3 or s3rver) as the use cases see it: uploads in, results and statements out, presigned uploads. */
export class S3DataBucket implements ReportBucket, StatementOutput {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async open(key: string, versionId: string | undefined): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key, VersionId: versionId }));
    if (!response.Body) throw new Error(`s3://${this.#bucket}/${key} has no body`);
    return response.Body as AsyncIterable<Uint8Array>;
  }

  putJson(key: string, value: unknown): Promise<void> {
    return this.putText(key, JSON.stringify(value, null, 2), 'application/json; charset=utf-8');
  }

  async putText(key: string, text: string, contentType: string): Promise<void> {
    await this.#s3.send(new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: text, ContentType: contentType }));
  }

  /**
   * A URL that lets its holder PUT this one key with this content type (the
   * portal's timesheet upload). It carries the signer's rights, which is why the
   * API function may write under `reports/` only.
   */
  async presignUpload(key: string, contentType: string): Promise<{ url: string; expiresIn: number }> {
    const command = new PutObjectCommand({ Bucket: this.#bucket, Key: key, ContentType: contentType });
    return { url: await getSignedUrl(this.#s3, command, { expiresIn: UPLOAD_URL_SECONDS }), expiresIn: UPLOAD_URL_SECONDS };
  }
}
