import gainMatching from '../../data/calibration/gain-matching.json' with { type: 'json' };
import populationTransfer from '../../data/calibration/population-transfer.json' with { type: 'json' };
import rateFit from '../../data/calibration/rate-fit.json' with { type: 'json' };

/**
 * artifact-files.ts for the browser build (runtime/web/build.ts): the calibration artifacts are
 * embedded in the bundle when it is built, so the loaders read the same files, with the same
 * checks, without a file system.
 */
const EMBEDDED: Readonly<Record<string, unknown>> = {
  'calibration/gain-matching.json': gainMatching,
  'calibration/population-transfer.json': populationTransfer,
  'calibration/rate-fit.json': rateFit,
};

export function artifactPath(url: URL): string {
  return url.pathname;
}

export function readArtifact(path: string): string {
  const key = Object.keys(EMBEDDED).find((k) => path.endsWith(`/data/${k}`));
  if (key === undefined) throw new Error(`${path} is not embedded in the browser build (embedded: ${Object.keys(EMBEDDED).map((k) => `data/${k}`).join(', ')})`);
  return JSON.stringify(EMBEDDED[key]);
}
