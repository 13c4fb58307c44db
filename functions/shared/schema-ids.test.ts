import { ConfigError } from './config';
import { SCHEMA_VERSION_IDS_ENV, SchemaVersionIds, schemaVersionIdsFromEnv } from './schema-ids';

const V1 = '11111111-1111-4111-8111-111111111111';
const V2 = '22222222-2222-4222-8222-222222222222';
const env = (value: string) => ({ [SCHEMA_VERSION_IDS_ENV]: value });

describe('SchemaVersionIds', () => {
  const ids = SchemaVersionIds.fromMap({ OrderCreated: { '1': V1, '2': V2 } });

  it('maps (type, version) to the registry id and back (case-insensitive, as UUIDs are)', () => {
    expect(ids.idOf('OrderCreated', 2)).toBe(V2);
    expect(ids.resolve(V1)).toEqual({ type: 'OrderCreated', version: 1, id: V1 });
    expect(ids.resolve(V2.toUpperCase())).toMatchObject({ version: 2 });
  });

  it('knows nothing it was not given', () => {
    expect(ids.idOf('OrderCreated', 3)).toBeUndefined();
    expect(ids.idOf('PaymentVoided', 1)).toBeUndefined();
    expect(ids.resolve('33333333-3333-4333-8333-333333333333')).toBeUndefined();
  });

  it('round-trips through its environment format', () => {
    const back = schemaVersionIdsFromEnv(env(JSON.stringify(ids.toMap())));
    expect(back.toMap()).toEqual({ OrderCreated: { '1': V1, '2': V2 } });
  });

  it('refuses ids that are not UUIDs and an id given to two versions', () => {
    expect(() => SchemaVersionIds.fromMap({ OrderCreated: { '1': 'v1' } })).toThrow(ConfigError);
    expect(() => SchemaVersionIds.fromMap({ OrderCreated: { '1': V1, '2': V1 } })).toThrow(/twice/);
    expect(() => SchemaVersionIds.fromMap({ OrderCreated: { one: V1 } })).toThrow(ConfigError);
  });

  it.each([
    ['missing', undefined, /Missing required environment variable SCHEMA_VERSION_IDS/],
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['empty', '{}', /registers no schema version/],
  ])('fails the cold start when the variable is %s', (_, value, message) => {
    expect(() => schemaVersionIdsFromEnv(value === undefined ? {} : env(value))).toThrow(message);
  });
});
