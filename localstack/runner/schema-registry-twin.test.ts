import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventSchemaEntry, eventSchemas } from '../../schemas/index';
import { localRegistryName, registerSchemas, SchemaRegistrationRefused } from './schema-registry-twin';

const orderCreated = eventSchemas.filter((e) => e.type === 'OrderCreated') as [EventSchemaEntry, EventSchemaEntry];
const [, v2] = orderCreated;

/** v3 of OrderCreated made from v2 by `change` to its payload's properties/required. */
function v3(change: (payload: Record<string, unknown>) => Record<string, unknown>): EventSchemaEntry {
  const props = v2.schema.properties as Record<string, Record<string, unknown>>;
  return {
    ...v2,
    version: 3,
    schema: {
      ...v2.schema,
      $id: v2.schema.$id.replace('v2.json', 'v3.json'),
      properties: { ...props, version: { enum: [1, 2, 3] }, payload: change(props.payload as Record<string, unknown>) },
    },
  };
}

function refusalOf(register: () => unknown): Error | undefined {
  try {
    register();
  } catch (err) {
    return err as Error;
  }
  return undefined;
}

describe('schema registry twin', () => {
  it('registers every version of the catalog with a UUID id, stable across runs, distinct per registry', () => {
    const first = registerSchemas(localRegistryName(''));
    expect(first.map((r) => `${r.type} v${r.version}`)).toEqual(eventSchemas.map((e) => `${e.type} v${e.version}`));
    for (const r of first)
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(first.map((r) => r.id)).size).toBe(first.length);
    expect(registerSchemas(localRegistryName('')).map((r) => r.id)).toEqual(first.map((r) => r.id));
    const copy = registerSchemas(localRegistryName('t1-'));
    expect(copy.some((r, i) => r.id === first[i]?.id)).toBe(false);
  });

  it('registers the draft-07 definition Glue receives', () => {
    const [created] = registerSchemas('r', [orderCreated[0]]);
    expect(JSON.parse(created?.definition ?? '{}').$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('gives a changed definition a new id', () => {
    const reworded = { ...v2, schema: { ...v2.schema, description: 'reworded' } };
    const [, a] = registerSchemas('r', orderCreated);
    const [, b] = registerSchemas('r', [orderCreated[0], reworded]);
    expect(a?.id).not.toBe(b?.id);
  });

  it('registers a compatible v3 (an optional property added)', () => {
    const compatible = v3((payload) => ({
      ...payload,
      properties: { ...(payload.properties as object), giftWrap: { type: 'boolean' } },
    }));
    expect(registerSchemas('r', [...orderCreated, compatible]).map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('refuses a breaking v3 (a new required property) with every issue, as Glue BACKWARD does', () => {
    const breaking = v3((payload) => ({
      ...payload,
      properties: { ...(payload.properties as object), channel: { type: 'string' } },
      required: [...(payload.required as string[]), 'channel'],
    }));
    const refused = refusalOf(() => registerSchemas('r', [...orderCreated, breaking]));
    expect(refused).toBeInstanceOf(SchemaRegistrationRefused);
    expect((refused as SchemaRegistrationRefused).issues).toEqual([
      { path: '/payload/channel', problem: expect.stringMatching(/required/) },
    ]);
    expect((refused as Error).message).toMatch(/^schema registry refuses OrderCreated v3: not compatible with v2/);
  });

  it('refuses a gap in the version numbers', () => {
    expect(() => registerSchemas('r', [orderCreated[0], v3((p) => p)])).toThrow(SchemaRegistrationRefused);
  });

  // As a developer would add it (schemas/README.md "Adding a version"): v2.json copied to a v3.json file,
  // then changed in a way BACKWARD forbids. The file is read back and offered to registration, the path
  // provisioning takes (provision.ts → registerSchemas), which refuses it before any id is issued.
  it.each([
    {
      change: 'a new required property without default',
      edit: (payload: Record<string, unknown>) => ({
        ...payload,
        properties: { ...(payload.properties as object), channel: { type: 'string' } },
        required: [...(payload.required as string[]), 'channel'],
      }),
      issue: { path: '/payload/channel', problem: expect.stringMatching(/required/) },
    },
    {
      change: 'a removed property (the payload is closed)',
      edit: (payload: Record<string, unknown>) => {
        const { shippingAddress: _, ...properties } = payload.properties as Record<string, unknown>;
        return { ...payload, properties };
      },
      issue: { path: '/payload/shippingAddress', problem: expect.any(String) },
    },
  ])('refuses an OrderCreated v3.json with $change, naming the field', ({ edit, issue }) => {
    const dir = mkdtempSync(join(tmpdir(), 'order-created-v3-'));
    try {
      const file = join(dir, 'v3.json');
      writeFileSync(file, JSON.stringify(v3(edit).schema, null, 2));
      const fromFile = {
        ...v2,
        version: 3,
        schema: JSON.parse(readFileSync(file, 'utf8')) as EventSchemaEntry['schema'],
      };
      const refused = refusalOf(() => registerSchemas('r', [...orderCreated, fromFile]));
      expect(refused).toBeInstanceOf(SchemaRegistrationRefused);
      expect(refused?.message).toMatch(/^schema registry refuses OrderCreated v3: not compatible with v2/);
      expect((refused as SchemaRegistrationRefused).issues).toEqual([issue]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
