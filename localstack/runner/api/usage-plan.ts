/**
 * The API key and usage-plan throttling of the deployed API (lib/services/orders-api.ts: every method
 * `apiKeyRequired`, one usage plan with rate/burst from lib/config.ts `api`). API Gateway throttles with a
 * token bucket: the bucket holds `burstLimit` tokens, refills at `rateLimit` tokens per second, and each
 * request takes one; a request that finds it empty gets 429 (THROTTLED). A request without a valid key
 * gets 403 (INVALID_API_KEY) before any throttling.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
import { DEFAULTS } from '../../../lib/config';

export interface UsagePlanSettings {
  /** The one key of the plan: requests must send it in `x-api-key`. */
  readonly apiKey: string;
  /** Steady requests per second. */
  readonly rateLimit: number;
  /** Bucket size: requests allowed at once after an idle period. */
  readonly burstLimit: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(rate > 0)) throw new Error(`usage plan: rateLimit must be > 0, got ${rate}`);
    if (!(burst >= 1)) throw new Error(`usage plan: burstLimit must be >= 1, got ${burst}`);
    this.tokens = burst; // starts full
    this.last = now();
  }

  /** Takes a token if one is there; false means throttled. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, t - this.last) / 1000) * this.rate);
    this.last = t;
    // The epsilon absorbs float drift from many small refills (0.1 + 0.1 + ... must reach 1).
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    return true;
  }
}

/** What the usage plan decides for a request: pass, or the gateway response type that answers it. */
export type KeyCheck = 'pass' | 'INVALID_API_KEY' | 'THROTTLED';

export class UsagePlan {
  private readonly bucket: TokenBucket;

  constructor(
    private readonly settings: UsagePlanSettings,
    now: () => number = Date.now,
  ) {
    if (settings.burstLimit < settings.rateLimit) throw new Error('usage plan: burstLimit must be >= rateLimit');
    this.bucket = new TokenBucket(settings.rateLimit, settings.burstLimit, now);
  }

  check(apiKey: string | undefined): KeyCheck {
    if (apiKey !== this.settings.apiKey) return 'INVALID_API_KEY';
    return this.bucket.take() ? 'pass' : 'THROTTLED';
  }
}

/**
 * The twin's usage plan from the environment: API_KEY turns it on (unset: keyless, no throttling, so
 * `npm start` needs no set-up); API_RATE_LIMIT / API_BURST_LIMIT override the deployed defaults.
 */
export function usagePlanFromEnv(env: NodeJS.ProcessEnv = process.env): UsagePlanSettings | undefined {
  const apiKey = env.API_KEY;
  if (!apiKey) return undefined;
  const limit = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: must be a number > 0, got "${raw}"`);
    return n;
  };
  const rateLimit = limit('API_RATE_LIMIT', DEFAULTS.api.rateLimit);
  const burstLimit = limit('API_BURST_LIMIT', Math.max(DEFAULTS.api.burstLimit, rateLimit));
  if (burstLimit < rateLimit) {
    throw new Error(`API_BURST_LIMIT: must be >= API_RATE_LIMIT (${rateLimit}), got ${burstLimit}`);
  }
  return { apiKey, rateLimit, burstLimit };
}
