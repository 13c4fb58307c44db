/**
 * Which of its own schema versions a consumer build reads a record with, when the record was written as
 * a version the build may not have (mixed versions in flight: producers and consumers deploy separately).
 *
 * The answer follows from what the registry's compatibility mode guarantees, nothing else. Glue holds
 * one mode per schema (lib/streaming/schema-registry.ts refuses versions of a type declaring different
 * modes), so the mode a build's own versions declare is the registry's; and Glue checks each new
 * version against the previous one only (BACKWARD, FULL; the _ALL modes are not used), so a guarantee
 * spans one version step:
 *
 * - written version known to the build → read as written;
 * - written v(N), build knows v(N+1) → read as v(N+1): BACKWARD and FULL both promise the new version
 *   accepts the previous one's data (a build always has the older versions anyway);
 * - written v(N+1), build knows v(N) as its newest → read as v(N) only under FULL (FORWARD would do too):
 *   the previous version then accepts the new one's data. Under BACKWARD nothing says a v(N) reader can
 *   read v(N+1) data (OrderCreated v1 is closed and pins `version` 1, so it rejects every v2 record), so
 *   the build refuses it rather than guess, and the record is dead-lettered as UNKNOWN_VERSION, to be
 *   redriven once a build with v(N+1) is deployed (consumers first);
 * - anything further away → refused: no mode here promises two steps.
 */
import type { EventType } from '../../lib/topology';
import { type CompatibilityMode, type EventSchemaEntry, eventSchema, eventTypes, versionsOf } from '../../schemas';

/** The schema versions a consumer build has validators for, per event type. */
export type KnownSchemaVersions = { readonly [T in EventType]: readonly number[] };

/** Every version of the catalog this build was compiled with: what a consumer reads by default. */
export const CATALOG_VERSIONS: KnownSchemaVersions = Object.fromEntries(
  eventTypes.map((type) => [type, versionsOf(type)]),
) as unknown as KnownSchemaVersions; // every EventType is a key: eventTypes lists them all

/**
 * The catalog as a build made before some versions existed would have it: for each type named, only the
 * versions up to the given one (e.g. `{ OrderCreated: 1 }`: a consumer built before OrderCreated v2).
 */
export function catalogVersionsUpTo(newest: { readonly [T in EventType]?: number }): KnownSchemaVersions {
  return Object.fromEntries(
    eventTypes.map((type) => {
      const limit = newest[type] ?? Number.POSITIVE_INFINITY;
      return [type, CATALOG_VERSIONS[type].filter((v) => v <= limit)];
    }),
  ) as unknown as KnownSchemaVersions; // every EventType is a key, as above
}

/** Modes under which the previous version accepts the next version's data (the catalog has FULL only). */
const OLD_READS_NEW: ReadonlySet<CompatibilityMode> = new Set<CompatibilityMode>(['FULL']);

export type ReadAs =
  | { readonly ok: true; readonly entry: EventSchemaEntry }
  | { readonly ok: false; readonly message: string };

/** The build's schema to read a record of `type` written as `written` with, or why it cannot. */
export function readAs(type: EventType, written: number, known: KnownSchemaVersions): ReadAs {
  const versions = known[type];
  if (versions.includes(written)) return { ok: true, entry: entryOf(type, written) };
  if (versions.includes(written + 1)) return { ok: true, entry: entryOf(type, written + 1) };
  const newest = Math.max(...versions);
  const reads = versions.length === 0 ? 'none' : versions.map((v) => `v${v}`).join(', ');
  if (written !== newest + 1) {
    return {
      ok: false,
      message: `${type} v${written} cannot be read by this build (reads ${reads}): no compatibility mode spans that gap`,
    };
  }
  const newestEntry = entryOf(type, newest);
  if (OLD_READS_NEW.has(newestEntry.compatibility)) return { ok: true, entry: newestEntry };
  return {
    ok: false,
    message:
      `${type} v${written} is newer than this build reads (${reads}), and ${type} is registered ` +
      `${newestEntry.compatibility}, which does not promise that v${newest} readers can read v${written} data: ` +
      `deploy consumers built with v${written} first, then redrive`,
  };
}

function entryOf(type: EventType, version: number): EventSchemaEntry {
  const entry = eventSchema(type, version);
  // A known version outside the catalog is a misconfigured build, not a record's fault.
  if (!entry) throw new Error(`known schema versions name ${type} v${version}, which the catalog lacks`);
  return entry;
}
