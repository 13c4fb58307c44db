/**
 * Jest setup file of the integration and e2e projects (jest.config.js): points the AWS SDK and
 * kafkajs at the local backends unless the environment already says where they are.
 */
import { applyBackendEnv } from './backends';

applyBackendEnv();
