import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * What a load costs in AWS terms, counted where the local stack runs the Lambda
 * handlers in process (bench/national-load.ts): invocations and their durations per
 * function, and each function's DynamoDB and S3 requests (with the capacity DynamoDB
 * Local reports), the largest item and the largest API response. Off unless a
 * benchmark turns it on: then every handler the stack (or `pbr load`'s statements)
 * calls goes through `localHandler`, and every AWS client through `instrumentClient`.
 */

/** One function's invocations. */
export interface FunctionFigures {
  invocations: number;
  errors: number;
  /** Each invocation's wall time, ms. */
  durations: number[];
}

/** One AWS service's requests made by one caller (a function, or `client` outside any). */
export interface ServiceFigures {
  requests: Record<string, number>;
  /** DynamoDB: items written and read (batch items counted one by one). */
  itemsWritten: number;
  itemsRead: number;
  /** DynamoDB: capacity units DynamoDB Local reported (ReturnConsumedCapacity TOTAL). */
  writeUnits: number;
  readUnits: number;
  /** S3: bytes of objects put. */
  bytesPut: number;
}

/** Everything counted while metrics are on: per function, per caller and service, and the largest item and API response. */
export interface InvocationMetrics {
  functions: Map<string, FunctionFigures>;
  /** Keyed `caller service`, e.g. `ingest-report dynamodb`. */
  services: Map<string, ServiceFigures>;
  largestItemBytes: number;
  largestItemKey: string;
  largestApiResponseBytes: number;
  largestApiResponseRoute: string;
}

let metrics: InvocationMetrics | undefined;
const caller = new AsyncLocalStorage<string>();

/** Starts counting (a benchmark calls it before the stack starts); returns the figures, filled in as the stack runs. */
export function startInvocationMetrics(): InvocationMetrics {
  metrics = { functions: new Map(), services: new Map(), largestItemBytes: 0, largestItemKey: '', largestApiResponseBytes: 0, largestApiResponseRoute: '' };
  return metrics;
}

/** True while a benchmark counts: worker threads then count too and send their figures back. */
export function invocationMetricsOn(): boolean {
  return metrics !== undefined;
}

/** The figures as a worker thread posts them (structured-clone friendly). */
export type PlainMetrics = Omit<InvocationMetrics, 'functions' | 'services'> & { functions: [string, FunctionFigures][]; services: [string, ServiceFigures][] };

/** A thread's figures, to post to the parent. */
export function plainMetrics(m: InvocationMetrics): PlainMetrics {
  return { ...m, functions: [...m.functions], services: [...m.services] };
}

/** Adds a worker thread's figures to this thread's. */
export function addPlainMetrics(plain: PlainMetrics): void {
  if (!metrics) return;
  for (const [name, figures] of plain.functions) {
    const mine = metrics.functions.get(name) ?? { invocations: 0, errors: 0, durations: [] };
    metrics.functions.set(name, { invocations: mine.invocations + figures.invocations, errors: mine.errors + figures.errors, durations: [...mine.durations, ...figures.durations] });
  }
  for (const [key, figures] of plain.services) {
    const mine = metrics.services.get(key) ?? { requests: {}, itemsWritten: 0, itemsRead: 0, writeUnits: 0, readUnits: 0, bytesPut: 0 };
    for (const [command, count] of Object.entries(figures.requests)) mine.requests[command] = (mine.requests[command] ?? 0) + count;
    for (const field of ['itemsWritten', 'itemsRead', 'writeUnits', 'readUnits', 'bytesPut'] as const) mine[field] += figures[field];
    metrics.services.set(key, mine);
  }
  if (plain.largestItemBytes > metrics.largestItemBytes) [metrics.largestItemBytes, metrics.largestItemKey] = [plain.largestItemBytes, plain.largestItemKey];
  if (plain.largestApiResponseBytes > metrics.largestApiResponseBytes) [metrics.largestApiResponseBytes, metrics.largestApiResponseRoute] = [plain.largestApiResponseBytes, plain.largestApiResponseRoute];
}

/** The handler as the local stack calls it: timed and counted per function while metrics are on, untouched otherwise. */
export function localHandler<H extends (event: never, context: never) => Promise<unknown>>(name: string, handler: H): H {
  const wrapped = async (event: Parameters<H>[0], context: Parameters<H>[1]) => {
    if (!metrics) return handler(event, context);
    const figures = metrics.functions.get(name) ?? { invocations: 0, errors: 0, durations: [] };
    metrics.functions.set(name, figures);
    figures.invocations++;
    const started = performance.now();
    try {
      const result = await caller.run(name, () => handler(event, context));
      if (name === 'api') noteApiResponse(event, result);
      return result;
    } catch (error) {
      figures.errors++;
      throw error;
    } finally {
      figures.durations.push(performance.now() - started);
    }
  };
  return wrapped as H;
}

function noteApiResponse(event: unknown, result: unknown): void {
  const body = (result as { body?: string } | undefined)?.body;
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : 0;
  if (bytes > metrics!.largestApiResponseBytes) {
    metrics!.largestApiResponseBytes = bytes;
    metrics!.largestApiResponseRoute = (event as { rawPath?: string }).rawPath ?? '';
  }
}

function serviceFigures(service: string): ServiceFigures {
  const key = `${caller.getStore() ?? 'client'} ${service}`;
  let figures = metrics!.services.get(key);
  if (!figures) metrics!.services.set(key, (figures = { requests: {}, itemsWritten: 0, itemsRead: 0, writeUnits: 0, readUnits: 0, bytesPut: 0 }));
  return figures;
}

/** DynamoDB's size of an item, near enough: attribute names plus values as marshalled JSON (binary counted by its bytes). */
function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += name.length;
    const binary = value instanceof Uint8Array ? value : (value as { B?: unknown } | undefined)?.B;
    bytes += binary instanceof Uint8Array ? binary.length : JSON.stringify(value ?? null).length;
  }
  return bytes;
}

