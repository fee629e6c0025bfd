// `npm run generate:client`: regenerates the typed client's files from the OpenAPI document the API serves.
import { writeFile } from 'node:fs/promises';
import { buildApiDescription } from '#api/get-api-description.ts';
import { generateClientFiles } from './client-generation.ts';

const files = await generateClientFiles(buildApiDescription());
for (const [path, content] of Object.entries(files)) {
  await writeFile(path, content);
  console.log(`wrote ${path}`);
}
