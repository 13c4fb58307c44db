/**
 * How every function is bundled, shared by the CDK stacks (NodejsFunction), the local runner and the
 * bundle benchmark, so what runs locally is what deploys.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  // The SDK clients are provided by the Lambda Node.js runtime: bundling them would only add size.
  // Only the clients: the runtime does not ship every @aws-sdk/* package (deprecated helpers such as
  // @aws-sdk/util-utf8-browser, which the MSK IAM signer's @aws-crypto/util@4 requires, are missing,
  // and a missing external is a Runtime.ImportModuleError at cold start), so helpers are bundled.
  '@aws-sdk/client-*',
  // Optional decoders @aws-lambda-powertools/kafka imports lazily for Avro/Protobuf; our events are JSON.
  'avro-js',
  'protobufjs',
];

export const BUNDLE_TARGET = 'node22';
