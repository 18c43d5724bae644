import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { findCheckpoints, VISION_DATA_DIR } from '../server/vit-classifier.ts';
import type { VisionIndex } from './vit-fetch.ts';

/**
 * `npm run build:web`: the static page in dist/web/ (servable by any static file server):
 *
 *   index.html, viewer.css     the live viewer's page (runtime/viewer), shared with `swta serve`
 *   viewer.js                  the viewer with the in-page transport (page.ts)
 *   sim-worker.js              the live simulation (sim-worker.ts), binaryen included: the
 *                              conductance kernels are emitted in the worker for the graph and
 *                              seed of each run, as in Node
 *   vision-worker.js           the ViT on TensorFlow.js (vision-worker.ts)
 *   tfjs-backend-wasm*.wasm    TensorFlow.js's WebAssembly backend (from its npm package)
 *   vision/<name>/…, index.json  the shipped ViT checkpoints (data/vision), preferred first
 *
 * Node-only modules stay out: esbuild bundles for platform 'browser', and a module with a
 * `<name>.browser.ts` twin beside it is replaced by the twin (the seams: the calibration files,
 * the neuron adapter, the worker_threads placement, the tfjs backend's wasm paths).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(ROOT, 'dist/web');

/** Relative .ts imports resolve to their .browser.ts twin when there is one. */
const browserTwins: esbuild.Plugin = {
  name: 'browser-twins',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      const twin = path.replace(/\.ts$/, '.browser.ts');
      return existsSync(twin) ? { path: twin } : { path };
    });
  },
};

export interface WebBuild {
  dir: string;
  /** Output file → bytes. */
  files: Record<string, number>;
}

export async function buildWeb(outDir: string = WEB_DIST): Promise<WebBuild> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: {
      viewer: 'runtime/web/page.ts',
      'sim-worker': 'runtime/web/sim-worker.ts',
      'vision-worker': 'runtime/web/vision-worker.ts',
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // binaryen imports node:module only when it runs under Node (never in a browser).
    external: ['node:module'],
    plugins: [browserTwins],
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const leaks = Object.keys(result.metafile.inputs).filter((f) => /^node:|\/(fs|path|os|worker_threads|child_process)$/.test(f));
  if (leaks.length > 0) throw new Error(`Node-only modules in the browser bundle: ${leaks.join(', ')}`);

  const viewerDir = join(ROOT, 'runtime/viewer');
  await copyFile(join(viewerDir, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(viewerDir, 'viewer.css'), join(outDir, 'viewer.css'));
  const tfjsWasm = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) await copyFile(join(tfjsWasm, f), join(outDir, f));

  // The checkpoints, preferring one trained behind the sWTA filter (as loadClassifier does).
  const index: VisionIndex = { checkpoints: [] };
  for (const dir of findCheckpoints(VISION_DATA_DIR)) {
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[]; userDefinedMetadata?: { preprocess?: string } };
    const name = relative(VISION_DATA_DIR, dir);
    await mkdir(join(outDir, 'vision', name), { recursive: true });
    await copyFile(join(dir, 'model.json'), join(outDir, 'vision', name, 'model.json'));
    for (const m of json.weightsManifest) for (const p of m.paths) await copyFile(join(dir, p), join(outDir, 'vision', name, p));
    index.checkpoints.push({ name, preprocess: json.userDefinedMetadata?.preprocess ?? 'none' });
  }
  index.checkpoints.sort((a, b) => Number(b.preprocess === 'swta') - Number(a.preprocess === 'swta'));
  await mkdir(join(outDir, 'vision'), { recursive: true });
  await writeFile(join(outDir, 'vision', 'index.json'), JSON.stringify(index, null, 1) + '\n');

  const files: Record<string, number> = {};
  for (const [f, o] of Object.entries(result.metafile.outputs)) files[basename(f)] = o.bytes;
  return { dir: outDir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : WEB_DIST;
  const built = await buildWeb(out);
  for (const [f, bytes] of Object.entries(built.files)) console.log(`${f.padEnd(20)} ${(bytes / 1e6).toFixed(2)} MB`);
  const shown = relative(process.cwd(), built.dir) || built.dir;
  console.log(`wrote ${shown}/: serve it with any static file server (python3 -m http.server --directory ${shown} 8000, for one) and open its address`);
}
