/**
 * The Node.js runtime the functions are deployed on, and how the local machine compares to it. One
 * constant, read by the CDK (lib/services/pipeline-function.ts RUNTIME), the bundler target
 * (lib/bundling.ts) and the local execution environments; kept free of aws-cdk-lib so `npm start` and
 * `npm test` can check the local Node against it without loading the CDK.
 * Runtimes and their deprecation dates: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */

/** The Lambda runtime identifier of every function. */
export const LAMBDA_NODE_RUNTIME = 'nodejs22.x';

/** Oldest Node.js major the project supports locally (package.json `engines`, what CI runs). */
export const OLDEST_SUPPORTED_NODE_MAJOR = 20;

/** The Node.js major of a Lambda runtime identifier: `nodejs22.x` → 22. */
export function runtimeMajor(runtime: string): number {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!m) throw new Error(`not a Lambda Node.js runtime identifier: "${runtime}" (expected nodejsNN.x)`);
  return Number(m[1]);
}

export const DEPLOYED_NODE_MAJOR = runtimeMajor(LAMBDA_NODE_RUNTIME);

/**
 * The one-line warning for a local Node whose major differs from the deployed runtime's, or undefined
 * when they agree. Locally the functions run on this machine's Node, so a newer API used by mistake, or
 * a behaviour change between majors, would only show after deploying (or the other way round).
 */
export function nodeVersionWarning(localVersion: string, runtime = LAMBDA_NODE_RUNTIME): string | undefined {
  const local = Number(localVersion.replace(/^v/, '').split('.')[0]);
  const deployed = runtimeMajor(runtime);
  if (local === deployed) return undefined;
  return (
    `note: Node.js ${localVersion.replace(/^v/, '')} runs the functions here; AWS runs them on ${runtime}. ` +
    `Behaviour may differ between majors: test on Node ${deployed} before deploying` +
    (local < deployed ? ` (${OLDEST_SUPPORTED_NODE_MAJOR} is supported locally, and is what CI runs).` : '.')
  );
}

let warned = false;

/** Prints the warning once per process (npm start, npm test). */
export function warnIfLocalNodeDiffers(print: (line: string) => void = (l) => console.error(l)): void {
  if (warned) return;
  warned = true;
  const warning = nodeVersionWarning(process.version);
  if (warning) print(warning);
}
