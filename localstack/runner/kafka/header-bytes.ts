/**
 * Kafka header values in the MSK event: a JSON array of the value's bytes, written by Lambda's Java
 * poller from a Java `byte[]`, so each byte is *signed* (-128..127): "ë" (UTF-8 c3 ab) arrives as
 * [-61, -85]. AWS's only example (Lambda guide, with-msk.html "Example event") is ASCII, where signed and
 * unsigned agree; the sign is what AWS's own runtime libraries model after reports from real events:
 * aws-lambda-java-events `List<Map<String, byte[]>>`, aws-lambda-go `[]int8` (github.com/aws/aws-lambda-go/pull/506),
 * aws-lambda-dotnet `sbyte[]` (github.com/aws/aws-lambda-dotnet/pull/1476), aws-lambda-rust-runtime `i8`
 * (github.com/aws/aws-lambda-rust-runtime/pull/689).
 *
 * The twin writes signed bytes, as AWS does; every reader accepts both signs (-128..255), so a record
 * that went through an unsigned writer (an older twin, a hand-made test event) still decodes.
 */

/** A header value as the MSK event carries it: the value's bytes as signed integers (-128..127). */
export function toMskHeaderBytes(value: Uint8Array): number[] {
  return Array.from(new Int8Array(value.buffer, value.byteOffset, value.length));
}

/** Whether n can be one byte of an MSK header value: signed (-128..127) or unsigned (0..255). */
export const isMskHeaderByte = (n: unknown): n is number =>
  Number.isInteger(n) && (n as number) >= -128 && (n as number) <= 255;

/** The header value's bytes back from either sign; undefined when an entry is not a byte. */
export function fromMskHeaderBytes(bytes: readonly unknown[]): Buffer | undefined {
  if (!bytes.every(isMskHeaderByte)) return undefined;
  // Two's complement: -61 & 0xff = 195 = 0xc3; 0..255 are unchanged.
  return Buffer.from(bytes.map((b) => b & 0xff));
}
