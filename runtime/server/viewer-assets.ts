import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The browser viewer (runtime/viewer) as three in-memory files, bundled once at server start with
 * esbuild (installed with tsx, whose TypeScript loader it is): index.html, viewer.css and
 * viewer.js (main.ts and what it imports — the protocol, the codec and msgpackr's browser build).
 * No network, no files written.
 */
export interface ViewerAssets {
  html: string;
  css: string;
  js: string;
}

const VIEWER_DIR = fileURLToPath(new URL('../viewer/', import.meta.url));

export async function bundleViewer(): Promise<ViewerAssets> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new Error(`cannot bundle the viewer: esbuild is not installed (it comes with tsx; run npm ci): ${e instanceof Error ? e.message : String(e)}`);
  }
  const [html, css, built] = await Promise.all([
    readFile(`${VIEWER_DIR}index.html`, 'utf8'),
    readFile(`${VIEWER_DIR}viewer.css`, 'utf8'),
    esbuild.build({
      entryPoints: [`${VIEWER_DIR}main.ts`],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      // The viewer imports runtime/server/{protocol,codec,schema}.ts, which import nothing from Node.
      logLevel: 'silent',
      legalComments: 'none',
    }),
  ]);
  const js = built.outputFiles[0]?.text;
  if (js === undefined) throw new Error('bundling the viewer produced no output');
  return { html, css, js };
}
