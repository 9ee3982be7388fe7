// The SLO module's front door: the factory that turns settings.sloProvider into a backend. Adding a
// backend is one file next to this one and one line in BACKENDS.
import type { SloProvider } from '../settings.js';
import { commandProvider, type CommandDeps } from './command.js';
import { prometheusProvider, type PrometheusDeps } from './prometheus.js';
import type { SloProviderBackend } from './provider.js';

export type SloDeps = PrometheusDeps & CommandDeps;

type Kind = Exclude<SloProvider['kind'], 'none'>;
type Backends = { readonly [K in Kind]: (config: Extract<SloProvider, { kind: K }>, deps: SloDeps) => SloProviderBackend };

const BACKENDS: Backends = {
  prometheus: prometheusProvider,
  command: commandProvider,
};

/** The configured backend, or undefined when none is (allowed only in dry-run). */
export function createSloProvider(config: SloProvider, deps: SloDeps = {}): SloProviderBackend | undefined {
  if (config.kind === 'none') return undefined;
  // TypeScript cannot correlate the key with its config type through a union; BACKENDS' type does.
  const create = BACKENDS[config.kind] as (config: SloProvider, deps: SloDeps) => SloProviderBackend;
  return create(config, deps);
}

export { bake, type BakeOptions, type BakeResult, type Sample } from './bake.js';
export { judge, type Breach, type Judgement, type Verdict } from './judge.js';
export type { Measurement, SloContext, SloProviderBackend } from './provider.js';
