/**
 * The outputs the CLI's --target aws reads (lib/outputs.ts): every topology queue's URL and topic's
 * name, the API URL and key id, the brokers, each pointing at the resource it names.
 */
import { OUTPUT_KEYS } from '../../lib/outputs';
import { type QueueId, queues, type TopicId, topics } from '../../lib/topology';
import { logicalIdOf, synthPipeline } from './support';

const pipeline = synthPipeline();
const { streaming, services } = pipeline.stacks;
const streamingOutputs = pipeline.template(streaming).toJSON().Outputs as Record<string, { Value: unknown }>;
const servicesOutputs = pipeline.template(services).toJSON().Outputs as Record<string, { Value: unknown }>;

it.each(Object.keys(queues) as QueueId[])('Services stack outputs the URL of queue %s', (q) => {
  const queue = services.deadLetterQueues.get(q);
  const id = logicalIdOf(queue);
  expect(servicesOutputs[OUTPUT_KEYS.queueUrl(q)]?.Value).toEqual({ Ref: id });
});

it.each(Object.keys(topics) as TopicId[])('Streaming stack outputs the name of topic %s', (t) => {
  expect(streamingOutputs[OUTPUT_KEYS.topicName(t)]?.Value).toBe(streaming.topics.get(t)?.topicName);
  expect(streamingOutputs[OUTPUT_KEYS.topicName(t)]?.Value).toBe(topics[t].name);
});

it('the API URL and key id, and the brokers, are outputs too', () => {
  expect(servicesOutputs[OUTPUT_KEYS.apiUrl]).toBeDefined();
  expect(servicesOutputs[OUTPUT_KEYS.apiKeyId]).toBeDefined();
  expect(streamingOutputs[OUTPUT_KEYS.kafkaBrokers]).toBeDefined();
});
