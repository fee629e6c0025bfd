// The local cloud runs the reconciler's own Lambda handler on a timer, as EventBridge runs it on AWS. Runs never
// overlap; a failed run is logged and the next one tries again.

import { importHandler, RECONCILER_ENTRY } from './handler-modules.ts';
import { RECONCILER_FUNCTION, runAsFunction } from './running-function.ts';

type ReconcileHandler = () => Promise<{ repaired: unknown[]; unrepairable: unknown[] }>;

export function startReconcilerTimer(everySeconds: number, log: (line: string) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  const runOnce = async () => {
    const handler = await importHandler<ReconcileHandler>(RECONCILER_ENTRY);
    const report = await runAsFunction(RECONCILER_FUNCTION, handler);
    if (report.repaired.length > 0 || report.unrepairable.length > 0) {
      log(
        `[reconciler] repaired ${report.repaired.length} transfer(s), ${report.unrepairable.length} need an operator (npm run ops -- stuck)`,
      );
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = runOnce()
      .catch((error: unknown) =>
        log(`[reconciler] run failed: ${error instanceof Error ? error.message : error}`),
      )
      .finally(() => {
        running = undefined;
      });
  }, everySeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
