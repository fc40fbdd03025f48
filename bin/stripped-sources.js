// A cache of the project's TypeScript sources with their types stripped, for `pbr`.
// Node 22 strips types itself, but loading its stripper (amaro, WebAssembly) and
// stripping every module costs ~0.18 s and ~28 MiB at each start: more than half of
// what `pbr --help` takes, and ~15 % of `pbr hours` on a 40 MB file (BENCHMARKS.md).
// With this module loaded, a source already seen (same content, same Node) is read
// from the cache as JavaScript and the stripper is never loaded.
//
// The stripping is Node's own (`module.stripTypeScriptTypes`, mode "strip": types
// become spaces, so lines and columns in stack traces stay those of the source),
// and a module keeps its own URL, so `import.meta.url` and relative paths work as before.
// Plain JavaScript, like bin/pbr.js. Worker threads strip their modules the usual way.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where stripped sources are kept: node_modules/.cache, the usual home of tools' caches. */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../node_modules/.cache/pbr-stripped-sources/', import.meta.url));

/**
 * The JavaScript of a TypeScript source: from `dir` when stripped before, else
 * stripped now and kept there (written whole or not at all, so processes that
 * start together never read half a file). Without a writable `dir` it strips each time.
 */
export function strippedSource(source, dir) {
  const file = join(dir, `${createHash('sha256').update(process.version).update('\0').update(source).digest('hex')}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // not stripped before
  }
  const code = quietly(() => stripTypeScriptTypes(source, { mode: 'strip' }));
  try {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  } catch {
    // a read-only install: no cache, still correct
  }
  return code;
}

/** Serves the project's .ts modules (not those under node_modules, which Node refuses to strip) through {@link strippedSource}. */
export function useStrippedSources(dir = DEFAULT_CACHE_DIR) {
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
      const source = readFileSync(fileURLToPath(url), 'utf8');
      // Every .ts of the project is an ES module ("type": "module").
      return { format: 'module', source: strippedSource(source, dir), shortCircuit: true };
    },
  });
}

/** Runs `strip` without Node's one-time "stripTypeScriptTypes is experimental" warning, which would land in a command's stderr. */
function quietly(strip) {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    if (!String(warning).includes('stripTypeScriptTypes')) emitWarning.call(process, warning, ...rest);
  };
  try {
    return strip();
  } finally {
    process.emitWarning = emitWarning;
  }
}
