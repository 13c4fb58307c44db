/** Builds LocalFunctions from the fixture handlers in test/fixtures/lambda-handlers (used by the runner's own tests). */
import { join } from 'node:path';
import { bundleFunction, runtimeBootstrap } from '../../localstack/runner/lambda/bundle';
import { lambdaRuntimeEnv } from '../../localstack/runner/lambda/environment';
import type { InvocationRecord } from '../../localstack/runner/lambda/invocation-log';
import { LocalFunction, type LocalFunctionOptions } from '../../localstack/runner/lambda/local-function';
import { uniqueName } from './unique-name';

export const testHandler = (name: string) => join(__dirname, '..', 'fixtures', 'lambda-handlers', `${name}.ts`);

export interface TestFunction {
  readonly fn: LocalFunction;
  readonly log: InvocationRecord[];
}

export async function testFunction(
  handler: string,
  overrides: Partial<Omit<LocalFunctionOptions, 'bundlePath' | 'bootstrapPath'>> & { entry?: string } = {},
): Promise<TestFunction> {
  const name = overrides.name ?? uniqueName(`test-${handler}`);
  const bundlePath = await bundleFunction({ entry: overrides.entry ?? testHandler(handler), name: `.test/${name}` });
  const log: InvocationRecord[] = [];
  const region = overrides.region ?? 'us-east-1';
  const memoryMb = overrides.memoryMb ?? 256;
  const fn = new LocalFunction({
    name,
    bundlePath,
    bootstrapPath: await runtimeBootstrap(),
    timeoutSeconds: 5,
    concurrency: 1,
    accountId: '000000000000',
    ...overrides,
    region,
    memoryMb,
    environment: {
      ...lambdaRuntimeEnv({ functionName: name, memoryMb, region, bundlePath }),
      ...overrides.environment,
    },
    log: (r) => {
      log.push(r);
      overrides.log?.(r);
    },
  });
  return { fn, log };
}
