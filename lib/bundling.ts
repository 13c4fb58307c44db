/**
 * How every function is bundled, shared by the CDK stacks (NodejsFunction), the local runner and the
 * bundle benchmark, so what runs locally is what deploys.
 *
 * The AWS SDK is bundled, not left to the Lambda runtime's copy: a minified, tree-shaken SDK in one file
 * initialises ~20-30 ms faster than the runtime's node_modules (bench: `npm run bench -- bundles` prints
 * both), the SDK version that ships is the one the tests ran, and nothing can be missing at cold start
 * (the runtime does not ship every @aws-sdk/* package: the MSK IAM signer needs the deprecated
 * @aws-sdk/util-utf8-browser). This is the AWS SDK team's own advice for cold starts; the price is size
 * (~300 KB of the ~570 KB bundles is the SDK).
 */
import { DEPLOYED_NODE_MAJOR } from './runtime';

export const BUNDLE_EXTERNALS: readonly string[] = [
  // Optional decoders @aws-lambda-powertools/kafka imports lazily for Avro/Protobuf; our events are JSON.
  'avro-js',
  'protobufjs',
];

/** ES module builds first, so esbuild can drop the SDK commands and Powertools code we never import. */
export const BUNDLE_MAIN_FIELDS: readonly string[] = ['module', 'main'];

/** esbuild's target: the deployed runtime's Node.js major (lib/runtime.ts). */
export const BUNDLE_TARGET = `node${DEPLOYED_NODE_MAJOR}`;
