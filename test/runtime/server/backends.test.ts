import { describe, expect, it } from 'vitest';
import { adapterFor, backendInfo } from '../../../runtime/server/backends.ts';

describe('backends', () => {
  it('lists both backends; an available one yields its adapter, an unavailable one a typed error with the reason', async () => {
    const info = await backendInfo();
    expect(info.map((b) => b.id)).toEqual(['conductance', 'truenorth']);
    for (const b of info) {
      if (b.available) expect((await adapterFor(b.id)).href).toMatch(new RegExp(`adapters/${b.id}/index.ts$`));
      else await expect(adapterFor(b.id)).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining(b.reason) as string });
    }
    expect((await adapterFor('conductance', { dtMs: 0.05 })).options).toEqual({ dtMs: 0.05 });
  });
});
