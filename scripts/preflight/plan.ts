/**
 * What a deploy of this app needs from the account, read from the app itself rather than restated:
 * the configuration through lib/config.ts (loadDeploymentConfig, the same context as `cdk deploy`), and
 * the rest from the synthesized cloud assembly (offline, no bundling): the bootstrap version the
 * synthesizer requires and its SSM parameter, the Lambda concurrency the templates reserve, the interface
 * endpoints and VPCs they create, and whether they set the API Gateway account's CloudWatch role.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildPipeline } from '../../lib/app';
import { type DeploymentConfig, loadDeploymentConfig } from '../../lib/config';
import { deploymentNames } from '../../lib/names';
import { defaultMskAzIds } from '../../lib/network/msk-availability-zones';

export interface DeploymentPlan {
  readonly config: DeploymentConfig;
  /** AZ IDs the VPC and the brokers use (configured or the region's default). */
  readonly azIds: readonly string[];
  /** Highest bootstrap stack version any stack or asset manifest requires. */
  readonly requiredBootstrapVersion: number;
  /** Where the bootstrap stack publishes its version, e.g. /cdk-bootstrap/hnb659fds/version. */
  readonly bootstrapVersionParameter: string;
  /** Sum of ReservedConcurrentExecutions over every function. */
  readonly reservedConcurrency: number;
  /** Interface endpoints per VPC and VPCs the stacks create. */
  readonly interfaceEndpointsPerVpc: number;
  readonly vpcs: number;
  /** Name of the stack holding the VPC (an existing one already counts against the quota). */
  readonly networkStackName: string;
  /** True when a stack creates AWS::ApiGateway::Account (the account's CloudWatch Logs role). */
  readonly setsApiGatewayAccount: boolean;
}

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

const DEFAULT_BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** The context `cdk` would use: cdk.json's, overridden by `-c key=value` pairs. */
export function cdkContext(root: string, overrides: Readonly<Record<string, string>>): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return { ...(cdkJson.context ?? {}), ...overrides };
}

/** Synthesizes the app (no bundling, into a temporary folder) and reads the plan from the assembly. */
export function planDeployment(context: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): DeploymentPlan {
  const outdir = mkdtempSync(join(tmpdir(), 'preflight-'));
  try {
    const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const config = loadDeploymentConfig(app.node, env);
    buildPipeline(app, config);
    const assembly = app.synth();
    let requiredBootstrapVersion = 0;
    let bootstrapVersionParameter: string | undefined;
    for (const artifact of assembly.artifacts) {
      const a = artifact as { requiresBootstrapStackVersion?: number; bootstrapStackVersionSsmParameter?: string };
      requiredBootstrapVersion = Math.max(requiredBootstrapVersion, a.requiresBootstrapStackVersion ?? 0);
      bootstrapVersionParameter ??= a.bootstrapStackVersionSsmParameter;
    }
    const resources = assembly.stacks.flatMap((s) => Object.values((s.template as Template).Resources ?? {}));
    const ofType = (type: string) => resources.filter((r) => r.Type === type);
    const vpcs = ofType('AWS::EC2::VPC').length;
    return {
      config,
      azIds: config.msk.azIds ?? defaultMskAzIds(config.region),
      requiredBootstrapVersion,
      bootstrapVersionParameter: bootstrapVersionParameter ?? DEFAULT_BOOTSTRAP_PARAMETER,
      reservedConcurrency: ofType('AWS::Lambda::Function').reduce(
        (sum, f) =>
          sum +
          (typeof f.Properties?.ReservedConcurrentExecutions === 'number'
            ? f.Properties.ReservedConcurrentExecutions
            : 0),
        0,
      ),
      interfaceEndpointsPerVpc:
        vpcs === 0
          ? 0
          : ofType('AWS::EC2::VPCEndpoint').filter((e) => e.Properties?.VpcEndpointType === 'Interface').length / vpcs,
      vpcs,
      networkStackName: deploymentNames(config.prefix).stacks.network,
      setsApiGatewayAccount: ofType('AWS::ApiGateway::Account').length > 0,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
