/* The ports every upload handler needs: the bucket, and where refused keys are recorded. */

/** The bucket as the upload handlers see it: uploaded versions in, validation results out. */
export interface ReportBucket {
  /** The bytes of exactly this version of the object. */
  open(key: string, versionId: string | undefined): Promise<AsyncIterable<Uint8Array>>;
  putJson(key: string, value: unknown): Promise<void>;
}

/**
 * An upload whose key is not a valid report, contract or roster key (spec 2.4):
 * refused before anything of it is read, and named only by a digest of its key,
 * since the key itself may hold a CPR number (e.g. as the file name).
 */
export interface RejectedUpload {
  /** Set when the key's partnership part is a valid id; such uploads are listed with the partnership. */
  partnership?: string;
  /** First 16 hex characters of SHA-256 of the key. */
  keyDigest: string;
  versionId?: string;
  sequencer: string;
  processedAt: string;
  outcome: 'rejected';
  /** Why the key was refused; never quotes the key or its parts. */
  reason: string;
}

/** Where rejected uploads are recorded: per partnership when it is known, else in a list of their own. */
export interface RejectedUploadStore {
  /** Idempotent per (key, version). */
  recordRejectedUpload(upload: RejectedUpload): Promise<void>;
  /** A partnership's rejected uploads, or (without one) those whose partnership could not be read; newest first. */
  rejectedUploads(partnership?: string): Promise<RejectedUpload[]>;
}
