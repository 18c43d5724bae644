import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { WS_PATH } from './protocol.ts';

/**
 * Who may talk to the server (PROTOCOL.md §1). Loopback by default, and then no token; any other
 * address requires a token on every WebSocket upgrade. The Host header must name the server
 * (blocks DNS rebinding on loopback) and a browser's Origin must be the server's own page (blocks
 * cross-site WebSocket hijacking), unless listed in allowOrigins.
 */
export interface AccessConfig {
  host: string;
  port: number;
  /** Required on upgrades when set (always set for a non-loopback host). */
  token: string | null;
  allowOrigins: readonly string[];
}

export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** Host headers that name this server: loopback names with the port, and the bound host. */
export function allowedHostHeaders(cfg: AccessConfig): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  if (!isLoopback(cfg.host)) names.push(isIP(cfg.host) === 6 ? `[${cfg.host}]` : cfg.host);
  return new Set(names.map((n) => `${n}:${cfg.port}`.toLowerCase()));
}

function hostVerdict(req: IncomingMessage, cfg: AccessConfig): Verdict {
  const host = (req.headers.host ?? '').toLowerCase();
  // With a token, the token is the guard: a server bound to 0.0.0.0 is reached under names it cannot know.
  if (cfg.token !== null && !isLoopback(cfg.host)) return { ok: true };
  if (!allowedHostHeaders(cfg).has(host)) {
    return { ok: false, status: 403, reason: `Host '${req.headers.host ?? ''}' does not name this server; use http://127.0.0.1:${cfg.port}/` };
  }
  return { ok: true };
}

/** HTTP requests for the viewer: only the Host check. */
export function checkRequest(req: IncomingMessage, cfg: AccessConfig): Verdict {
  return hostVerdict(req, cfg);
}

/** WebSocket upgrades: path, Host, Origin and token. */
export function checkUpgrade(req: IncomingMessage, cfg: AccessConfig): Verdict {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== WS_PATH) return { ok: false, status: 404, reason: `the WebSocket endpoint is ${WS_PATH}` };
  const host = hostVerdict(req, cfg);
  if (!host.ok) return host;
  const origin = req.headers.origin;
  if (origin !== undefined && !cfg.allowOrigins.includes(origin) && origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`) {
    return { ok: false, status: 403, reason: `Origin '${origin}' is not this server's page; allow it with --allow-origin` };
  }
  if (cfg.token !== null && !isLoopback(cfg.host)) {
    const given = url.searchParams.get('token');
    if (given === null || !sameSecret(given, cfg.token)) return { ok: false, status: 401, reason: 'missing or wrong token: connect to /ws?token=<token> (printed at server start)' };
  }
  return { ok: true };
}

/** Constant-time comparison of two secrets of any length (via their SHA-256 digests). */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
