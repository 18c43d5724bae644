import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Classifier } from './vit-camera.ts';

/**
 * The ViT of the camera path, when trained weights exist. Checkpoints are folders with a
 * model.json of format 'swta-vit' (src/vision/vit/checkpoint.ts). The server looks under
 * data/vision/ (where the shipped ViT weights are) unless given a folder; TensorFlow.js is loaded only
 * when a checkpoint is found, so a server without weights starts fast. Without weights the
 * classifier says so (ModelInfo.available false, with the reason) and returns no probabilities:
 * they are never made up.
 */
export type { Classifier } from './vit-camera.ts';

export const VISION_DATA_DIR = fileURLToPath(new URL('../../data/vision/', import.meta.url));

const unavailable = (reason: string): Classifier => ({
  info: { available: false, reason },
  classify: async () => null,
  dispose: () => {},
});

/** Checkpoint folders (holding model.json of format swta-vit) under `root`, at most `depth` levels down. */
export function findCheckpoints(root: string, depth = 3): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (dir: string, level: number): void => {
    const json = join(dir, 'model.json');
    if (existsSync(json)) {
      try {
        const m = JSON.parse(readFileSync(json, 'utf8')) as { format?: string; modelTopology?: { config?: { task?: string; channels?: number } } };
        const c = m.modelTopology?.config;
        if (m.format === 'swta-vit' && c?.task === 'classify' && c.channels === 1) found.push(dir);
      } catch {
        // Not a checkpoint we can use; keep looking.
      }
    }
    if (level >= depth) return;
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p, level + 1);
    }
  };
  walk(root, 0);
  return found;
}

/**
 * Load the camera classifier: the checkpoint folder `modelDir`, or the first usable one under
 * data/vision/ (a checkpoint trained behind the sWTA filter before a baseline one).
 */
export async function loadClassifier(options: { modelDir?: string; width: number; height: number }): Promise<Classifier> {
  let dirs: string[];
  if (options.modelDir !== undefined) {
    if (!existsSync(join(options.modelDir, 'model.json'))) return unavailable(`--model ${options.modelDir} holds no model.json (a swta-vit checkpoint folder from 'swta vision train')`);
    dirs = [options.modelDir];
  } else {
    dirs = findCheckpoints(VISION_DATA_DIR);
    if (dirs.length === 0) {
      return unavailable(`no trained ViT weights: no swta-vit classification checkpoint under ${relative(process.cwd(), VISION_DATA_DIR) || VISION_DATA_DIR} (the repository ships them there; or pass --model <dir>)`);
    }
  }
  const problems: string[] = [];
  // Prefer a model trained behind the filter (its metadata says 'swta'); the order of `dirs` otherwise.
  const ordered = [...dirs].sort((a, b) => Number(preprocessOf(b) === 'swta') - Number(preprocessOf(a) === 'swta'));
  for (const dir of ordered) {
    try {
      return await loadOne(dir, options.width, options.height);
    } catch (e) {
      problems.push(`${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return unavailable(`no usable ViT checkpoint: ${problems.join('; ')}`);
}

function preprocessOf(dir: string): string {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { userDefinedMetadata?: { preprocess?: string } };
    return m.userDefinedMetadata?.preprocess ?? 'none';
  } catch {
    return 'none';
  }
}

async function loadOne(dir: string, width: number, height: number): Promise<Classifier> {
  const [{ initBackend }, { loadCheckpoint }, { cameraClassifier }] = await Promise.all([
    import('../../src/vision/vit/backend.ts'),
    import('../../src/vision/vit/checkpoint.ts'),
    import('./vit-camera.ts'),
  ]);
  await initBackend();
  const { model, meta } = await loadCheckpoint(dir);
  return cameraClassifier(model, meta, dir.split('/').filter(Boolean).slice(-2).join('/'), width, height);
}
