// Every environment variable a function's code may require (found in the modules esbuild bundles for its entry)
// is set on that function in the template: a missing one would only show as a cold-start error on AWS.
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#api/routes.ts';
import type { TransferFunction } from '#aws/transfer-function.ts';
import { AUTHORIZER_ENTRY } from '#aws/transfers-stack.ts';
import { DELIVERER_ENTRY, RELAY_ENTRY } from '#webhooks/entries.ts';
import { WORKFLOW_TASKS } from '#workflow/tasks.ts';
import { ourBundledCode } from './our-code-bundle.ts';
import { propertiesOf, type SynthesisedStack, synthesiseStack } from './synth-stack.ts';

/** Variables loadConfig fails without (the others have defaults or are optional). */
const REQUIRED_VARIABLES = [
  'TABLE_NAME',
  'STATE_MACHINE_ARN',
  'SES_SENDER_ADDRESS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWKS_URL',
  'CONTINUATION_TOKEN_SECRET',
  'CONSOLE_URL',
] as const;
const MENTION = new RegExp(`['"\`](${REQUIRED_VARIABLES.join('|')})['"\`]`, 'g');

/**
 * Lazy wiring (functions/workflow/dependencies.ts): `var name = onceFor(variables, create)` reads nothing until called
 * (marked pure or not: esbuild keeps an unmarked one that nothing calls).
 */
const LAZY_WIRING = /\bvar (\w+) = (?:\/\* @__PURE__ \*\/ )?onceFor\(/g;

/** Removes each lazy wiring that nothing else in the bundle refers to (what esbuild cannot tree-shake itself). */
function withoutUnusedLazyWiring(code: string): string {
  let result = code;
  for (const match of code.matchAll(LAZY_WIRING)) {
    const name = match[1] ?? '';
    if ((result.match(new RegExp(`\\b${name}\\b`, 'g')) ?? []).length > 1) continue;
    const start = result.indexOf(match[0]);
    let depth = 0;
    let end = start + match[0].length - 1;
    for (; end < result.length; end += 1) {
      if (result[end] === '(') depth += 1;
      if (result[end] === ')') depth -= 1;
      if (depth === 0) break;
    }
    result = result.slice(0, start) + result.slice(end + 1);
  }
  return result;
}

/** The required variables named as string literals in our own code that esbuild bundles for the entry. */
async function variablesReadBy(entry: string): Promise<string[]> {
  const names = new Set<string>();
  for (const match of withoutUnusedLazyWiring(await ourBundledCode(entry)).matchAll(MENTION))
    names.add(match[1] ?? '');
  return [...names].sort();
}

describe('function configuration', () => {
  let synth: SynthesisedStack;
  beforeAll(async () => {
    synth = await synthesiseStack();
  });

  const variablesOf = (fn: TransferFunction) =>
    Object.keys(
      (propertiesOf(synth.resources[synth.functionLogicalId(fn)]).Environment as { Variables: object })
        .Variables,
    );

  const functions = () => [
    ...ROUTES.map((route) => ({
      name: route.id,
      entry: route.entry,
      fn: synth.stack.routeFunctions.get(route.id)!,
    })),
    ...WORKFLOW_TASKS.map((task) => ({
      name: task.id,
      entry: task.entry,
      fn: synth.stack.taskFunctions.get(task.id)!,
    })),
    { name: 'authorizer', entry: AUTHORIZER_ENTRY, fn: synth.stack.authorizerFunction },
    { name: 'deliverer', entry: DELIVERER_ENTRY, fn: synth.stack.delivererFunction },
    { name: 'relay', entry: RELAY_ENTRY, fn: synth.stack.eventRelay.function },
  ];

  it('sets every required variable that a function reads', async () => {
    const missing: string[] = [];
    for (const { name, entry, fn } of functions()) {
      const set = variablesOf(fn);
      for (const variable of await variablesReadBy(entry)) {
        if (!set.includes(variable)) missing.push(`${name} (${entry}) reads ${variable}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds what the authorizer reads (the scan itself works)', async () => {
    expect(await variablesReadBy(AUTHORIZER_ENTRY)).toEqual(['JWKS_URL', 'JWT_AUDIENCE', 'JWT_ISSUER']);
  });

  it('ignores lazy wiring nothing calls, and keeps the one that is called', () => {
    const code = [
      'var storage = onceFor(["TABLE_NAME"], () => loadConfig(["TABLE_NAME"]));',
      'var notifications = onceFor([...base, "SES_SENDER_ADDRESS"], () => f(loadConfig(["CONSOLE_URL"])));',
      'export const handler = () => storage();',
    ].join('\n');
    const kept = withoutUnusedLazyWiring(code);
    expect([...kept.matchAll(MENTION)].map((match) => match[1])).toEqual(['TABLE_NAME', 'TABLE_NAME']);
  });
});
