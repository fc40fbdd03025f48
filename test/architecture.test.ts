import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The layer map lives in the README (one home, read by people); this test reads
 * it and checks every import of the code that runs (shared/, functions/, cli/,
 * local/, infra/) against it.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHECKED = ['shared', 'functions', 'cli', 'local', 'infra'];
const BASE = 'shared/*.ts';
const AWS = /^(@aws-sdk\/|aws-cdk-lib(\/|$))/;

/** The README's layer table: each folder with the folders it may import directly. */
function parseLayerMap(readme: string): Map<string, string[]> {
  const table = /<!-- layers[^>]*-->([\s\S]*?)<!-- \/layers -->/.exec(readme)?.[1];
  if (!table) throw new Error('README has no <!-- layers --> table');
  const map = new Map<string, string[]>();
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const folder = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!folder) continue;
    map.set(folder, [...(cells[2] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
  }
  return map;
}

/** Every folder each folder may import: its own row and, through it, everything below. */
function allowedImports(map: Map<string, string[]>): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  const visit = (folder: string, path: string[]): Set<string> => {
    if (path.includes(folder)) throw new Error(`the layer map has a cycle: ${[...path, folder].join(' → ')}`);
    const known = allowed.get(folder);
    if (known) return known;
    const below = new Set<string>();
    for (const lower of map.get(folder) ?? []) {
      if (!map.has(lower)) throw new Error(`the layer map names ${lower}, which has no row`);
      below.add(lower);
      for (const further of visit(lower, [...path, folder])) below.add(further);
    }
    allowed.set(folder, below);
    return below;
  };
  for (const folder of map.keys()) visit(folder, []);
  return allowed;
}

/** The layer a repository-relative file belongs to: `shared/X` for shared/X/…, `shared/*.ts` for shared's own files, else its top folder. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'shared') return parts[0]!;
  return parts.length === 2 ? BASE : `shared/${parts[1]}`;
}

/** The module specifiers a source file imports (static, dynamic, re-exports, worker URLs); comments are ignored. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = code.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]|new URL\(\s*['"](\.[^'"]+\.ts)['"]/g);
  return [...found].map((match) => (match[1] ?? match[2])!);
}

/** Why an import breaks the map, or undefined when it keeps to it. `file` and relative specifiers are repository-relative. */
function violation(file: string, specifier: string, allowed: Map<string, Set<string>>): string | undefined {
  const from = layerOf(file);
  const isDomain = from.startsWith('shared') && from !== 'shared/adapters';
  if (!specifier.startsWith('.')) {
    return isDomain && AWS.test(specifier) ? `${file}: the domain imports ${specifier} (AWS code belongs in shared/adapters)` : undefined;
  }
  const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
  const to = layerOf(target);
  if (to === from) return undefined;
  const mayImport = allowed.get(from);
  if (!mayImport) return `${file}: ${from} is not on the README's layer map`;
  return mayImport.has(to) ? undefined : `${file}: ${from} imports ${target}, but ${to} is not below ${from} on the layer map`;
}

function* sourceFiles(folder: string): Generator<string> {
  for (const name of readdirSync(join(ROOT, folder))) {
    const path = join(folder, name);
    if (statSync(join(ROOT, path)).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const allowed = allowedImports(parseLayerMap(readFileSync(join(ROOT, 'README.md'), 'utf8')));

describe('layers point down (README "Layers")', () => {
  it('every import in shared/, functions/, cli/, local/ and infra/ keeps to the map, and the domain has no AWS imports', () => {
    const problems: string[] = [];
    let imports = 0;
    for (const folder of CHECKED) {
      for (const file of sourceFiles(folder)) {
        for (const specifier of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
          imports++;
          const problem = violation(file, specifier, allowed);
          if (problem) problems.push(problem);
        }
      }
    }
    expect(imports).toBeGreaterThan(300);
    expect(problems).toEqual([]);
  });

  it('has a row for every folder it checks', () => {
    const shared = readdirSync(join(ROOT, 'shared')).filter((name) => statSync(join(ROOT, 'shared', name)).isDirectory());
    for (const folder of [BASE, ...shared.map((name) => `shared/${name}`), ...CHECKED.filter((f) => f !== 'shared')]) {
      expect(allowed.has(folder), folder).toBe(true);
    }
  });
});

describe('the layer checker itself', () => {
  it('fails an import that points up the map', () => {
    expect(violation('shared/weeks/iso-week.ts', '../timesheets/values.ts', allowed)).toMatch(/shared\/timesheets is not below shared\/weeks/);
    expect(violation('shared/simulation/evaluator.ts', '../timesheets/values.ts', allowed)).toMatch(/not below/);
    expect(violation('shared/partnerships/accept-input.ts', '../ingest/ports.ts', allowed)).toMatch(/not below/);
    expect(violation('functions/api/handler.ts', '../../local/api-server.ts', allowed)).toMatch(/not below/);
  });

  it('allows an import that points down, also through several layers', () => {
    expect(violation('shared/weekly-hours/weekly-hours.ts', '../weeks/iso-week.ts', allowed)).toBeUndefined();
    expect(violation('shared/api/api.ts', '../weeks/iso-week.ts', allowed)).toBeUndefined();
    expect(violation('cli/commands/hours.ts', '../../shared/cpr-numbers.ts', allowed)).toBeUndefined();
    expect(violation('shared/timesheets/read-csv.ts', './csv-parser.ts', allowed)).toBeUndefined();
  });

  it('fails AWS imports in the domain, not in the adapters or at the edges', () => {
    expect(violation('shared/ingest/ingest-report.ts', '@aws-sdk/client-s3', allowed)).toMatch(/AWS code belongs in shared\/adapters/);
    expect(violation('shared/cpr-numbers.ts', 'aws-cdk-lib/aws-s3', allowed)).toMatch(/AWS code/);
    expect(violation('shared/adapters/aws-clients.ts', '@aws-sdk/client-s3', allowed)).toBeUndefined();
    expect(violation('functions/api/handler.ts', '@aws-sdk/s3-request-presigner', allowed)).toBeUndefined();
    expect(violation('shared/api/api.ts', 'zod', allowed)).toBeUndefined();
  });

  it('finds static, dynamic and re-exported imports and worker URLs, not ones in comments', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type {\n  B,\n} from '../b.ts';",
      "export { c } from './c.ts';",
      "const d = await import('./d.ts');",
      "new Worker(new URL('./e.ts', import.meta.url));",
      "// import { x } from './commented.ts';",
      "/* import { y } from './also-commented.ts'; */",
    ].join('\n');
    expect(importsOf(source)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts']);
  });

  it('reads the map with its cycles refused', () => {
    const map = parseLayerMap('<!-- layers -->\n| `a` | `b` |\n| `b` | `a` |\n<!-- /layers -->');
    expect(() => allowedImports(map)).toThrow(/cycle/);
  });
});
