// The local cloud's outbox relay: calls the relay handler on a short interval, the way the schedule does on AWS (the
// stream's fast path has no emulator), so recorded events reach the bus within a fraction of a second, and after a
// restart whatever was recorded before the crash is published.
import { RELAY_FUNCTION, runAsFunction } from '../running-function.ts';

export type RelayHandler = (event: unknown) => Promise<{ published: number }>;

export function startOutboxRelay(options: {
  intervalMs: number;
  loadHandler(): Promise<RelayHandler>;
  log(line: string): void;
}) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastError = '';
  const tick = async () => {
    try {
      const handler = await options.loadHandler();
      await runAsFunction(RELAY_FUNCTION, () => handler({ source: 'local.schedule' }));
      lastError = '';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) options.log(`[webhooks] outbox relay failed (retrying): ${message}`);
      lastError = message;
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), options.intervalMs);
  };
  running = tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
