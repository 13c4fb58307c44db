/**
 * The catalog itself: every schema compiles in Ajv strict mode against the 2020-12 meta-schema, lives
 * where its `$id` says, has a unique `$id`, declares its compatibility, and the catalog covers exactly
 * the event types of lib/topology.ts. The API schema stays translatable to an API Gateway draft-4 model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type EventType, topics } from '../lib/topology';
import { createCatalogAjv } from './catalog-ajv';
import {
  createOrderRequestSchema,
  eventSchema,
  eventSchemas,
  eventTypes,
  type JsonSchema,
  latestVersion,
  sharedSchemas,
  versionsOf,
} from './index';
import { SCHEMAS_DIR, schemaPath } from './test-support';
import type { VersionsByType } from './types';

const allSchemas: JsonSchema[] = [...sharedSchemas, ...eventSchemas.map((e) => e.schema), createOrderRequestSchema];

function schemaFilesOnDisk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return schemaFilesOnDisk(path);
    return /^v\d+\.json$/.test(d.name) ? [relative(SCHEMAS_DIR, path)] : [];
  });
}

describe('schema files', () => {
  it.each(allSchemas.map((s) => ({ id: s.$id, schema: s })))('$id compiles in strict mode', ({ schema }) => {
    const ajv = createCatalogAjv({ validateSchema: true });
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('a schema using an unknown keyword fails to compile (strict mode is on)', () => {
    const ajv = createCatalogAjv({ validateSchema: true });
    expect(() => ajv.compile({ $id: 'urn:test:strict', type: 'object', minProperty: 1 })).toThrow(/unknown keyword/);
  });

  it.each(allSchemas.map((s) => ({ id: s.$id, schema: s })))('$id is the file it is stored in', ({ schema }) => {
    expect(JSON.parse(readFileSync(schemaPath(schema), 'utf8'))).toEqual(schema);
  });

  it('$ids are unique and every schema file on disk is in the catalog', () => {
    const ids = allSchemas.map((s) => s.$id);
    expect(new Set(ids).size).toBe(ids.length);
    const inCatalog = allSchemas.map((s) => relative(SCHEMAS_DIR, schemaPath(s))).sort();
    expect(schemaFilesOnDisk(SCHEMAS_DIR).sort()).toEqual(inCatalog);
  });

  it.each(eventSchemas.map((e) => ({ name: `${e.type} v${e.version}`, e })))(
    '$name: declares its mode, pins type, allows versions 1..N, lives at events/<kebab-type>/v<N>.json',
    ({ e }) => {
      expect(['BACKWARD', 'FULL']).toContain(e.schema['x-compatibility']);
      expect(e.compatibility).toBe(e.schema['x-compatibility']);
      const properties = e.schema.properties as Record<string, { const?: unknown; enum?: unknown }>;
      expect(properties.type?.const).toBe(e.type);
      // v1 pins its version; v<N> also accepts 1..N-1, so it reads every earlier version's records as
      // written (BACKWARD, as Glue checks it: a const N would reject them all).
      const versions = Array.from({ length: e.version }, (_, i) => i + 1);
      if (e.version === 1) expect(properties.version?.const).toBe(1);
      else expect(properties.version?.enum).toEqual(versions);
      const kebab = e.type.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      expect(e.schema.$id).toMatch(new RegExp(`/schemas/events/${kebab}/v${e.version}\\.json$`));
      expect(e.schema.$ref).toBe('../../envelope/v1.json');
    },
  );
});

describe('catalog ↔ topology', () => {
  const topologyTypes = [...new Set(Object.values(topics).flatMap((t) => t.eventTypes))].sort();

  it('has a schema for every event type the topology routes, and no other', () => {
    expect([...eventTypes].sort()).toEqual(topologyTypes);
    for (const type of topologyTypes) expect(eventSchema(type, 1)).toBeDefined();
  });

  it('versions are 1..n without gaps; latestVersion is the newest', () => {
    for (const type of eventTypes) {
      const versions = versionsOf(type);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
      expect(latestVersion(type)).toBe(versions.length);
    }
  });

  it('schemas/types.ts VersionsByType lists the same versions', () => {
    // Typed against VersionsByType: a version missing from the type does not compile; one missing from
    // the catalog fails here.
    const declared: { readonly [T in EventType]: readonly VersionsByType[T][] } = {
      OrderCreated: [1, 2],
      InventoryReserved: [1],
      InventoryRejected: [1],
      InventoryReleased: [1],
      PaymentAuthorized: [1],
      PaymentDeclined: [1],
      PaymentVoided: [1],
      OrderExpired: [1],
      NotificationSent: [1],
    };
    for (const type of eventTypes) expect(versionsOf(type)).toEqual(declared[type]);
  });
});

describe('API request schema (source of the API Gateway draft-4 model)', () => {
  // Keywords that mean the same in draft-4 and 2020-12 ($schema/$id/title/description are replaced or ignored).
  const translatable = new Set([
    ...['$schema', '$id', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties'],
    ...['items', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'enum'],
  ]);
  const keywordsOf = (node: unknown, inProperties = false): string[] => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
    return Object.entries(node).flatMap(([k, v]) => [
      ...(inProperties ? [] : [k]),
      ...(k === 'enum' || k === 'required' ? [] : keywordsOf(v, k === 'properties' && !inProperties)),
    ]);
  };

  it('uses only keywords that translate to draft-4 (no $ref, const, $defs, exclusive bounds)', () => {
    const used = new Set(keywordsOf(createOrderRequestSchema));
    expect([...used].filter((k) => !translatable.has(k))).toEqual([]);
    expect(used.has('additionalProperties')).toBe(true);
  });

  it('spells customerId, sku and currency exactly as the events do', () => {
    const common = sharedSchemas.find((s) => s.$id.endsWith('/common/v1.json'));
    const defs = common?.$defs as Record<string, { pattern: string }>;
    const props = createOrderRequestSchema.properties as Record<string, { pattern: string; items: JsonSchema }>;
    const line = props.items.items.properties as Record<string, { pattern: string; maximum: number }>;
    expect(props.customerId.pattern).toBe(defs.id?.pattern);
    expect(props.currency.pattern).toBe(defs.currency?.pattern);
    expect(line.sku?.pattern).toBe(defs.sku?.pattern);
    expect(line.quantity?.maximum).toBe((defs.lineQuantity as unknown as { maximum: number }).maximum);
  });
});
