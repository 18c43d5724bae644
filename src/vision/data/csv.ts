/**
 * Images from a CSV file, one image per line: `label,p0,p1,…` (the Kaggle MNIST layout). Pixels are
 * row-major (NHWC). A first line that is not numeric is taken as a header. Values in [0, 255] are
 * divided by 255; values already in [0, 1] are kept.
 */
import { readFileSync } from 'node:fs';
import { DataFormatError } from './errors.ts';
import { checkDataset, type ImageDataset } from './types.ts';

export interface CsvOptions {
  /** Image shape; default: a square grey image (p = s²) or square RGB (p = 3 s²) from the column count. */
  height?: number;
  width?: number;
  channels?: number;
  /** Default: max label + 1. */
  numClasses?: number;
  limit?: number;
}

export function loadCsvDataset(file: string, opts: CsvOptions = {}): ImageDataset {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataFormatError(file, `cannot read CSV (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseCsvDataset(text, file, opts);
}

export function parseCsvDataset(text: string, file: string, opts: CsvOptions = {}): ImageDataset {
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  if (first < lines.length && !/^\s*[-+]?\d/.test(lines[first]!)) first++; // header
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = first; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '') continue;
    rows.push({ line: i + 1, cells: l.split(',') });
    if (opts.limit !== undefined && rows.length >= opts.limit) break;
  }
  if (rows.length === 0) throw new DataFormatError(file, 'no data rows (expected lines of "label,p0,p1,…")');
  const p = rows[0]!.cells.length - 1;
  const shape = csvShape(p, opts, file);
  const n = rows.length;
  const images = new Float32Array(n * p);
  const labels = new Int32Array(n);
  let max = 0;
  for (let r = 0; r < n; r++) {
    const { line, cells } = rows[r]!;
    if (cells.length !== p + 1) throw new DataFormatError(file, `line ${line} has ${cells.length} columns, expected ${p + 1} (label + ${p} pixels) like the first data row`);
    const label = Number(cells[0]);
    if (!Number.isInteger(label) || label < 0) throw new DataFormatError(file, `line ${line}, column 1: label '${cells[0]}' is not a non-negative integer`);
    labels[r] = label;
    for (let j = 0; j < p; j++) {
      const v = Number(cells[j + 1]);
      if (!Number.isFinite(v) || v < 0) throw new DataFormatError(file, `line ${line}, column ${j + 2}: pixel '${cells[j + 1]}' is not a non-negative number`);
      images[r * p + j] = v;
      if (v > max) max = v;
    }
  }
  if (max > 255) throw new DataFormatError(file, `pixel values must lie in [0, 1] or [0, 255], found ${max}`);
  if (max > 1) for (let i = 0; i < images.length; i++) images[i]! /= 255;
  let maxLabel = 0;
  for (let i = 0; i < n; i++) maxLabel = Math.max(maxLabel, labels[i]!);
  const numClasses = opts.numClasses ?? maxLabel + 1;
  if (maxLabel >= numClasses) throw new DataFormatError(file, `label ${maxLabel} is outside [0, ${numClasses})`);
  return checkDataset({ images, labels, n, ...shape, task: 'classify', numClasses, source: file });
}

function csvShape(p: number, opts: CsvOptions, file: string): { height: number; width: number; channels: number } {
  if (opts.height !== undefined || opts.width !== undefined || opts.channels !== undefined) {
    const channels = opts.channels ?? 1;
    const height = opts.height ?? opts.width ?? Math.round(Math.sqrt(p / channels));
    const width = opts.width ?? height;
    if (height * width * channels !== p) throw new DataFormatError(file, `rows have ${p} pixels but the given shape ${height}×${width}×${channels} needs ${height * width * channels}`);
    return { height, width, channels };
  }
  const s1 = Math.round(Math.sqrt(p));
  if (s1 * s1 === p) return { height: s1, width: s1, channels: 1 };
  const s3 = Math.round(Math.sqrt(p / 3));
  if (3 * s3 * s3 === p) return { height: s3, width: s3, channels: 3 };
  throw new DataFormatError(file, `rows have ${p} pixels, which is neither a square grey image (s²) nor a square RGB image (3 s²); pass height, width and channels`);
}
