import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer order of docs/reference/architecture.md: src ← adapters ← runtime ← scenarios ← cli,
 * with bench and test on top and apart (neither imports the other). Every relative import of every
 * source file (static, dynamic and `new URL(…, import.meta.url)` module addresses) is checked
 * against it, and the import graph of the product folders has no circle.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ORDER = ['src', 'adapters', 'runtime', 'scenarios', 'cli'] as const;
const MAY_IMPORT: Record<string, readonly string[]> = {
  src: ['src'],
  adapters: ['src', 'adapters'],
  runtime: ['src', 'adapters', 'runtime'],
  scenarios: ['src', 'adapters', 'runtime', 'scenarios'],
  cli: [...ORDER],
  bench: [...ORDER, 'bench'],
  test: [...ORDER, 'test'],
};
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)['"](\.{1,2}\/[^'"]+\.(?:ts|mjs|js))['"]/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

interface Edge {
  to: string;
  /** A module address given to a Worker or to import() by name (new URL(…)): loaded, not imported. */
  address: boolean;
}

/** Relative imports of a file, as repository paths, with comments removed first. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...text.matchAll(SPECIFIER)].map((m) => ({ to: relative(ROOT, resolve(ROOT, dirname(file), m[2]!)), address: m[1]!.startsWith('new URL') }));
}

const layerOf = (path: string): string => path.split('/')[0]!;
const files = Object.keys(MAY_IMPORT).flatMap(sourceFiles);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('layers', () => {
  it('every import runs along the layer order', () => {
    const wrong = [...graph].flatMap(([f, deps]) => deps.filter((d) => !MAY_IMPORT[layerOf(f)]!.includes(layerOf(d.to))).map((d) => `${f} → ${d.to}`));
    expect(wrong).toEqual([]);
  });

  it('every import of the product folders names a file that exists', () => {
    const product = [...graph].filter(([f]) => (ORDER as readonly string[]).includes(layerOf(f)));
    // A Worker address `./x.js` beside an entry point x.ts names x.ts's bundle (runtime/web/build.ts emits it).
    const bundleOf = (d: Edge): boolean => d.address && d.to.endsWith('.js') && graph.has(d.to.replace(/\.js$/, '.ts'));
    const missing = product.flatMap(([f, deps]) => deps.filter((d) => !graph.has(d.to) && !bundleOf(d)).map((d) => `${f} → ${d.to}`));
    expect(missing).toEqual([]);
  });

  it('the product folders have no import circle', () => {
    const product = [...graph.keys()].filter((f) => (ORDER as readonly string[]).includes(layerOf(f)));
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) if (!d.address) visit(d.to, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of product) visit(f, []);
    expect(circles).toEqual([]);
  });
});
