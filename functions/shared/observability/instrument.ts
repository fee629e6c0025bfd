// Every function's middy chain starts here, the way Powertools' own example app wires it: the Lambda context in
// every log line (injectLambdaContext) and the business metrics flushed as EMF when the invocation ends, errors
// included (logMetrics). Traces come from Lambda's active tracing (CDK turns it on): a segment per invocation, its
// cold start's Initialization, its faults, and the trace id in every log line (Powertools Logger adds it). No
// Powertools Tracer: its X-Ray SDK is in maintenance since 2026-02-25 (end of support 2027-02-25) and was 125 KiB of
// every bundle, evaluated at each cold start, for one handler subsegment the platform's segment already covers.
// Callers add their own middlewares and the handler.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { metrics } from './metrics.ts';

export function instrumentedMiddy<Event, Result>() {
  // timeoutEarlyInMillis 0: the function's own timeout applies, as without middy.
  return middy<Event, Result, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(logMetrics(metrics))
    .use(injectLambdaContext(logger, { resetKeys: true }));
}
