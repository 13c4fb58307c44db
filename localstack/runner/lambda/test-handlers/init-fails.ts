/** Test handler whose module initialisation fails (like a missing environment variable at cold start). */
if (!process.env.REQUIRED_SETTING) {
  const error = new Error('Missing required environment variable REQUIRED_SETTING');
  error.name = 'ConfigError';
  throw error;
}
export const handler = async () => ({ setting: process.env.REQUIRED_SETTING });
