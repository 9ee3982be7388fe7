// Indefinite pauses that hold no canary traffic — before any setWeight, after `setWeight: 0`, or at
// 100% before full promotion (judged after it): nothing to judge, promoted at once and recorded.
import { promotePauses } from '../promote.js';
import type { GateRunner } from './gate.js';

export const passGate: GateRunner = {
  async reach() {
    return undefined;
  },
  async judge(_ctx, gate) {
    return { passedBy: gate.note ?? 'promoted at once' };
  },
  async leave(ctx, gate, judged) {
    await promotePauses(ctx, gate);
    return judged;
  },
};
