import type { SimClock } from './types.js';

/**
 * Real time plus an offset a test can jump forward: pods and ticks keep running in real time while
 * `advance()` skips over long waits (progress deadlines, scale-down delays, timed pauses).
 */
export class ShiftableClock implements SimClock {
  #offsetMs = 0;
  readonly #base: () => number;

  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  now(): number {
    return this.#base() + this.#offsetMs;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}
