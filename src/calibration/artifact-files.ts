import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the calibration artifacts are read from: files under data/ in Node. The browser build
 * replaces this module with artifact-files.browser.ts (the same artifacts, embedded at build time).
 */
export function artifactPath(url: URL): string {
  return fileURLToPath(url);
}

export function readArtifact(path: string): string {
  return readFileSync(path, 'utf8');
}
