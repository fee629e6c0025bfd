// One structured JSON logger for every function (Powertools), created once per container.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'partner-transfers' });
