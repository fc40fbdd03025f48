import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BODY_TOO_LARGE, MAX_BODY_BYTES } from '../shared/api/request.ts';
import { scrubDigitRuns } from '../shared/cpr-numbers.ts';
import { TokenError, type JwtAuthorizer } from './jwt-authorizer.ts';

const PORTAL_DIR = fileURLToPath(new URL('../portal/', import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

type ApiHandler = (event: unknown, context: never) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: string; isBase64Encoded?: boolean }>;

/** How long the rest of a refused body is read and thrown away, so the client can read the 413, before the connection is cut. */
const LINGER_MS = 10_000;

/**
 * The request body, or undefined once it passes MAX_BODY_BYTES (at once for a
 * Content-Length over it): from there on nothing is kept, so a 50 MB upload costs
 * 64 KiB of memory, not 50 MB.
 */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES ? Infinity : 0;
    if (size > MAX_BODY_BYTES) resolve(undefined);
    request.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      chunks.length = 0;
      resolve(undefined);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * 413 for a body over the limit, answered at once. The rest of the body is read
 * and dropped for at most LINGER_MS (closing on unread data would reset the
 * connection before the client reads the answer), then the connection is cut.
 */
function refuseLargeBody(request: IncomingMessage, response: ServerResponse): void {
  const cut = setTimeout(() => request.destroy(), LINGER_MS).unref();
  request.once('close', () => clearTimeout(cut));
  sendJson(response, 413, { message: BODY_TOO_LARGE });
}

function send(response: ServerResponse, status: number, headers: Record<string, unknown>, body: string | Buffer): void {
  response.writeHead(status, headers as Record<string, string>);
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value));

/** Where the local stack says whether its pipeline is idle: nothing queued or running (`{ idle: boolean }`). */
export const PIPELINE_IDLE_PATH = '/dev/pipeline-idle';

/** What the local server needs for sign-in: the verifier, and the portal's `config.json`. */
export interface LocalSignIn {
  authorize: JwtAuthorizer;
  /** The portal's configuration, as infra/portal.ts writes it in AWS, plus the local users for the role picker. */
  portalConfig: () => Promise<Record<string, unknown>>;
}

/**
 * The local stand-in for API Gateway + CloudFront on 127.0.0.1: serves the
 * portal's static files, `config.json` and PIPELINE_IDLE_PATH, and every other path to the same API
 * handler as Lambda, after verifying the bearer token as the JWT authorizer
 * would (401 for a missing scheme, or an expired, forged or foreign token; the
 * handler decides which routes are public and answers 401 without a token).
 */
export function createApiServer(signIn: LocalSignIn, handler: ApiHandler, pipelineIdle: () => boolean = () => true): Server {
  return createServer(async (request, response) => {
    try {
      const url = URL.parse(request.url ?? '/', 'http://127.0.0.1');
      if (!url) return sendJson(response, 400, { message: 'the request target is not a valid URL' });
      const method = request.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/config.json') return sendJson(response, 200, await signIn.portalConfig());
      // Local only (no API Gateway route): whether the stack has finished every delivery and recalculation, so `pbr load` can wait for rest.
      if (method === 'GET' && url.pathname === PIPELINE_IDLE_PATH) return sendJson(response, 200, { idle: pipelineIdle() });
      if (method === 'GET' && (await servePortalFile(response, url.pathname))) return;
      await forwardToApi(request, response, { url, method, authorize: signIn.authorize, handler });
    } catch (error) {
      answerBug(response, error);
    }
  });
}

/**
 * Serves portal/*.{html,js,css,svg}, and the same in portal/pages/; no other
 * folder, no way out of portal/. False when the path is not a portal file, so
 * the API answers it (its 404).
 */
async function servePortalFile(response: ServerResponse, pathname: string): Promise<boolean> {
  if (pathname !== '/' && !/^\/(?:pages\/)?[\w.-]+\.(html|js|css|svg)$/.test(pathname)) return false;
  const file = normalize(join(PORTAL_DIR, pathname === '/' ? 'index.html' : pathname));
  if (!file.startsWith(PORTAL_DIR)) return false;
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    return false; // not a portal file: fall through to the API's 404
  }
  send(response, 200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }, content);
  return true;
}

/** The claims of the bearer token, verified as the JWT authorizer would; undefined without one, TokenError for a bad one. */
async function bearerClaims(authorize: JwtAuthorizer, authorization: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (!authorization) return undefined;
  const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
  if (!token) throw new TokenError('the Authorization header must be "Bearer <token>"');
  return authorize(token);
}

interface ApiRequest {
  url: URL;
  method: string;
  authorize: JwtAuthorizer;
  handler: ApiHandler;
}

/** Hands the request to the API handler as an API Gateway HTTP API (payload 2.0) event, and sends back its answer. */
async function forwardToApi(request: IncomingMessage, response: ServerResponse, { url, method, authorize, handler }: ApiRequest): Promise<void> {
  let claims: Record<string, unknown> | undefined;
  try {
    claims = await bearerClaims(authorize, request.headers.authorization);
  } catch (error) {
    if (error instanceof TokenError) return sendJson(response, 401, { message: error.message });
    throw error;
  }
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request);
  if (body === undefined && method !== 'GET' && method !== 'HEAD') return refuseLargeBody(request, response);
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    body,
    isBase64Encoded: false,
    requestContext: { http: { method, path: url.pathname, sourceIp: request.socket.remoteAddress ?? '' }, ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
  };
  const result = await handler(event, {} as never);
  // A binary answer (an XLSX file) comes base64-encoded, as API Gateway takes it: the client gets the bytes.
  const answer = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
  send(response, result.statusCode ?? 200, result.headers ?? {}, answer);
}

/** A bug, not bad input: logged (without digit runs, which could be a CPR number), answered generically. */
function answerBug(response: ServerResponse, error: unknown): void {
  console.error(JSON.stringify({ level: 'ERROR', service: 'api-server', message: 'local API server failed', error: scrubDigitRuns(String((error as Error)?.stack ?? error)) }));
  if (!response.headersSent) sendJson(response, 500, { message: 'something went wrong on our side; try again, and tell the project holder if it persists' });
  else response.destroy();
}
