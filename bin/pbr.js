#!/usr/bin/env node
// The `pbr` command. Node 22.18+ runs the TypeScript sources directly (type stripping).
// Started by an older Node (a system Node 20, say: ./node_modules/.bin/pbr, a global
// install), it runs itself again under the project's Node 22 (the `node` package, an optional dependency),
// passing the arguments, stdio, signals and the exit code through.
// Plain JavaScript that Node 20 can parse: it must run before Node 22 is found.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set on the re-run, so a Node 22 that still cannot strip types fails instead of looping. */
const RERUN = 'PBR_RERUN_UNDER_NODE_22';
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The binary of the `node` package (node@22) as Node resolves it from here, or undefined. */
function projectNode() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
  } catch {
    return undefined;
  }
}

/** Runs this file under `node` and ends this process the way the child ended. */
function rerunUnder(node) {
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, [RERUN]: '1' } });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`pbr: cannot start Node 22 (${node}): ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of FORWARDED_SIGNALS) process.off(name, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

if (process.features.typescript) {
  const { useStrippedSources } = await import('./stripped-sources.js');
  useStrippedSources(); // a start without loading the TypeScript stripper, once sources are cached
  const { main } = await import('../cli/pbr.ts');
  process.exitCode = await main(process.argv.slice(2));
} else {
  const node = process.env[RERUN] ? undefined : projectNode();
  if (node) rerunUnder(node);
  else {
    process.stderr.write(
      `pbr needs Node.js 22.18 or newer (it runs TypeScript directly); this is Node ${process.versions.node}.\n` +
        'In the project, `npm ci` installs Node 22 into node_modules (npx pbr, npm start use it); elsewhere install Node 22.\n',
    );
    process.exitCode = 1;
  }
}
