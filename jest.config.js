/** Jest on ESM TypeScript: ts-jest transpiles only (tsc --noEmit type-checks in `npm run lint`). */
import { prometheusInstalled, testsNeedingPrometheus } from './scripts/prometheus-tests.js';

// Without Prometheus the tests that start it are left out and scripts/prometheus-tests.js says so
// in one line at the end; under CI=true the global setup fails the run instead.
const withoutPrometheus = prometheusInstalled() ? [] : testsNeedingPrometheus().map((file) => `<rootDir>/${file.replace(/[.]/g, '\\.')}$`);

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...withoutPrometheus],
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  testTimeout: 60000,
  // Jest's default on a 2-core machine is one worker; the end-to-end files mostly wait on their
  // simulated worlds, so two workers halve the wall time without starving either.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/prometheus-tests.js', '<rootDir>/scripts/summary-reporter.js'],
};
