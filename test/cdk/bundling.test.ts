/**
 * The one test that bundles for real (the others skip bundling): esbuild on this machine, no Docker,
 * minified with a source map, the AWS SDK bundled from its ES module build (tree-shaken).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildPipeline } from '../../lib/app';
import { BUNDLE_EXTERNALS } from '../../lib/bundling';
import { loadDeploymentConfig } from '../../lib/config';
import { functions } from '../../lib/topology';
import { logicalIdOf } from './support';

const outdir = mkdtempSync(join(tmpdir(), 'cdk-bundling-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundles', () => {
  const app = new App({ outdir });
  const stacks = buildPipeline(app, loadDeploymentConfig(app.node));
  const assembly = app.synth();
  const services = stacks.services;
  const template = Template.fromJSON(assembly.getStackByName(services.stackName).template);

  const assetDirOf = (fn: lambda.Function) => {
    const props = template.toJSON().Resources[logicalIdOf(fn)].Properties;
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
    // Nothing is left to the runtime but Node built-ins and the optional decoders: every `require` esbuild
    // left names one of those (quoted `require("…")` is text: an SDK error message, Ajv's code strings).
    const required = [...code.matchAll(/(?<![["'])require\("([^"]+)"\)/g)].map((m) => m[1] as string);
    const nonBuiltin = [...new Set(required.filter((r) => !r.startsWith('node:') && !/^[a-z_]+$/.test(r)))];
    expect(nonBuiltin.filter((r) => !BUNDLE_EXTERNALS.includes(r))).toEqual([]);
    // The SDK comes from its ES module build, so commands the function never sends are left out.
    const clientSources = map.sources.filter((s) => s.includes('node_modules/@aws-sdk/client-'));
    expect(clientSources.length).toBeGreaterThan(0);
    expect(clientSources.every((s) => s.includes('/dist-es/') || s.endsWith('package.json'))).toBe(true);
    expect(clientSources.some((s) => s.endsWith('/CreateTableCommand.js'))).toBe(false);
  });

  it('bundles kafkajs, the MSK IAM signer and the Kafka control-plane client into the relay', () => {
    const dir = assetDirOf(services.functions.get('outbox-relay') as lambda.Function);
    const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sources: string[] };
    for (const pkg of [
      'kafkajs',
      'aws-msk-iam-sasl-signer-js',
      '@aws-sdk/client-kafka',
      '@aws-sdk/credential-providers',
    ])
      expect(map.sources.some((s) => s.includes(`node_modules/${pkg}/`))).toBe(true);
  });
});
