/**
 * Checkpoints on disk, in the TensorFlow.js artifact format, through a tf.io.IOHandler for files
 * (tfjs-node's file:// handler is not available without tfjs-node):
 * ```
 * <dir>/model.json    { format: "swta-vit", modelTopology: { config }, weightsManifest, userDefinedMetadata }
 * <dir>/weights.bin   the parameters, float32, little-endian, in the manifest's order
 * ```
 * `userDefinedMetadata` records the preprocessing filter the model was trained behind, so evaluation
 * puts the same filter in front without being told.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tf } from './backend.ts';
import { checkVitConfig, type VitConfig } from './config.ts';
import { VisionTransformer } from './model.ts';

export const CHECKPOINT_FORMAT = 'swta-vit';
const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** What a checkpoint says about how the model was made; JSON-serialisable. */
export interface CheckpointMeta {
  /** Name of the preprocessing filter in front of the model ('none' for the baseline). */
  preprocess: string;
  classNames?: readonly string[];
  /** Free-form training record (dataset, epochs, seed, accuracy, …). */
  training?: Record<string, unknown>;
}

/** A tf.io.IOHandler that saves to / loads from a folder. */
export function fileHandler(dir: string): Required<Pick<tf.io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json: tf.io.ModelJSON & { format: string } = {
        format: artifacts.format ?? CHECKPOINT_FORMAT,
        generatedBy: artifacts.generatedBy ?? 'swta',
        convertedBy: null,
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(json, null, 1));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      if (!existsSync(jsonPath)) throw new Error(`checkpoint ${dir}: no ${MODEL_JSON} (not a model folder; train one with: swta vision train --out ${dir})`);
      let json: tf.io.ModelJSON & { format?: string };
      try {
        json = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON & { format?: string };
      } catch (e) {
        throw new Error(`checkpoint ${jsonPath}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      const manifest = json.weightsManifest?.[0];
      if (!manifest || manifest.paths.length !== 1) throw new Error(`checkpoint ${jsonPath}: expected one weights file in weightsManifest`);
      const binPath = join(dir, manifest.paths[0]!);
      const bytes = await readFile(binPath).catch((e: unknown) => {
        throw new Error(`checkpoint ${dir}: cannot read ${binPath} (${e instanceof Error ? e.message : String(e)})`);
      });
      const expected = manifest.weights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1) * 4, 0);
      if (bytes.length !== expected) throw new Error(`checkpoint ${binPath}: ${bytes.length} bytes, the manifest needs ${expected} (float32)`);
      return {
        ...(json.format === undefined ? {} : { format: json.format }),
        modelTopology: json.modelTopology,
        weightSpecs: manifest.weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
      };
    },
  };
}

export async function saveCheckpoint(model: VisionTransformer, dir: string, meta: CheckpointMeta): Promise<void> {
  const named: tf.NamedTensorMap = {};
  for (const [name, v] of model.params) named[name] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  await fileHandler(dir).save({
    format: CHECKPOINT_FORMAT,
    generatedBy: 'swta',
    modelTopology: { config: model.config },
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { ...meta } as unknown as Record<string, object>,
  });
}

export interface LoadedCheckpoint {
  model: VisionTransformer;
  meta: CheckpointMeta;
}

/** Loads a checkpoint folder (or its model.json path). */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const dir = existsSync(path) && statSync(path).isFile() ? dirname(path) : path;
  const artifacts = await fileHandler(dir).load();
  if (artifacts.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint ${dir}: format is '${String(artifacts.format)}', expected '${CHECKPOINT_FORMAT}'`);
  const topology = artifacts.modelTopology as { config?: VitConfig } | undefined;
  if (!topology?.config) throw new Error(`checkpoint ${dir}: model.json has no modelTopology.config`);
  const config = checkVitConfig(topology.config);
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const model = new VisionTransformer(config, new Map(Object.entries(tensors)));
  for (const t of Object.values(tensors)) t.dispose();
  const meta = (artifacts.userDefinedMetadata ?? {}) as unknown as CheckpointMeta;
  return { model, meta: { ...meta, preprocess: meta.preprocess ?? 'none' } };
}
