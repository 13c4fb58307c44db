/**
 * How every function is bundled, shared by the CDK stacks (NodejsFunction), the local runner and the
 * bundle benchmark, so what runs locally is what deploys.
 */
export const BUNDLE_EXTERNALS: readonly string[] = [
  // Provided by the Lambda Node.js runtime: bundling it would only add size.
  '@aws-sdk/*',
  // Optional decoders @aws-lambda-powertools/kafka imports lazily for Avro/Protobuf; our events are JSON.
  'avro-js',
  'protobufjs',
];

export const BUNDLE_TARGET = 'node22';
