import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, EU_REGIONS } from '../infra/app.ts';

/** cfn-lint is a Python tool (`pip install cfn-lint`); where it is missing the check is skipped, saying so. */
const CFN_LINT = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const HAS_CFN_LINT = CFN_LINT.status === 0;
if (!HAS_CFN_LINT) console.warn('test/infra-cfn-lint.test.ts skipped: cfn-lint is not installed (pip install cfn-lint)');

describe('cfn-lint on the synthesized templates', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pbr-cfn-lint-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it.skipIf(!HAS_CFN_LINT)(`reports no error and no warning${HAS_CFN_LINT ? '' : ' (skipped: cfn-lint is not installed; pip install cfn-lint)'}`, () => {
    // Bundling skipped: lint looks at resources and properties, not at the code inside the assets.
    buildApp({ 'aws:cdk:bundling-stacks': [], region: 'eu-north-1' }, outdir).app.synth();
    const templates = readdirSync(outdir).filter((name) => name.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThan(0);
    // Checked against every region the stack may be deployed to (resource types and properties differ by region).
    // Exit status 0 only without errors, warnings or informational findings; the output names each finding.
    const lint = spawnSync('cfn-lint', ['--regions', ...EU_REGIONS, '--', ...templates.map((name) => join(outdir, name))], { encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
    expect(lint.status).toBe(0);
  }, 180_000);
});
