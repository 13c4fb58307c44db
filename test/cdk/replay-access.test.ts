/**
 * Replay IAM (lib/services/replay-access.ts): each Kafka consumer's role may use only its own replay groups
 * (`replay.<fn>.<topic>`, no wildcard), and the ReplayRole may create/read/delete event source mappings only of the
 * Kafka consumers (condition lambda:FunctionArn:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html), with the Kafka group
 * actions limited to replay groups. Output ReplayRoleArn and the consumers' function names for the CLI.
 */
import { OUTPUT_KEYS } from '../../lib/outputs';
import { REPLAY_MAPPING_ACTIONS, REPLAY_OPERATOR_GROUP_ACTIONS } from '../../lib/services/replay-access';
import { type FunctionId, kafkaMappings } from '../../lib/topology';
import { actionsOf, resourcesOf, type Statement, statementsOfRole, synthPipeline } from './support';

const pipeline = synthPipeline();
const services = pipeline.template(pipeline.stacks.services);
const consumers = [...new Set(kafkaMappings.map((m) => m.function))];
const groupResources = (statements: Statement[]) =>
  statements
    .filter((s) => actionsOf(s).includes('kafka-cluster:AlterGroup'))
    .flatMap((s) => [s.Resource].flat())
    .map((r) => JSON.stringify(r));

describe('replay access', () => {
  it.each(consumers)('%s may join its own replay groups only', (fn) => {
    const groups = groupResources(pipeline.roleStatements(fn));
    const replayGroups = groups.filter((g) => g.includes('replay.'));
    const topicsOf = kafkaMappings.filter((m) => m.function === fn).map((m) => m.topic);
    expect(replayGroups).toHaveLength(topicsOf.length);
    for (const topic of topicsOf) expect(replayGroups.some((g) => g.endsWith(`/replay.${fn}.${topic}"]]}`))).toBe(true);
    expect(groups.filter((g) => g.includes('replay.') && !g.includes(`replay.${fn}.`))).toEqual([]);
  });

  it('the ReplayRole manages mappings of the Kafka consumers only', () => {
    const roles = resourcesOf(services, 'AWS::IAM::Role');
    const [replayRoleId] = Object.keys(roles).filter((id) => id.startsWith('ReplayRole'));
    expect(replayRoleId).toBeDefined();
    const statements = statementsOfRole(services, replayRoleId as string);
    const mappingStatement = statements.find((s) => actionsOf(s).includes('lambda:CreateEventSourceMapping'));
    expect(actionsOf(mappingStatement as Statement).sort()).toEqual([...REPLAY_MAPPING_ACTIONS].sort());
    const arns = JSON.stringify(mappingStatement?.Condition);
    expect(arns).toContain('lambda:FunctionArn');
    for (const fn of consumers) expect(arns).toContain(pipeline.logicalIds.function(fn));
    for (const fn of ['order-api', 'outbox-relay', 'reconciler'] as FunctionId[])
      expect(arns).not.toContain(pipeline.logicalIds.function(fn));
    const groupStatement = statements.find((s) => actionsOf(s).includes('kafka-cluster:DeleteGroup'));
    expect(actionsOf(groupStatement as Statement).sort()).toEqual([...REPLAY_OPERATOR_GROUP_ACTIONS].sort());
    for (const r of [groupStatement?.Resource].flat())
      expect(JSON.stringify(r)).toMatch(/\/replay\.[a-z-]+\.[a-z]+"\]\]\}$/);
    expect(statements.some((s) => actionsOf(s).some((a) => a.endsWith('*')))).toBe(false);
    // No wildcard resource but CreateEventSourceMapping's '*' (held by the condition) and the stacks' ids.
    const wild = statements
      .flatMap((s) => [s.Resource].flat())
      .map((r) => JSON.stringify(r))
      .filter((r) => r.includes('*'));
    for (const r of wild) expect(r).toMatch(/^"\*"$|:stack\/OrderSaga-(Streaming|Services)\/\*/);
  });

  it("outputs the role and every Kafka consumer's function name", () => {
    const outputs = services.toJSON().Outputs as Record<string, unknown>;
    expect(outputs[OUTPUT_KEYS.replayRoleArn]).toBeDefined();
    for (const fn of consumers) expect(outputs[OUTPUT_KEYS.functionName(fn)]).toBeDefined();
    const streaming = pipeline.template(pipeline.stacks.streaming).toJSON().Outputs as Record<string, unknown>;
    expect(streaming[OUTPUT_KEYS.kafkaClusterArn]).toBeDefined();
  });
});
