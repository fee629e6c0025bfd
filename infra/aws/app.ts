// CDK entry point (cdk.json: `npx tsx infra/aws/app.ts`). Context: see infra/aws/stack-settings.ts and docs/deploy.md.
import { createTransfersApp } from './create-app.ts';

const { app } = await createTransfersApp();
app.synth();
