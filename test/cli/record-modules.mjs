// Preloaded with `node --import` by startup.test.ts: records every module the process
// loads and writes their URLs as JSON to the file in PBR_RECORD_MODULES when it exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

// Recorded as resolved, not as loaded: bin/stripped-sources.js serves the .ts modules
// from its own load hook, which goes before this one and does not pass them on.
const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(process.env.PBR_RECORD_MODULES, JSON.stringify([...loaded])));
