import { parentPort, workerData } from 'node:worker_threads';
import { instrumentAwsClients } from '../shared/adapters/aws-clients.ts';
import type { RecalculationRequest } from '../shared/statements/recalculation-queue.ts';
import { instrumentClient, startInvocationMetrics, plainMetrics } from './invocation-metrics.ts';

/*
 * One thread of recalculateInWorkers: runs its share of the requests through the
 * recalculation handler (recalculateRequests), telling the parent how many are
 * done, then which partnerships failed and, when the parent counts, what it counted.
 */
const { requests, countMetrics } = workerData as { requests: RecalculationRequest[]; countMetrics: boolean };
const metrics = countMetrics ? startInvocationMetrics() : undefined;
if (metrics) instrumentAwsClients(instrumentClient);
const { recalculateRequests } = await import('./recalculate-all.ts');
const failed = await recalculateRequests(requests, (done) => parentPort!.postMessage({ done }));
parentPort!.postMessage({ failed, metrics: metrics ? plainMetrics(metrics) : undefined });
