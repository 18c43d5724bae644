import { describe, expect, it } from 'vitest';
import { Channel } from '../../runtime/channel.ts';

describe('Channel (an allocation-free Subject for per-tick paths)', () => {
  it('multicasts in subscription order; unsubscribing inside next() takes effect from the next value', () => {
    const c = new Channel<number>();
    const seen: string[] = [];
    const a = c.subscribe((x) => {
      seen.push(`a${x}`);
      if (x === 1) a.unsubscribe();
    });
    c.subscribe((x) => seen.push(`b${x}`));
    c.next(1);
    c.next(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('after complete() ignores next() and completes late subscribers; error() reaches every subscriber once', () => {
    const c = new Channel<number>();
    const events: string[] = [];
    c.subscribe({ next: (x) => events.push(`n${x}`), complete: () => events.push('done') });
    c.complete();
    c.next(3);
    c.asObservable().subscribe({ complete: () => events.push('late done') });
    expect(events).toEqual(['done', 'late done']);
    const e = new Channel<number>();
    const errors: unknown[] = [];
    e.subscribe({ error: (x) => errors.push(x) });
    e.error('boom');
    e.error('again');
    e.subscribe({ error: (x) => errors.push(`late ${String(x)}`) });
    expect(errors).toEqual(['boom', 'late boom']);
  });
});
