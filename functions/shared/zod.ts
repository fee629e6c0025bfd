// The one way functions/ imports zod: its mini API (functional, tree-shakable), which keeps each Lambda bundle a
// fraction of the size and init time the classic API costs. Mini ships no error messages; zod's English ones are
// set here, once, before any schema of any function parses, so the API's validation errors read as before.
// A module-level schema is written `/* @__PURE__ */ (() => z.…)()`: esbuild keeps any top-level `.check(…)` call
// (a method call may have effects), so without the annotation every bundle importing the module carries all its
// schemas; with it, a bundle keeps only the schemas it reads (test/infra/bundle-contents.test.ts).
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
