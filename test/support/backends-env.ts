/**
 * Jest setup file of the integration and e2e projects (jest.config.js): points the AWS SDK and
 * kafkajs at the local backends unless the environment already says where they are.
 */
import { SCHEMA_VERSION_IDS_ENV } from '../../functions/shared/schema-ids';
import { applyBackendEnv } from './backends';
import { testSchemaIds } from './schema-ids';

applyBackendEnv();
// Handlers under test resolve record headers with the registry twin's ids, as the local runner gives them.
process.env[SCHEMA_VERSION_IDS_ENV] ??= JSON.stringify(testSchemaIds.toMap());

// Functions under test log warnings and errors only, and print no EMF metric lines (set either
// variable to see them, e.g. POWERTOOLS_LOG_LEVEL=INFO npx jest ...).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
