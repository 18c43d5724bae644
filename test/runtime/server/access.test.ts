import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequest, checkUpgrade, isLoopback, sameSecret, type AccessConfig } from '../../../runtime/server/access.ts';

const req = (url: string, headers: Record<string, string>): IncomingMessage => ({ url, headers }) as unknown as IncomingMessage;
const local: AccessConfig = { host: '127.0.0.1', port: 8080, token: null, allowOrigins: [] };
const exposed: AccessConfig = { host: '0.0.0.0', port: 8080, token: 's3cret', allowOrigins: ['http://lab.example:3000'] };

describe('access', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.4', '::', 'example.org']) expect(isLoopback(h)).toBe(false);
  });

  it('loopback: the Host must name the server (DNS rebinding), no token needed', () => {
    expect(checkUpgrade(req('/ws', { host: '127.0.0.1:8080' }), local)).toEqual({ ok: true });
    expect(checkUpgrade(req('/ws', { host: 'localhost:8080', origin: 'http://localhost:8080' }), local)).toEqual({ ok: true });
    expect(checkUpgrade(req('/ws', { host: 'evil.example:8080', origin: 'http://evil.example:8080' }), local)).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest(req('/', { host: 'evil.example:8080' }), local)).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(req('/other', { host: '127.0.0.1:8080' }), local)).toMatchObject({ ok: false, status: 404 });
  });

  it('a browser Origin must be the server\'s own page or allowed', () => {
    expect(checkUpgrade(req('/ws', { host: '127.0.0.1:8080', origin: 'http://evil.example' }), local)).toMatchObject({ ok: false, status: 403, reason: expect.stringMatching(/--allow-origin/) as string });
    expect(checkUpgrade(req('/ws?token=s3cret', { host: '10.0.0.2:8080', origin: 'http://lab.example:3000' }), exposed)).toEqual({ ok: true });
  });

  it('a non-loopback host needs the token on every upgrade', () => {
    expect(checkUpgrade(req('/ws?token=s3cret', { host: '10.0.0.2:8080' }), exposed)).toEqual({ ok: true });
    expect(checkUpgrade(req('/ws', { host: '10.0.0.2:8080' }), exposed)).toMatchObject({ ok: false, status: 401 });
    expect(checkUpgrade(req('/ws?token=s3cre', { host: '10.0.0.2:8080' }), exposed)).toMatchObject({ ok: false, status: 401 });
  });

  it('compares secrets of any length', () => {
    expect(sameSecret('a', 'a')).toBe(true);
    expect(sameSecret('a', 'ab')).toBe(false);
  });
});
