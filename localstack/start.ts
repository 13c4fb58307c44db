/**
 * `npm start`: brings up the local backends (Kafka, DynamoDB Local, ElasticMQ) — starting only
 * those not already running — and prints where they are. They keep running in the background
 * until `npm run backends:stop`.
 *
 * Later steps (provisioning topics/tables/queues, the local pipeline) are added after
 * `startBackends()`: they receive its endpoints through `result.env`.
 */
import { isBackendError, type StartResult, startBackends } from './backends';

function printEndpoints(result: StartResult): void {
  console.log('\nlocal backends:');
  for (const s of result.servers) console.log(`  ${s.title.padEnd(38)} ${s.endpoint.padEnd(24)} ${s.action}`);
  console.log('\npoint a shell at them:  eval "$(npm run -s backends:env)"');
  for (const [k, v] of Object.entries(result.env)) console.log(`  ${k}=${v}`);
  console.log('\nstop them:              npm run backends:stop');
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const result = await startBackends();
  console.log(`backends ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  printEndpoints(result);
}

main().catch((e: unknown) => {
  console.error(isBackendError(e) ? `\n✖ ${e.message}` : e);
  process.exit(1);
});
