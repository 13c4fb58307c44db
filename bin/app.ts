#!/usr/bin/env node
/**
 * CDK entry point (cdk.json "app"). Deployment settings come from context: see lib/config.ts and
 * README "Deploy to a sandbox". cdk-nag's AwsSolutions pack checks every stack at synth and fails it on any
 * unacknowledged finding (acknowledgements, each with its reason: lib/nag-suppressions.ts).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildPipeline } from '../lib/app';
import { loadDeploymentConfig } from '../lib/config';
import { applyNagSuppressions } from '../lib/nag-suppressions';

// Cross-stack references stay CloudFormation exports (the producer stack refuses to drop one in use).
const app = new App({ postCliContext: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
const stacks = buildPipeline(app, loadDeploymentConfig(app.node));
applyNagSuppressions(stacks);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
