// The one Powertools Tracer of every function. It traces only inside Lambda with active tracing (CDK turns it on);
// outside Lambda (the local cloud, tests, scripts) Powertools disables it, so no X-Ray daemon is ever needed.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './metric-names.ts';

export const tracer = new Tracer({ serviceName: SERVICE_NAME });
