import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BUNDLE_TARGET } from './bundling';
import {
  DEPLOYED_NODE_MAJOR,
  LAMBDA_NODE_RUNTIME,
  nodeVersionWarning,
  OLDEST_SUPPORTED_NODE_MAJOR,
  runtimeMajor,
} from './runtime';
import { RUNTIME } from './services/pipeline-function';

describe('the deployed Node.js runtime, from one constant', () => {
  it('is what the CDK deploys and what esbuild targets', () => {
    expect(RUNTIME.name).toBe(LAMBDA_NODE_RUNTIME);
    expect(RUNTIME.family).toBe(lambda.RuntimeFamily.NODEJS);
    expect(BUNDLE_TARGET).toBe(`node${DEPLOYED_NODE_MAJOR}`);
  });

  it('reads the major from the runtime identifier', () => {
    expect(runtimeMajor('nodejs22.x')).toBe(22);
    expect(runtimeMajor('nodejs24.x')).toBe(24);
    expect(() => runtimeMajor('python3.12')).toThrow('not a Lambda Node.js runtime identifier: "python3.12"');
  });

  it('package.json engines state the oldest supported major', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(`>=${OLDEST_SUPPORTED_NODE_MAJOR}`);
    expect(OLDEST_SUPPORTED_NODE_MAJOR).toBeLessThanOrEqual(DEPLOYED_NODE_MAJOR);
  });
});

describe('nodeVersionWarning', () => {
  it('is silent when the local major is the deployed one', () => {
    expect(nodeVersionWarning(`v${DEPLOYED_NODE_MAJOR}.3.1`)).toBeUndefined();
    expect(nodeVersionWarning('22.0.0', 'nodejs22.x')).toBeUndefined();
  });

  it('names both versions when the local major is older, and says the older one is supported', () => {
    expect(nodeVersionWarning('v20.20.2', 'nodejs22.x')).toBe(
      'note: Node.js 20.20.2 runs the functions here; AWS runs them on nodejs22.x. Behaviour may differ between ' +
        'majors: test on Node 22 before deploying (20 is supported locally, and is what CI runs).',
    );
  });

  it('warns when the local major is newer too', () => {
    expect(nodeVersionWarning('v24.1.0', 'nodejs22.x')).toBe(
      'note: Node.js 24.1.0 runs the functions here; AWS runs them on nodejs22.x. Behaviour may differ between ' +
        'majors: test on Node 22 before deploying.',
    );
  });
});
