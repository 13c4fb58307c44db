/**
 * The one test that bundles for real (the others skip bundling): esbuild on this machine, no Docker,
 * minified with a source map, the AWS SDK left to the Lambda runtime.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildPipeline } from '../../lib/app';
import { loadDeploymentConfig } from '../../lib/config';
import { functions } from '../../lib/topology';

const outdir = mkdtempSync(join(tmpdir(), 'cdk-bundling-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundles', () => {
  const app = new App({ outdir });
  const stacks = buildPipeline(app, loadDeploymentConfig(app.node));
  const assembly = app.synth();
  const services = stacks.services;
  const template = Template.fromJSON(assembly.getStackByName(services.stackName).template);

  const assetDirOf = (fn: lambda.Function) => {
    const props = template.toJSON().Resources[services.getLogicalId(fn.node.defaultChild as never)].Properties;
    const hash = String(props.Code.S3Key).replace(/\.zip$/, '');
    return join(outdir, `asset.${hash}`);
  };

  it.each(Object.keys(functions))('%s is bundled into one minified file with a source map', (id) => {
    const dir = assetDirOf(services.functions.get(id as never) as lambda.Function);
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    // Minified: long lines (the few line breaks left are inside template literals).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(existsSync(join(dir, 'index.js.map'))).toBe(true);
    const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    expect(map.sources.some((s) => s.endsWith(functions[id as keyof typeof functions].entry))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
    // SDK clients come from the runtime: required, never bundled.
    expect(map.sources.filter((s) => s.includes('node_modules/@aws-sdk/client-'))).toEqual([]);
  });

  it('keeps the relay self-contained apart from the SDK clients (kafkajs and the MSK IAM signer are bundled)', () => {
    const dir = assetDirOf(services.functions.get('outbox-relay') as lambda.Function);
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    // Calls esbuild left for externals; `[require("…")]` is only quoted inside an SDK error message.
    const required = [...code.matchAll(/(?<!\[)require\("([^"]+)"\)/g)].map((m) => m[1] as string);
    const nonBuiltin = [...new Set(required.filter((r) => !r.startsWith('node:') && !/^[a-z_]+$/.test(r)))];
    // Only SDK clients are left to the runtime (helpers such as util-utf8-browser are not in it).
    expect(nonBuiltin.every((r) => r.startsWith('@aws-sdk/client-'))).toBe(true);
    expect(nonBuiltin).toContain('@aws-sdk/client-kafka');
    const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.includes('node_modules/kafkajs/'))).toBe(true);
  });
});
