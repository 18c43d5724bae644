/**
 * docs/results/vision.svg: validation accuracy against training steps, one line per arm (mean over
 * seeds, with a ±sd band), from the compute section of the report. Plain SVG, no dependencies.
 */
import type { ComputeResult } from './report.ts';

const COLOURS = ['#444444', '#d62728', '#ff7f0e', '#9467bd', '#1f77b4', '#2ca02c', '#8c564b'];

export function curvesSvg(c: ComputeResult, opts: { width?: number; height?: number; yMin?: number } = {}): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 420;
  const m = { left: 56, right: 150, top: 20, bottom: 44 };
  const steps = c.arms.flatMap((a) => a.curve.map((p) => p.step));
  const xMax = Math.max(1, ...steps);
  const yMin = opts.yMin ?? 0.8;
  const x = (s: number): number => m.left + ((W - m.left - m.right) * s) / xMax;
  const y = (v: number): number => m.top + (H - m.top - m.bottom) * (1 - (Math.max(yMin, Math.min(1, v)) - yMin) / (1 - yMin));
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  for (let v = yMin; v <= 1.0001; v += 0.05) {
    parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${(100 * v).toFixed(0)}</text>`);
  }
  for (const t of c.targets) parts.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>`);
  const tick = Math.max(1, Math.round(xMax / 6 / 100) * 100);
  for (let s = 0; s <= xMax; s += tick) parts.push(`<text x="${x(s).toFixed(1)}" y="${H - m.bottom + 16}" text-anchor="middle">${s}</text>`);
  parts.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 8}" text-anchor="middle">training steps (batch ${c.batchSize})</text>`);
  parts.push(`<text x="14" y="${(m.top + H - m.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(m.top + H - m.bottom) / 2})">MNIST validation accuracy %</text>`);
  c.arms.forEach((a, i) => {
    const col = COLOURS[i % COLOURS.length]!;
    const pts = a.curve.filter((p) => Number.isFinite(p.mean));
    if (pts.length === 0) return;
    const band = [...pts.map((p) => `${x(p.step).toFixed(1)},${y(p.mean + p.sd).toFixed(1)}`), ...[...pts].reverse().map((p) => `${x(p.step).toFixed(1)},${y(p.mean - p.sd).toFixed(1)}`)];
    parts.push(`<polygon points="${band.join(' ')}" fill="${col}" fill-opacity="0.12" stroke="none"/>`);
    parts.push(`<polyline points="${pts.map((p) => `${x(p.step).toFixed(1)},${y(p.mean).toFixed(1)}`).join(' ')}" fill="none" stroke="${col}" stroke-width="1.6"/>`);
    parts.push(`<line x1="${W - m.right + 12}" x2="${W - m.right + 32}" y1="${m.top + 16 * i + 6}" y2="${m.top + 16 * i + 6}" stroke="${col}" stroke-width="2"/>`);
    parts.push(`<text x="${W - m.right + 38}" y="${m.top + 16 * i + 10}">${a.arm} (${a.seeds.length})</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
