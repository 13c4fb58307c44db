/**
 * validateEvent / validateCreateOrderRequest behaviour beyond the schema examples (schemas/*.test.ts):
 * dispatch reasons, inputs that are not objects, stable paths, every field reported, no compiling at
 * run time, and the bundle cost of validation.
 */
import { buildSync } from 'esbuild';
import { toIssues, validateCreateOrderRequest, validateEvent } from './validation';

const event = {
  eventId: '01936f0e-5a2b-7001-9e4d-4c2a1f0b7d01',
  type: 'PaymentAuthorized',
  version: 1,
  occurredAt: '2025-01-15T10:30:00.000Z',
  source: 'payment',
  correlationId: 'corr-1',
  causationId: '01936f0e-5a2b-7002-9e4d-4c2a1f0b7d02',
  orderId: 'order-1',
  sequence: 3,
  payload: {
    customerId: 'cust-1',
    paymentId: '01936f0e-5a2b-7003-9e4d-4c2a1f0b7d03',
    amount: { amount: 1, currency: 'EUR' },
  },
};

describe('validateEvent', () => {
  it('returns the event itself when valid', () => {
    const result = validateEvent(event);
    expect(result).toEqual({ ok: true, event });
    if (result.ok) expect(result.event).toBe(event);
  });

  it.each([null, undefined, 42, 'text', [event], true])('rejects %p as not a JSON object', (value) => {
    expect(validateEvent(value)).toEqual({
      ok: false,
      reason: 'INVALID',
      errors: [{ path: '', message: 'must be a JSON object', keyword: 'type' }],
    });
  });

  it('an unknown type is UNKNOWN_TYPE, naming the type', () => {
    const result = validateEvent({ ...event, type: 'OrderShipped' });
    expect(result).toEqual({
      ok: false,
      reason: 'UNKNOWN_TYPE',
      errors: [{ path: '/type', message: 'unknown event type "OrderShipped"', keyword: 'enum' }],
    });
  });

  it('does not take inherited object keys for event types', () => {
    expect(validateEvent({ ...event, type: 'constructor' })).toMatchObject({ ok: false, reason: 'UNKNOWN_TYPE' });
    expect(validateEvent({ ...event, type: '__proto__' })).toMatchObject({ ok: false, reason: 'UNKNOWN_TYPE' });
  });

  it('an unknown version is UNKNOWN_VERSION, listing the known ones', () => {
    expect(validateEvent({ ...event, type: 'OrderCreated', version: 9 })).toEqual({
      ok: false,
      reason: 'UNKNOWN_VERSION',
      errors: [{ path: '/version', message: 'unknown version 9 of OrderCreated (known: 1, 2)', keyword: 'enum' }],
    });
  });

  it('a version that is not an integer is INVALID, not unknown', () => {
    for (const version of ['1', 1.5, null]) {
      expect(validateEvent({ ...event, version })).toMatchObject({
        ok: false,
        reason: 'INVALID',
        errors: [{ path: '/version' }],
      });
    }
  });

  it('dispatches on the version: a v1 OrderCreated carrying a v2 field is invalid, the same as v2 is valid', () => {
    const payload = {
      customerId: 'c',
      currency: 'EUR',
      items: [{ sku: 'SKU-A', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } }],
      total: { amount: 1, currency: 'EUR' },
      shippingAddress: { recipient: 'A', line1: 'B', city: 'C', postalCode: '1', countryCode: 'DE' },
    };
    const created = { ...event, type: 'OrderCreated', sequence: 1, payload };
    expect(validateEvent({ ...created, version: 2 }).ok).toBe(true);
    expect(validateEvent({ ...created, version: 1 })).toMatchObject({
      ok: false,
      reason: 'INVALID',
      errors: [{ path: '/payload/shippingAddress', keyword: 'additionalProperties', message: 'is not allowed' }],
    });
  });

  it('reports every failing field with a stable path, each once', () => {
    const result = validateEvent({
      ...event,
      sequence: 0,
      payload: { paymentId: 'nope', amount: { amount: 1.25, currency: 'eur' }, extra: true },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.path} ${e.keyword}`).sort()).toEqual([
      '/payload/amount/amount type',
      '/payload/amount/currency pattern',
      '/payload/customerId required',
      '/payload/extra additionalProperties',
      '/payload/paymentId pattern',
      '/sequence minimum',
    ]);
  });

  it('a type/version mismatch with the content is caught by the schema of the claimed type', () => {
    expect(validateEvent({ ...event, type: 'PaymentDeclined' })).toMatchObject({
      ok: false,
      reason: 'INVALID',
      errors: expect.arrayContaining([expect.objectContaining({ path: '/payload/reason', keyword: 'required' })]),
    });
  });
});

describe('validateCreateOrderRequest', () => {
  it('reports every failing field, not only the first', () => {
    const result = validateCreateOrderRequest({
      currency: 'euro',
      items: [
        { sku: 'SKU-A', quantity: 0, unitPrice: 1.5 },
        { quantity: 1, unitPrice: 1, color: 'red' },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { path: '/customerId', keyword: 'required', message: 'is required' },
        expect.objectContaining({ path: '/currency', keyword: 'pattern' }),
        expect.objectContaining({ path: '/items/0/quantity', keyword: 'minimum', message: 'must be >= 1' }),
        expect.objectContaining({ path: '/items/0/unitPrice', keyword: 'type', message: 'must be integer' }),
        { path: '/items/1/sku', keyword: 'required', message: 'is required' },
        { path: '/items/1/color', keyword: 'additionalProperties', message: 'is not allowed' },
      ]),
    });
  });

  it.each([null, 'x', [], 3])('rejects a body that is not an object: %p', (body) => {
    expect(validateCreateOrderRequest(body)).toEqual({
      ok: false,
      errors: [{ path: '', keyword: 'type', message: 'must be object' }],
    });
  });
});

describe('toIssues', () => {
  it('escapes property names into JSON Pointer tokens', () => {
    const issues = toIssues([
      {
        keyword: 'additionalProperties',
        instancePath: '/payload',
        schemaPath: '#',
        params: { additionalProperty: 'a/b~c' },
      },
    ]);
    expect(issues).toEqual([{ path: '/payload/a~1b~0c', message: 'is not allowed', keyword: 'additionalProperties' }]);
  });
});

describe('compilation', () => {
  it('compiles nothing at run time: the validators were compiled at build time (schemas/generated)', () => {
    jest.isolateModules(() => {
      // A fresh module registry, so nothing was validated before; require (not import) keeps this synchronous.
      const { default: Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
      const compile = jest.spyOn(Ajv2020.prototype, 'compile');
      const fresh = require('./validation') as typeof import('./validation');
      for (let i = 0; i < 50; i++) expect(fresh.validateEvent(event).ok).toBe(true);
      for (let i = 0; i < 50; i++) expect(fresh.validateEvent({ ...event, type: 'PaymentDeclined' }).ok).toBe(false);
      for (let i = 0; i < 50; i++) expect(fresh.validateCreateOrderRequest({}).ok).toBe(false);
      expect(compile).not.toHaveBeenCalled();
      compile.mockRestore();
    });
  });

  it("a function bundle carries no Ajv compiler: only the generated code and Ajv's runtime helpers", () => {
    const out = buildSync({
      stdin: {
        contents: "export { validateEvent, validateCreateOrderRequest } from './validation';",
        resolveDir: __dirname,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      write: false,
      metafile: true,
    });
    // Files that contribute code to the output (metafile.inputs also lists files tree-shaken away).
    const [output] = Object.values(out.metafile.outputs);
    const bundled = Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file);
    expect(bundled.filter((f) => f.includes('node_modules/')).sort()).toEqual([
      'node_modules/ajv-formats/dist/formats.js',
      'node_modules/ajv/dist/runtime/ucs2length.js',
    ]);
    expect(bundled).toContain('schemas/generated/validators.js');
    expect(bundled.filter((f) => f.includes('catalog-ajv'))).toEqual([]);
  });

  it('bundles to well under the 250 KB function budget (ajv + formats + the JSON catalog)', () => {
    const out = buildSync({
      stdin: { contents: "export { validateEvent } from './validation';", resolveDir: __dirname, loader: 'ts' },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      write: false,
    });
    const bytes = out.outputFiles[0]?.contents.byteLength ?? 0;
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThan(200_000);
  });
});
