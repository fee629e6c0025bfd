// After `tsc -p tsconfig.build.json`: turns dist/package into the publishable package (compiled JavaScript and
// declarations, this package.json pointed at them, README and the OpenAPI document). Publish with
// `npm publish packages/client/dist/package`.
import { copyFile, readFile, writeFile } from 'node:fs/promises';

const manifest = JSON.parse(await readFile('package.json', 'utf8'));
delete manifest.scripts;
delete manifest.devDependencies;
delete manifest.private; // the source package is private so that only this build gets published
manifest.exports = { '.': { types: './index.d.ts', default: './index.js' } };
await writeFile('dist/package/package.json', `${JSON.stringify(manifest, null, 2)}\n`);
await copyFile('README.md', 'dist/package/README.md');
await copyFile('openapi.json', 'dist/package/openapi.json');
console.log('dist/package is ready: npm publish packages/client/dist/package');
