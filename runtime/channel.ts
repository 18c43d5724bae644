import { Observable, type Observer, type Subscriber } from 'rxjs';

/**
 * A multicast channel like rxjs's Subject, for the per-tick paths (clock, links, spikes): an
 * Observable that next() pushes to every current subscriber, in subscription order, without
 * allocating. (rxjs 7's Subject.next wraps each call in a closure and walks its observers with an
 * iterator object: a few hundred bytes per tick and channel.) Subscribing or unsubscribing copies
 * the subscriber list, so a subscriber may do either from inside next(). After complete() or
 * error() the channel ignores next() and completes new subscribers at once, as a Subject does.
 */
export class Channel<T> extends Observable<T> implements Observer<T> {
  private readonly state: { subscribers: Subscriber<T>[]; stopped: boolean; error: { value: unknown } | null };

  constructor() {
    const state: { subscribers: Subscriber<T>[]; stopped: boolean; error: { value: unknown } | null } = { subscribers: [], stopped: false, error: null };
    super((subscriber) => {
      if (state.error) {
        subscriber.error(state.error.value);
        return;
      }
      if (state.stopped) {
        subscriber.complete();
        return;
      }
      state.subscribers = [...state.subscribers, subscriber];
      return () => {
        state.subscribers = state.subscribers.filter((s) => s !== subscriber);
      };
    });
    this.state = state;
  }

  next(value: T): void {
    if (this.state.stopped) return;
    const subscribers = this.state.subscribers;
    for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(value);
  }

  error(e: unknown): void {
    if (this.state.stopped) return;
    this.state.stopped = true;
    this.state.error = { value: e };
    const subscribers = this.state.subscribers;
    this.state.subscribers = [];
    for (const s of subscribers) s.error(e);
  }

  complete(): void {
    if (this.state.stopped) return;
    this.state.stopped = true;
    const subscribers = this.state.subscribers;
    this.state.subscribers = [];
    for (const s of subscribers) s.complete();
  }

  /** This channel as a plain Observable (no next() for the holder). */
  asObservable(): Observable<T> {
    return new Observable<T>((subscriber) => this.subscribe(subscriber));
  }
}
