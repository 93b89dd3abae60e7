import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../app.ts';
import { apiTable, TABLE_END, TABLE_START, withApiTable } from './api-table.ts';
import { apiDocument } from './document.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = apiTable(apiDocument(apiRoutes.routes, { publicUrl: 'http://127.0.0.1:8080' }));

describe("the README's API table", () => {
  it('is what `npm run docs:api` writes from the route declarations', () => {
    const written = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
    expect(written, 'README.md is out of date: run `npm run docs:api`').toBe(table);
  });

  it('has a row for every route, saying who may call it', () => {
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(90);
    expect(rows.filter((r) => r.includes('| undeclared |'))).toEqual([]);
    expect(table).toContain('| `POST /api/v3/requests` | public |');
    expect(table).toContain('| `POST /tracer/api/v1/traces` | node (signed) |');
  });

  it('refuses a README without its markers rather than appending a second table', () => {
    expect(() => withApiTable('# no table here', table)).toThrow(/markers/);
    expect(withApiTable(`a\n${TABLE_START}\nold\n${TABLE_END}\nb`, 'new')).toBe('a\nnew\nb');
  });
});