type Input = Record<string, unknown> & { ReturnConsumedCapacity?: string };
type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** Items a DynamoDB request writes or reads, and the largest it puts. */
function countDynamoItems(command: string, input: Input, output: Record<string, unknown>, figures: ServiceFigures): void {
  const puts: Record<string, unknown>[] = [];
  if (command === 'PutItemCommand') puts.push(input.Item as Record<string, unknown>);
  if (command === 'BatchWriteItemCommand') {
    for (const requests of Object.values(input.RequestItems as Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>)) {
      figures.itemsWritten += requests.length;
      for (const request of requests) if (request.PutRequest) puts.push(request.PutRequest.Item);
    }
  } else if (command === 'TransactWriteItemsCommand') {
    const items = input.TransactItems as { Put?: { Item: Record<string, unknown> } }[];
    figures.itemsWritten += items.length;
    for (const item of items) if (item.Put) puts.push(item.Put.Item);
  } else if (WRITES.has(command)) figures.itemsWritten++;
  if (command === 'GetItemCommand') figures.itemsRead += output.Item ? 1 : 0;
  if (command === 'QueryCommand' || command === 'ScanCommand') figures.itemsRead += (output.Count as number | undefined) ?? 0;
  for (const item of puts) {
    const bytes = itemBytes(item);
    const sk = item.sk as string | { S?: string } | undefined;
    // The sort key's kind (STATEMENT, HOURS, …), never the rest of it.
    if (bytes > metrics!.largestItemBytes) [metrics!.largestItemBytes, metrics!.largestItemKey] = [bytes, String(typeof sk === 'object' ? sk.S : sk).split('#')[0]!];
  }
  const consumed = ([] as Capacity[]).concat((output.ConsumedCapacity as Capacity | Capacity[] | undefined) ?? []);
  for (const capacity of consumed) {
    const units = capacity.CapacityUnits ?? 0;
    if (WRITES.has(command)) figures.writeUnits += capacity.WriteCapacityUnits ?? units;
    else figures.readUnits += capacity.ReadCapacityUnits ?? units;
  }
}

interface Stack {
  add(middleware: (next: (args: { input: Input }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) => (args: { input: Input }) => Promise<{ output: Record<string, unknown> }>, options: { step: 'initialize'; priority: 'low'; name: string }): void;
}

/**
 * An AWS client that counts its requests for the caller running it, while metrics
 * are on (for instrumentAwsClients). DynamoDB requests ask for their consumed capacity.
 */
export function instrumentClient<C extends object>(client: C): C {
  const service = client.constructor.name.replace(/Client$/, '').toLowerCase();
  (client as unknown as { middlewareStack: Stack }).middlewareStack.add(
    (next, context) => async (args) => {
      if (!metrics) return next(args);
      const command = context.commandName ?? 'unknown';
      const figures = serviceFigures(service);
      figures.requests[command] = (figures.requests[command] ?? 0) + 1;
      if (service === 'dynamodb' && command !== 'CreateTableCommand') args.input.ReturnConsumedCapacity = 'TOTAL';
      if (service === 's3' && command === 'PutObjectCommand') {
        const body = args.input.Body;
        figures.bytesPut += (args.input.ContentLength as number | undefined) ?? (typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.length : 0);
      }
      const result = await next(args);
      if (service === 'dynamodb') countDynamoItems(command, args.input, result.output, figures);
      return result;
    },
    { step: 'initialize', priority: 'low', name: 'pbrInvocationMetrics' },
  );
  return client;
}
