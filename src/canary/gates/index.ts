// Gate kinds by name, like release-please's strategies: a new kind is one file and one line here.
import type { GateKind } from '../../rollouts/plan.js';
import { analysisGate } from './analysis.js';
import { fullGate } from './full.js';
import type { GateRunner } from './gate.js';
import { passGate } from './pass.js';
import { pauseGate } from './pause.js';
import { timedPauseGate } from './timed-pause.js';

export const GATES: Readonly<Record<GateKind, GateRunner>> = {
  pause: pauseGate,
  'timed-pause': timedPauseGate,
  analysis: analysisGate,
  pass: passGate,
  full: fullGate,
};

export type { GateRunner, Judged } from './gate.js';
