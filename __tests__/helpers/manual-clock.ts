// A clock that moves only when the test says so: sleepers wake in time order as it advances, so a
// background loop (the lock's renewal) runs exactly as often as the simulated time allows.
import type { Clock } from '../../src/clock.js';

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];
  constructor(private at: number) {}

  now(): Date {
    return new Date(this.at);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = { at: this.at + ms, wake: resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Moves time forward by ms, waking each sleeper due on the way and letting it run. */
  async advance(ms: number): Promise<void> {
    const target = this.at + ms;
    for (;;) {
      await settle();
      const next = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.at = Math.max(this.at, next.at);
      next.wake();
    }
    this.at = target;
    await settle();
  }

  /** Advances in steps until the promise settles (or the limit is reached). */
  async until<T>(promise: Promise<T>, stepMs: number, limitMs = 3_600_000): Promise<T> {
    let done = false;
    const watched = promise.finally(() => (done = true));
    for (let spent = 0; !done && spent < limitMs; spent += stepMs) await this.advance(stepMs);
    return watched;
  }

  get pending(): number {
    return this.sleepers.length;
  }
}

/** Lets every promise chain that is ready run (a few macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
