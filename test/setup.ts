import '#local/polyfills.ts';

// Handlers that tests call directly would print their business metrics (EMF) into the test output; the tests that
// assert metrics start a local cloud with `metrics: true`, which turns them back on.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
