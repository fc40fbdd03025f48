import { execFileSync } from 'node:child_process';

/** The environment variable that carries the code version into the functions (a statement's manifest names it). */
export const CODE_VERSION_ENV = 'PBR_CODE_VERSION';

/**
 * The short git revision of the checkout in `directory`, read where the code is
 * built (CDK synth) or started (the local stack); `unknown` outside a git checkout.
 */
export function gitRevision(directory: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
