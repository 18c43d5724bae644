import type { ImageDataset } from '../data/types.ts';
import type { VitConfig } from '../vit/config.ts';

/** Throws when a dataset does not match the model's input shape and task, saying how to fix it. */
export function checkInputShape(c: VitConfig, ds: ImageDataset): void {
  if (ds.height !== c.height || ds.width !== c.width || ds.channels !== c.channels) {
    throw new Error(
      `dataset '${ds.source}' is ${ds.height}×${ds.width}×${ds.channels} but the model takes ${c.height}×${c.width}×${c.channels}; ` +
        'resize it with toInputShape(ds, model.config) (the CLI does this for you)',
    );
  }
  if (ds.task !== c.task) throw new Error(`dataset '${ds.source}' is a ${ds.task} dataset but the model's task is ${c.task}`);
  if (ds.numClasses > c.numClasses) throw new Error(`dataset '${ds.source}' has ${ds.numClasses} classes but the model predicts ${c.numClasses}`);
}
