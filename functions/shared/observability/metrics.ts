// The one Powertools Metrics instance of every function: business metrics go out as EMF lines on stdout (the log
// stream), which CloudWatch turns into metrics on AWS; locally they are just JSON lines in the output.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '#shared/logger.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from './metric-names.ts';

const NOTHING_TO_PUBLISH = 'No application metrics to publish';

/**
 * Most requests record no business metric (every read): Metrics would warn about each of them. That notice goes to
 * debug; every other diagnostic of Metrics stays a warning in the structured log.
 */
const diagnostics = {
  debug: (...content: unknown[]) => logger.debug(String(content[0])),
  info: (...content: unknown[]) => logger.info(String(content[0])),
  warn: (...content: unknown[]) => {
    const message = String(content[0]);
    if (message.startsWith(NOTHING_TO_PUBLISH)) logger.debug(message);
    else logger.warn(message);
  },
  error: (...content: unknown[]) => logger.error(String(content[0])),
};

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
  logger: diagnostics,
});
