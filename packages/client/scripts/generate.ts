// `pnpm --filter @rapport/client generate`: writes openapi.json and src/schema.d.ts from the server's code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { anonymousDocument, renderDocument, renderSchema } from './schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const document = await anonymousDocument();
fs.writeFileSync(path.join(root, 'openapi.json'), renderDocument(document));
fs.writeFileSync(path.join(root, 'src/schema.d.ts'), await renderSchema(document));
console.log(`wrote openapi.json and src/schema.d.ts (${Object.keys(document.paths ?? {}).length} paths)`);
