// Every function's middy chain starts here, the way Powertools' own example app wires it: the Lambda context in
// every log line (injectLambdaContext), the business metrics flushed as EMF when the invocation ends, errors
// included (logMetrics), and an X-Ray segment per invocation (captureLambdaHandler; responses are left out, they
// carry personal data). Callers add their own middlewares and the handler.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { metrics } from './metrics.ts';
import { tracer } from './tracer.ts';

export function instrumentedMiddy<Event, Result>() {
  // timeoutEarlyInMillis 0: the function's own timeout applies, as without middy.
  return middy<Event, Result, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(logMetrics(metrics))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }));
}
