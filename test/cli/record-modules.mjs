// Preloaded with `node --import` by startup.test.ts: records every module the process
// loads and writes their URLs as JSON to the file in PBR_RECORD_MODULES when it exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.PBR_RECORD_MODULES, JSON.stringify(loaded)));
