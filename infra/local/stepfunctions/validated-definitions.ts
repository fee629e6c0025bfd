// The engine validates a definition with asl-validator, which compiles its JSON schemas at every call: about a second
// of CPU per definition (the transfer workflow has two: its DISTRIBUTED Map's processor is validated on its own), at
// every start of the local cloud. On a data folder, a definition this engine version accepted is remembered by its
// SHA-256, one per line, so that a restart on the same data (the chaos campaign restarts the cloud a hundred times)
// does not validate it again. A definition the engine refused is never remembered; any change to a definition, or
// another engine version, is validated afresh.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

export interface ValidationMemo {
  has(definitionText: string): boolean;
  add(definitionText: string): void;
}

/** The installed aws-local-stepfunctions version (its package.json is not in the package's exports). */
function engineVersion(): string {
  const main = createRequire(import.meta.url).resolve('aws-local-stepfunctions');
  const manifest = JSON.parse(readFileSync(resolve(dirname(main), '..', 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return String(manifest.version);
}

export function validatedDefinitionsFile(file: string): ValidationMemo {
  const version = engineVersion();
  const keyOf = (definitionText: string) =>
    createHash('sha256').update(`${version}\n${definitionText}`).digest('hex');
  const known = new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return {
    has: (definitionText) => known.has(keyOf(definitionText)),
    add(definitionText) {
      const key = keyOf(definitionText);
      if (known.has(key)) return;
      known.add(key);
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${key}\n`);
    },
  };
}
