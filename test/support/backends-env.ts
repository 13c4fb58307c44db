/**
 * Jest setup file of the integration and e2e projects (jest.config.js): points the AWS SDK and
 * kafkajs at the local backends unless the environment already says where they are.
 */
import { applyBackendEnv } from './backends';

applyBackendEnv();

// Functions under test log warnings and errors only, and print no EMF metric lines (set either
// variable to see them, e.g. POWERTOOLS_LOG_LEVEL=INFO npx jest ...).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
