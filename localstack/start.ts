/**
 * `npm start`: the whole pipeline on this machine. Starts the local backends (Kafka, DynamoDB Local,
 * ElasticMQ; those already running are reused) unless the environment points at other endpoints
 * (LocalStack + Redpanda: AWS_ENDPOINT_URL / KAFKA_BROKERS), provisions the topology, starts every
 * function and twin, and prints how to use it. Ctrl-C drains in-flight batches and stops cleanly;
 * the backends keep running (npm run backends:stop).
 *
 *   API_PORT=3000        port of the API Gateway twin
 *   API_KEY=<key>        require this x-api-key and throttle like the deployed usage plan
 *                        (API_RATE_LIMIT / API_BURST_LIMIT override lib/config.ts DEFAULTS.api)
 *   LOG_FORMAT=json      one JSON line per invocation instead of text
 *   LOG_LEVEL=WARN       level of the functions' own (Powertools) logs; INFO shows every line
 *   METRICS=1            print the functions' EMF metrics lines too
 *   DASHBOARD_PORT=3001  port of the local dashboard (the CloudWatch dashboard's widgets, live)
 */
import { warnIfLocalNodeDiffers } from '../lib/runtime';
import { isBackendError, startBackends } from './backends';
import { DEFAULT_DASHBOARD_PORT, dashboardHooks } from './dashboard/attach';
import { usagePlanFromEnv } from './runner/api/usage-plan';
import { journalPath, journalSink, teeSink } from './runner/lambda/invocation-journal';
import { jsonSink, textSink } from './runner/lambda/invocation-log';
import { type Pipeline, startPipeline } from './runner/pipeline';

const usesOtherEndpoints = () =>
  Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env.KAFKA_BROKERS);

function banner(p: Pipeline, seconds: number, plan: ReturnType<typeof usagePlanFromEnv>, dashboardUrl: string): string {
  const api = p.apiUrl;
  const key = plan ? ` -H 'x-api-key: ${plan.apiKey}'` : '';
  const keyNote = plan
    ? `\nAPI key required (API_KEY), ${plan.rateLimit} requests/s, burst ${plan.burstLimit}; the CLI sends it from ORDER_API_KEY\n`
    : '';
  return `
pipeline ready in ${seconds.toFixed(1)} s — API ${api}  (Kafka ${p.endpoints.kafkaBrokers.join(',')}, DynamoDB ${p.endpoints.dynamodb}, SQS ${p.endpoints.sqs})
dashboard:         ${dashboardUrl}  (the CloudWatch dashboard's widgets, live)
${keyNote}
place an order:
  curl -s -X POST ${api}/orders${key} -H 'content-type: application/json' \\
    -d '{"customerId":"cust-1","currency":"EUR","items":[{"sku":"SKU-KEYBOARD","quantity":1,"unitPrice":4999}]}'
  (out of stock: SKU-SOLDOUT · payment declined: customerId "blocked-1" or a total above 500000)

watch it:          npm run cli -- order watch <orderId>
trace its hops:    npm run cli -- order trace <orderId>
read it:           curl -s${key} ${api}/orders/<orderId>
list a customer:   curl -s${key} '${api}/orders?customerId=cust-1'
tail a topic:      npm run cli -- topic tail orders --from-beginning
dead letters:      npm run cli -- dlq list --all

Ctrl-C stops the pipeline (backends keep running: npm run backends:stop)
`;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  warnIfLocalNodeDiffers();
  const apiUsagePlan = usagePlanFromEnv();
  if (usesOtherEndpoints()) {
    console.log(
      'using the endpoints from the environment (AWS_ENDPOINT_URL / KAFKA_BROKERS); not starting local backends',
    );
  } else {
    const backends = await startBackends();
    for (const s of backends.servers) console.log(`  ${s.title.padEnd(38)} ${s.endpoint.padEnd(24)} ${s.action}`);
    for (const [k, v] of Object.entries(backends.env)) process.env[k] ??= v;
  }
  // Metrics are always on: the dashboard reads them from the functions' output (printed with METRICS=1).
  const dashboard = dashboardHooks({
    // The journal is what `npm run cli -- order trace <orderId>` reads.
    invocationLog: teeSink(process.env.LOG_FORMAT === 'json' ? jsonSink() : textSink(), journalSink(journalPath(''))),
    output: (_fn, line) => process.stdout.write(`${line}\n`),
    echoMetrics: process.env.METRICS === '1',
  });
  const pipeline = await startPipeline({
    apiPort: Number(process.env.API_PORT ?? 3000),
    ...(apiUsagePlan ? { apiUsagePlan } : {}),
    ...dashboard.pipelineOptions,
    log: (line) => console.log(line),
    functionEnv: () => ({
      POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'false',
    }),
  });
  const board = await dashboard
    .start(pipeline, Number(process.env.DASHBOARD_PORT ?? DEFAULT_DASHBOARD_PORT))
    .catch(async (e: unknown) => {
      await pipeline.stop();
      throw e;
    });
  console.log(banner(pipeline, (Date.now() - t0) / 1000, apiUsagePlan, board.url));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: draining in-flight batches…`);
    await board.stop();
    await pipeline.stop();
    console.log('pipeline stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(isBackendError(e) ? `\n✖ ${e.message}` : e);
  process.exit(1);
});
