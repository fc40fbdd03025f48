import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPbr, startStackProcess, type StackProcess } from '../support/pbr-process.ts';

/** What `npm start` runs: the stack with the demo data uploaded through S3. */
let demo: StackProcess;

beforeAll(async () => {
  demo = await startStackProcess('demo', /^demo loaded/m);
});

afterAll(async () => {
  await demo?.stop();
});

describe('pbr demo (npm start)', () => {
  it('loads the demo through the ingest: weekly hours, a correction and a rejected row', async () => {
    const hours = await runPbr(['export-hours', '--partnership', 'koege', '--data', demo.dataDir]);
    expect(hours.code).toBe(0);
    expect(hours.stdout.trim().split('\n').length).toBeGreaterThan(20);
    const koege = await runPbr(['reports', '--partnership', 'koege', '--data', demo.dataDir]);
    expect(koege.stdout).toMatch(/2019-03 jobvejen {2}accepted, since replaced/);
    const holbaek = await runPbr(['reports', '--partnership', 'holbaek', '--data', demo.dataDir]);
    expect(holbaek.stdout).toContain('line 5: column "hours": "abc" is not a number of hours');
  });

  it('stops everything on Ctrl-C', async () => {
    await demo.stop();
    const after = await runPbr(['export-hours', '--partnership', 'koege', '--data', demo.dataDir]);
    expect(after.stderr).toContain('no local stack is running');
  });
});
