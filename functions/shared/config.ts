/**
 * Configuration from the environment, validated once at cold start. A missing variable fails the
 * function's initialisation with a message naming it, instead of a vague error on the first record.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Spec = Readonly<Record<string, { readonly optional?: boolean; readonly default?: string }>>;
type Resolved<S extends Spec> = {
  readonly [K in keyof S]: S[K] extends { optional: true } ? string | undefined : string;
};

export function loadConfig<S extends Spec>(spec: S, env: NodeJS.ProcessEnv = process.env): Resolved<S> {
  const missing: string[] = [];
  const out: Record<string, string | undefined> = {};
  for (const [name, rule] of Object.entries(spec)) {
    const value = env[name]?.trim() || rule.default;
    if (!value && !rule.optional) missing.push(name);
    out[name] = value;
  }
  if (missing.length > 0) {
    const fn = env.POWERTOOLS_SERVICE_NAME ?? 'this function';
    throw new ConfigError(
      `Missing required environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for ${fn} ` +
        '(set by lib/topology.ts functionEnvironment; locally by the runner).',
    );
  }
  return out as Resolved<S>;
}

/** Integer env var with bounds, e.g. a concurrency limit. */
export function intFromEnv(name: string, fallback: number, min: number, max: number, env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`Environment variable ${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  }
  return n;
}
