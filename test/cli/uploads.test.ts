import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitForStatus } from '../../cli/uploads.ts';

let stderr = '';
const capture = () => vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));

afterEach(() => {
  vi.restoreAllMocks();
  stderr = '';
});

describe('waitForStatus', () => {
  it('returns the status as soon as it is found', async () => {
    capture();
    let calls = 0;
    const found = await waitForStatus(async () => (++calls === 3 ? { outcome: 'accepted' } : undefined), 60, 'pbr reports --partnership p');
    expect(found).toEqual({ outcome: 'accepted' });
    expect(calls).toBe(3);
    expect(stderr).toContain('waiting up to 60 s');
  });

  it('on timeout, says the processing may still finish and how to check', async () => {
    capture();
    const started = Date.now();
    expect(await waitForStatus(async () => undefined, 1, 'pbr reports --partnership p')).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(stderr).toMatch(/no status after 1 s: .*may still finish; check with pbr reports --partnership p\n$/);
  });
});
