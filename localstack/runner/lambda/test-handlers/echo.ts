/** Test handler: reports what an invocation sees (event, environment, context, module state). */
import type { Context } from 'aws-lambda';

let invocations = 0;

export const handler = async (event: unknown, context: Context) => {
  invocations++;
  return {
    event,
    greeting: process.env.GREETING,
    functionNameEnv: process.env.AWS_LAMBDA_FUNCTION_NAME,
    invocations,
    functionName: context.functionName,
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    awsRequestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
  };
};
