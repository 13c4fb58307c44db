import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { applyNagSuppressions } from '../../lib/nag-suppressions';
import { functions } from '../../lib/topology';
import { synthPipeline } from './support';

/** Every acknowledgement recorded in the tree, with where it was made. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Recorded as { "<pack>::<rule id>": reason }.
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

describe('cdk-nag AwsSolutions over the whole app', () => {
  it('finds problems when nothing is acknowledged (the pack really runs)', () => {
    const { app } = synthPipeline();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.success).toBe(false);
    const rules = report.violations.map((v) => v.ruleName);
    expect(rules.join(' ')).toMatch(/AwsSolutions-IAM4/);
  });

  it('reports zero unacknowledged findings once the reasoned acknowledgements are applied', () => {
    const { app, stacks } = synthPipeline();
    applyNagSuppressions(stacks);
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(
      report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges specific findings on specific constructs, each with a real reason', () => {
    const { app, stacks } = synthPipeline();
    applyNagSuppressions(stacks);
    // aws-cdk-lib records acknowledgements of its own (CloudFormation-Validate::...); ours are cdk-nag rule ids.
    const acks = acknowledgements(app).filter((a) => a.id.startsWith('Annotation::'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length).toBeGreaterThan(40);
      // Never on a whole stack or the app: always on the construct that has the finding.
      expect(ack.path.split('/').length).toBeGreaterThan(1);
    }
    // APIG6: the account role exists (OrdersApi sets it); execution logs are off for their unmanaged log group.
    const apig6 = acks.find((a) => a.id === 'Annotation::AwsSolutions-APIG6');
    expect(apig6?.reason).toMatch(/API-Gateway-Execution-Logs_/);
    expect(apig6?.reason).not.toMatch(/must not take over/);
    // No blanket acknowledgement of wildcard permissions: IAM5 only for actions without resource scope
    // (X-Ray's trace upload on every actively traced function, the relay's ListStreams, the replay role's
    // CreateEventSourceMapping held by its lambda:FunctionArn condition) and for the replay role's own
    // stack ids (lib/services/replay-access.ts).
    const iam5 = acks.filter((a) => a.id.startsWith('Annotation::AwsSolutions-IAM5'));
    const star = iam5.filter((a) => a.id === 'Annotation::AwsSolutions-IAM5[Resource::*]');
    const traced = star.filter((a) => /xray:PutTraceSegments/.test(a.reason));
    expect(traced).toHaveLength(Object.keys(functions).length);
    expect(star.filter((a) => !traced.includes(a)).map((a) => a.path.split('/').pop())).toEqual(['Replay']);
    expect(star.filter((a) => /ListStreams/.test(a.reason)).map((a) => a.path)).toEqual([
      expect.stringMatching(/OutboxRelay$/),
    ]);
    const others = iam5.filter((a) => !star.includes(a)).map((a) => a.id);
    expect(others.length).toBeGreaterThan(0);
    for (const id of others) expect(id).toMatch(/:stack\/OrderSaga-(Streaming|Services)\/\*\]$/);
  });
});
