import type { Classifier } from '../server/vit-classifier.ts';
import { cameraClassifier } from '../server/vit-camera.ts';
import { initBackend, tf } from '../../src/vision/vit/backend.ts';
import { checkVitConfig, type VitConfig } from '../../src/vision/vit/config.ts';
import { VisionTransformer } from '../../src/vision/vit/model.ts';

/** What build.ts writes to vision/index.json: the checkpoint folders copied, preferred first. */
export interface VisionIndex {
  checkpoints: { name: string; preprocess: string }[];
}

/**
 * The camera classifier of vit-classifier.ts, from checkpoints fetched over HTTP: vision/index.json
 * lists the folders (a model trained behind the sWTA filter first, as the server prefers), each a
 * swta-vit checkpoint (model.json + weights.bin, src/vision/vit/checkpoint.ts) loaded with
 * TensorFlow.js's own HTTP loader. The model sees the filter named in its metadata.
 */
export async function loadFetchedClassifier(base: URL, width: number, height: number): Promise<Classifier> {
  const res = await fetch(new URL('index.json', base));
  if (!res.ok) throw new Error(`${new URL('index.json', base).href}: HTTP ${res.status}`);
  const index = (await res.json()) as VisionIndex;
  if (index.checkpoints.length === 0) throw new Error('no trained ViT weights were copied into the build (data/vision/ holds none)');
  await initBackend();
  const problems: string[] = [];
  for (const c of index.checkpoints) {
    try {
      return await loadOne(new URL(`${c.name}/model.json`, base), c.name, width, height);
    } catch (e) {
      problems.push(`${c.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no usable ViT checkpoint: ${problems.join('; ')}`);
}

async function loadOne(modelJson: URL, name: string, width: number, height: number): Promise<Classifier> {
  const handler = tf.io.http(modelJson.href);
  if (!handler.load) throw new Error('TensorFlow.js: the HTTP model handler cannot load');
  const artifacts = await handler.load();
  if (artifacts.format !== 'swta-vit') throw new Error(`format is '${String(artifacts.format)}', expected 'swta-vit'`);
  const topology = artifacts.modelTopology as { config?: VitConfig } | undefined;
  if (!topology?.config) throw new Error('model.json has no modelTopology.config');
  const config = checkVitConfig(topology.config);
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const model = new VisionTransformer(config, new Map(Object.entries(tensors)));
  for (const t of Object.values(tensors)) t.dispose();
  const meta = (artifacts.userDefinedMetadata ?? {}) as { preprocess?: string; classNames?: readonly string[] };
  return cameraClassifier(model, { ...meta, preprocess: meta.preprocess ?? 'none' }, `vision/${name}`, width, height);
}
