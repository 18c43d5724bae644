import type { ModelInfo } from '../server/protocol.ts';
import type { Classifier } from '../server/vit-classifier.ts';
import type { SimToVision, VisionToSim } from './messages.ts';

/**
 * The camera path's classifier (vit-classifier.ts) when the ViT runs in another Web Worker
 * (vision-worker.ts): classify() posts the image over `port` and resolves with the answer, so the
 * ViT's milliseconds are spent off the simulation's thread. Resolves once the other side has said
 * which model it loaded.
 */
export function portClassifier(port: MessagePort): Promise<Classifier> {
  return new Promise((resolveInfo) => {
    const waiting = new Map<number, { resolve: (p: Float32Array | null) => void; reject: (e: Error) => void }>();
    let nextId = 0;
    port.onmessage = (ev: MessageEvent<VisionToSim>) => {
      const m = ev.data;
      if (m.kind === 'info') {
        resolveInfo(classifierOf(m.info));
        return;
      }
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(`ViT: ${m.error}`));
      else w?.resolve(m.probabilities);
    };
    const classifierOf = (info: ModelInfo): Classifier => ({
      info,
      classify: (image) =>
        info.available
          ? new Promise((resolve, reject) => {
              const id = nextId++;
              waiting.set(id, { resolve, reject });
              const copy = Float32Array.from(image);
              const msg: SimToVision = { kind: 'classify', id, image: copy };
              port.postMessage(msg, [copy.buffer]);
            })
          : Promise.resolve(null),
      dispose: () => port.close(),
    });
  });
}
