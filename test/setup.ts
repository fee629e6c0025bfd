import '#local/polyfills.ts';
import { inject } from 'vitest';
import { recordAwsCalls } from '#test/support/iam/aws-call-recorder.ts';

// Handlers that tests call directly would print their business metrics (EMF) into the test output; the tests that
// assert metrics start a local cloud with `metrics: true`, which turns them back on.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

recordAwsCalls(inject('awsCallDirectory'));
