// The few browser globals that the tests' page.evaluate callbacks touch, typed here because the test program is
// compiled for Node without the DOM library. Use as `(globalThis as unknown as PageGlobals)` inside a callback.
import type axe from 'axe-core';

interface PageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface PageGlobals {
  axe: typeof axe;
  document: {
    activeElement: { getAttribute(name: string): string | null; textContent: string | null } | null;
    documentElement: { scrollWidth: number };
  };
  sessionStorage: PageStorage & Record<string, unknown>;
}
