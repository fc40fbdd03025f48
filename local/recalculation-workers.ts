import { Worker } from 'node:worker_threads';
import type { RecalculationRequest } from '../shared/statements/recalculation-queue.ts';
import { addPlainMetrics, invocationMetricsOn, type PlainMetrics } from './invocation-metrics.ts';
import { recalculateRequests, type RecalculationProgress } from './recalculate-all.ts';

/**
 * Splits requests into `threads` shares, each partnership's requests whole and in
 * order in one share (its months lean on each other), the shares about equal.
 */
export function sharesOf(requests: readonly RecalculationRequest[], threads: number): RecalculationRequest[][] {
  const byPartnership = new Map<string, RecalculationRequest[]>();
  for (const request of requests) byPartnership.set(request.partnership, [...(byPartnership.get(request.partnership) ?? []), request]);
  const shares = Array.from({ length: Math.max(1, threads) }, () => [] as RecalculationRequest[]);
  for (const group of [...byPartnership.values()].sort((a, b) => b.length - a.length)) shares.reduce((least, share) => (share.length < least.length ? share : least)).push(...group);
  return shares.filter((share) => share.length > 0);
}

/**
 * recalculateRequests on `threads` worker threads at once, as Lambda runs one
 * function per SQS batch side by side: a bulk load's statements use every core.
 * Returns the partnerships whose recalculation failed; progress counts all threads.
 */
export async function recalculateInWorkers(requests: readonly RecalculationRequest[], threads: number, onProgress: RecalculationProgress = () => {}): Promise<string[]> {
  const shares = sharesOf(requests, threads);
  if (shares.length <= 1) return recalculateRequests(requests, onProgress);
  const done = shares.map(() => 0);
  const results = await Promise.all(
    shares.map(
      (share, i) =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(new URL('./recalculation-worker.ts', import.meta.url), { workerData: { requests: share, countMetrics: invocationMetricsOn() } });
          worker.on('message', (message: { done?: number; failed?: string[]; metrics?: PlainMetrics }) => {
            if (message.done !== undefined) {
              done[i] = message.done;
              onProgress(done.reduce((a, b) => a + b, 0), requests.length);
            }
            if (message.metrics) addPlainMetrics(message.metrics);
            if (message.failed) resolve(message.failed);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`recalculation thread stopped (${code}) before it finished`)));
        }),
    ),
  );
  return results.flat();
}
