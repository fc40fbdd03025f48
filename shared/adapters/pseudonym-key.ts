import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createPseudonymiser } from '../cpr-numbers.ts';

/**
 * The HMAC key for CPR pseudonyms (spec 2.4): from Secrets Manager in the cloud
 * (PSEUDONYM_SECRET_ARN), from PBR_PSEUDONYM_KEY locally. Fails loudly when
 * neither is configured: a missing key must never mean unpseudonymised data.
 */
export async function loadPseudonymKey(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.PSEUDONYM_SECRET_ARN) {
    const secrets = new SecretsManagerClient({});
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: env.PSEUDONYM_SECRET_ARN }));
    if (!SecretString) throw new Error('the pseudonym key secret is empty');
    return SecretString;
  }
  if (env.PBR_PSEUDONYM_KEY) return env.PBR_PSEUDONYM_KEY;
  throw new Error('no pseudonym key: set PSEUDONYM_SECRET_ARN (AWS) or PBR_PSEUDONYM_KEY (local)');
}

let cached: Promise<(participant: string) => string> | undefined;

/**
 * The pseudonymiser of this process, made once from the configured key (a
 * Lambda container fetches its secret on the first event only).
 */
export function environmentPseudonymiser(): Promise<(participant: string) => string> {
  cached ??= loadPseudonymKey().then(createPseudonymiser);
  return cached;
}
