import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devClaims, signDevToken, TokenError, verifyDevToken } from './dev-jwt.ts';

const PORTAL_DIR = fileURLToPath(new URL('../portal/', import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

type ApiHandler = (event: unknown, context: never) => Promise<{ statusCode?: number; headers?: Record<string, unknown>; body?: string }>;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, headers: Record<string, unknown>, body: string | Buffer): void {
  response.writeHead(status, headers as Record<string, string>);
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value));

/**
 * The local stand-in for API Gateway + CloudFront on 127.0.0.1: serves the
 * portal's static files, a dev sign-in (`/dev/token`), and every other path to
 * the same API handler as Lambda, after verifying the bearer token as the JWT
 * authorizer would (401 for missing, expired or forged tokens on protected
 * routes; the handler decides which routes are public).
 */
export function createApiServer(key: Buffer, handler: ApiHandler): Server {
  return createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/config.json') return sendJson(response, 200, { auth: 'dev', apiUrl: '' });
      if (method === 'GET' && url.pathname === '/dev/token') {
        const role = url.searchParams.get('role');
        if (role !== 'holder' && role !== 'municipality') return sendJson(response, 400, { message: 'role must be holder or municipality' });
        const municipality = url.searchParams.get('municipality') ?? undefined;
        if (role === 'municipality' && !municipality) return sendJson(response, 400, { message: 'a municipality user needs ?municipality=NAME' });
        return sendJson(response, 200, { token: signDevToken(key, devClaims(role, municipality)) });
      }
      if (method === 'GET' && (url.pathname === '/' || /^\/[\w.-]+\.(html|js|css|svg)$/.test(url.pathname))) {
        const file = normalize(join(PORTAL_DIR, url.pathname === '/' ? 'index.html' : url.pathname));
        if (file.startsWith(PORTAL_DIR)) {
          try {
            return send(response, 200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }, await readFile(file));
          } catch {
            // not a portal file: fall through to the API's 404
          }
        }
      }

      let claims: Record<string, unknown> | undefined;
      const authorization = request.headers.authorization;
      if (authorization) {
        const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
        try {
          if (!token) throw new TokenError('the Authorization header must be "Bearer <token>"');
          claims = verifyDevToken(key, token);
        } catch (error) {
          if (error instanceof TokenError) return sendJson(response, 401, { message: error.message });
          throw error;
        }
      }
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request);
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
      send(response, result.statusCode ?? 200, result.headers ?? {}, result.body ?? '');
    } catch (error) {
      sendJson(response, 500, { message: `local API server error: ${(error as Error).message}` });
    }
  });
}
