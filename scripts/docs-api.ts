// `npm run docs:api`: rewrites the API table in README.md from the route declarations (the same
// description /api/openapi.json serves). functions/api/api-table.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { apiTable, withApiTable } from '../functions/api/api-table.ts';
import { apiDocument } from '../functions/api/document.ts';
import { apiRoutes } from '../functions/app.ts';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withApiTable(before, apiTable(apiDocument(apiRoutes.routes, { publicUrl: 'http://127.0.0.1:8080' })));
if (after === before) console.log('README.md: the API table is up to date');
else {
  writeFileSync(readme, after);
  console.log('README.md: API table rewritten from the route declarations');
}
