// One structured JSON logger for every function (Powertools), created once per container.
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './observability/metric-names.ts';

export const logger = new Logger({ serviceName: SERVICE_NAME });
