// The one way functions/ imports zod: its mini API (functional, tree-shakable), which keeps each Lambda bundle a
// fraction of the size and init time the classic API costs. Mini ships no error messages; zod's English ones are
// set here, once, before any schema of any function parses, so the API's validation errors read as before.
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
