/**
 * The one unique-name helper of the tests: names for resources a test creates on the shared local
 * servers, so parallel runs (and other checkouts' tests) never collide.
 */
import { randomUUID } from 'node:crypto';

/**
 * `<label>-<8 hex>`, e.g. `relay-1a2b3c4d`. As the prefix of an isolated topology copy
 * (localstack/runner/names.ts joins prefix and name without a separator) use `${uniqueName(label)}-`.
 */
export const uniqueName = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;
