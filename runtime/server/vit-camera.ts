import { preprocessFor } from '../../src/vision/preprocess.ts';
import { tf } from '../../src/vision/vit/backend.ts';
import type { VisionTransformer } from '../../src/vision/vit/model.ts';
import type { ModelInfo } from './protocol.ts';

/** The camera path's classifier (vit-classifier.ts loads it on the server, runtime/web/vit-fetch.ts in the page). */
export interface Classifier {
  readonly info: ModelInfo;
  /** Class probabilities for one grey image of inputWidth × inputHeight in [0, 1], or null without a model. */
  classify(image: Float32Array): Promise<Float32Array | null>;
  dispose(): void;
}

/**
 * A loaded ViT as the camera path's classifier, for the server (checkpoint folders) and the static
 * page (fetched checkpoints) alike: it must classify width × height grey images (else it is
 * disposed and the reason thrown), and the model sees what it was trained on — the filter named in
 * its metadata (preprocessFor throws if that filter is missing).
 */
export function cameraClassifier(
  model: VisionTransformer,
  meta: { preprocess: string; classNames?: readonly string[] },
  name: string,
  width: number,
  height: number,
): Classifier {
  const c = model.config;
  if (c.task !== 'classify' || c.channels !== 1 || c.width !== width || c.height !== height) {
    model.dispose();
    throw new Error(`expects ${c.width}×${c.height}×${c.channels} (${c.task}); the camera path gives ${width}×${height} grey for classification`);
  }
  const pre = preprocessFor(meta.preprocess);
  const classes = meta.classNames ? [...meta.classNames] : Array.from({ length: c.numClasses }, (_, i) => String(i));
  return {
    info: { available: true, name, classes, preprocess: meta.preprocess },
    async classify(image) {
      const x = pre(image, { n: 1, height, width, channels: 1 });
      const probs = tf.tidy(() => tf.softmax(model.forward(tf.tensor4d(x, [1, height, width, 1]))));
      const out = new Float32Array(await probs.data());
      probs.dispose();
      return out;
    },
    dispose: () => model.dispose(),
  };
}
