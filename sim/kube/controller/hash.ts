/** Pod-template and step hashes: stable short strings over a canonical form of the JSON. */
import { createHash } from 'node:crypto';
import { clone, isRecord } from '../types.js';
import { HASH_LABEL, type CanaryStep, type PodTemplate } from './model.js';

/** Consonants and digits that cannot spell words or read as a number, like the controller's hashes. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Go hashes the typed struct, where an unset field, `null` and an empty map or list are the same
 * thing. An undo that copies `creationTimestamp: null` from a ReplicaSet's template must land on the
 * same hash, so those are all dropped before hashing.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => [k, canonical(value[k])] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value === null ? undefined : value;
}

export function shortHash(value: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(canonical(value) ?? null)).digest();
  return [...digest.subarray(0, 10)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

export function withoutHashLabel(template: PodTemplate | undefined): PodTemplate {
  const copy = clone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return copy;
}

export function podTemplateHash(template: PodTemplate | undefined): string {
  return shortHash(withoutHashLabel(template));
}

export function stepsHash(steps: readonly CanaryStep[]): string {
  return shortHash({ steps });
}
