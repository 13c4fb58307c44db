import { ConfigError, intFromEnv, loadConfig } from './config';

describe('loadConfig', () => {
  it('returns the values and applies defaults', () => {
    const c = loadConfig({ A: {}, B: { default: 'b' }, C: { optional: true } }, { A: ' a ' });
    expect(c).toEqual({ A: 'a', B: 'b', C: undefined });
  });

  it('names every missing variable and the function', () => {
    expect(() => loadConfig({ ORDERS_TABLE: {}, DLQ_URL: {} }, { POWERTOOLS_SERVICE_NAME: 'inventory' })).toThrow(
      new ConfigError(
        'Missing required environment variables ORDERS_TABLE, DLQ_URL for inventory (set by lib/topology.ts functionEnvironment; locally by the runner).',
      ),
    );
  });

  it('treats an empty value as missing', () => {
    expect(() => loadConfig({ A: {} }, { A: '  ' })).toThrow(/A/);
  });
});

describe('intFromEnv', () => {
  it('parses in range, falls back when unset, rejects garbage with the name', () => {
    expect(intFromEnv('N', 4, 1, 10, { N: '7' })).toBe(7);
    expect(intFromEnv('N', 4, 1, 10, {})).toBe(4);
    expect(() => intFromEnv('N', 4, 1, 10, { N: '0' })).toThrow('N must be an integer in [1, 10], got "0"');
    expect(() => intFromEnv('N', 4, 1, 10, { N: 'x' })).toThrow(ConfigError);
  });
});
