import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REALTIME_V8_FLAGS } from '../../runtime/realtime-process.ts';

const MODULE = new URL('../../runtime/realtime-process.ts', import.meta.url).href;

describe('relaunching with the real-time V8 flags', () => {
  it('runs the same script again with the flags and passes its exit code on; with the flags on it carries on', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'swta-relaunch-'));
    try {
      const script = path.join(dir, 'script.mts');
      // Prints which process it is in and exits with 7 from the relaunched one; the first process must exit with that code too.
      writeFileSync(script, `
        const { relaunchWithRealtimeFlags } = await import(${JSON.stringify(MODULE)});
        const code = await relaunchWithRealtimeFlags();
        if (code !== null) { console.log('parent saw', code); process.exitCode = code; }
        else { console.log('child', process.argv.slice(2).join(' '), process.execArgv.filter((a) => a.startsWith('--no-')).join(' ')); process.exitCode = 7; }
      `);
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, 'a', 'b'], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual([`child a b ${REALTIME_V8_FLAGS.join(' ')}`, 'parent saw 7']);
      expect(r.status).toBe(7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
