/**
 * The Ajv (JSON Schema 2020-12) set up for this catalog, compiling at run time. Used by the schema tests
 * and by scripts/generate-validators.ts, which turns its compiled validators into standalone code at
 * build time. Functions never compile: they run schemas/generated/validators.js. The package.json beside
 * this file marks it free of side effects, so a bundle that does not call createCatalogAjv drops it and
 * Ajv's compiler with it (functions/shared/validation.test.ts checks the bundle).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { sharedSchemas } from '../index';

/** Custom annotation keywords of the catalog (metadata only; they never affect validation). */
const CATALOG_KEYWORDS = ['x-compatibility'] as const;

export interface CatalogAjvOptions {
  /** Check each schema against the 2020-12 meta-schema on compile (tests and the generator do). */
  readonly validateSchema?: boolean;
  /** Keep each validator's source so Ajv standalone can emit it as a module (the generator). */
  readonly standaloneSource?: boolean;
}

/**
 * Strict mode, every error reported, the formats the schemas use and the shared schemas registered so
 * `$ref`s resolve. The generated validators are compiled by exactly this setup, so tests that use it
 * and functions that run the generated code apply the same rules.
 */
export function createCatalogAjv(options: CatalogAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    validateSchema: options.validateSchema ?? false,
    // lines: one statement per line, so a schema change shows as a readable diff of the generated file.
    ...(options.standaloneSource ? { code: { source: true, lines: true } } : {}),
  });
  // ajv-formats also sets code.formats, so standalone code requires its date-time check from
  // ajv-formats/dist/formats instead of inlining a function it cannot serialise.
  addFormats(ajv, ['date-time']);
  for (const keyword of CATALOG_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' });
  for (const schema of sharedSchemas) ajv.addSchema(schema);
  return ajv;
}
