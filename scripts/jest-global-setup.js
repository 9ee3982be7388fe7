// Jest global setup: runs once before any test (see scripts/prometheus-tests.js).
import { globalSetup } from './prometheus-tests.js';

export default function setup() {
  globalSetup();
}
