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
  reporters: ['default', '<rootDir>/scripts/prometheus-tests.js', '<rootDir>/scripts/summary-reporter.js'],
};
