import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResult } from '../../shared/job-protocol.ts';
import type { QueryNode } from '../../shared/query.ts';
import { NO_CONFORMANCE, explorerQueries, hasConformance } from '../../test/support/conformance.ts';
import { focusAsk, focusBody } from '../../test/support/focus-client.ts';
import { generateDemo } from '../demo/generate.ts';
import { indexDataDir } from '../index/indexer.ts';
import { type Db, openIndexDb } from '../index/schema.ts';
import { memoryLogger } from '../test-support/node-fixture.ts';
import { QUERY_CASES } from '../test-support/query-cases.ts';
import { tempDir } from '../test-support/temp-dir.ts';
import { answerQuery } from './answer.ts';
import { MEDIATOR_ROUTE, type RunningEndpoint, serveMediatorEndpoint } from './mediator-endpoint.ts';
import { DEFAULT_PRIVACY, Obfuscator } from './obfuscate.ts';
import { Vocabulary } from './vocabulary.ts';

const SECRET = 'a-secret-for-focus-0123';
const AUTH = `Secret ${SECRET}`;
const MR = { key: 'RID10311', type: 'EQUALS', value: 'RID10312' };
const lens = (...criteria: unknown[]) => ({
  operand: 'OR',
  children: [{ operand: 'AND', children: criteria.map((c) => ({ operand: 'OR', children: [c] })) }],
});

interface MediatorCollection {
  id: string;
  name: string;
  studies_count: number;
  subjects_count: number;
  age_range: { min: number; max: number } | 0;
  gender: string[];
  modality: string[];
  body_parts: string[];
  description: string;
}

/** A collection exactly as the CHAIMELEON mediator writes one (storage/eucaim_search.py). */
function expectMediatorShape(c: MediatorCollection): void {
  expect(Object.keys(c).sort()).toEqual([
    'age_range',
    'body_parts',
    'description',
    'gender',
    'id',
    'modality',
    'name',
    'studies_count',
    'subjects_count',
  ]);
  expect(c.age_range === 0 || (typeof c.age_range.min === 'number' && typeof c.age_range.max === 'number')).toBe(true);
  for (const list of [c.gender, c.modality, c.body_parts]) expect(list.every((x) => typeof x === 'string')).toBe(true);
}

describe('the bridge as the mediator of a site Focus', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let db: Db;
  let obf: Obfuscator;
  let endpoint: RunningEndpoint;
  const logger = memoryLogger();
  const url = () => `${endpoint.url}${MEDIATOR_ROUTE}`;
  const post = (body: string, headers: Record<string, string> = { authorization: AUTH, 'content-type': 'application/json' }) =>
    fetch(url(), { method: 'POST', headers, body: new TextEncoder().encode(body) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  beforeAll(async () => {
    dir = await tempDir();
    await generateDemo({ dataDir: join(dir.path, 'data'), seed: 'endpoint-test' });
    db = openIndexDb(join(dir.path, 'index.sqlite'));
    await indexDataDir(db, join(dir.path, 'data'), new Vocabulary());
    obf = new Obfuscator(DEFAULT_PRIVACY, db);
    endpoint = await serveMediatorEndpoint(
      { host: '127.0.0.1', port: 0, secret: SECRET },
      (q) => answerQuery(db, q, obf, 'no-match'),
      logger,
    );
  });
  afterAll(async () => {
    await endpoint?.close();
    db?.close();
    await dir?.remove();
  });

  it('answers a Focus call as the real mediator does, with the counts a hub job gets (one obfuscation)', async () => {
    const task = { ast: lens(MR, { key: 'SNOMEDCT263495000', type: 'EQUALS', value: 'SNOMEDCT248152002' }), id: 'a__search__a' };
    const out = await focusAsk(url(), AUTH, task, { name: 'our-site', icon: 'x' });
    expect(out.ok, JSON.stringify(out)).toBe(true);
    const body = (out as unknown as { body: { provider: string; collections: MediatorCollection[]; total?: unknown } }).body;
    expect(body.provider).toBe('our-site');
    expect(body.total).toBeUndefined();
    const job = (answerQuery(db, task.ast as QueryNode, obf) as { result: CountResult }).result;
    expect(body.collections.map((c) => [c.id, c.studies_count, c.subjects_count])).toEqual(
      job.collections.filter((c) => c.studies_count > 0).map((c) => [c.id, c.studies_count, c.subjects_count]),
    );
    expect(body.collections.length).toBeGreaterThan(0);
    for (const c of body.collections) expectMediatorShape(c);
  });

  it('never lets a count 1-9 out, and leaves out datasets without a match', async () => {
    for (const c of QUERY_CASES) {
      const { status, body } = await post(JSON.stringify({ ast: c.query, id: 'x' }));
      expect(status, c.name).toBe(200);
      for (const col of body.collections as MediatorCollection[]) {
        for (const n of [col.studies_count, col.subjects_count]) expect(n >= 10 && n % 10 === 0, `${c.name}: ${n}`).toBe(true);
      }
    }
    const none = await post(JSON.stringify({ ast: lens(MR, { key: 'RID10311', type: 'EQUALS', value: 'RID10321' }), id: 'x' }));
    expect(none.body).toEqual({ collections: [] });
  });

  it('lets an unknown term match nothing, as the real mediator does, and names it', async () => {
    const unknown = { key: 'blood-group', type: 'EQUALS', value: 'A+' };
    const mrOnly = await post(JSON.stringify({ ast: lens(MR) }));
    const orUnknown = await post(JSON.stringify({ ast: { operand: 'OR', children: [MR, unknown] } }));
    expect(orUnknown.body.collections).toEqual(mrOnly.body.collections);
    expect(orUnknown.body.unsupported_keys).toEqual(['blood-group']);
    expect((await post(JSON.stringify({ ast: lens(MR, unknown) }))).body).toEqual({ collections: [], unsupported_keys: ['blood-group'] });
    // Under a NOT "nothing" would turn into "everything": no counts at all.
    expect((await post(JSON.stringify({ ast: { operand: 'NOT', children: [unknown] } }))).body).toEqual({
      collections: [],
      unsupported_keys: ['blood-group'],
    });
  });

  it.each([
    [
      'a wrong secret',
      { authorization: 'Secret wrong', 'content-type': 'application/json' },
      '{"ast":{"operand":"OR","children":[]}}',
      401,
      'unauthorized user',
    ],
    ['no secret', { 'content-type': 'application/json' }, '{"ast":{"operand":"OR","children":[]}}', 401, 'unauthorized user'],
    ['no content type', { authorization: AUTH }, '{}', 400, "invalid or missing 'Content-Type' header, required 'application/json'"],
    [
      'another content type',
      { authorization: AUTH, 'content-type': 'text/plain' },
      '{}',
      400,
      "invalid 'Content-Type' header, required 'application/json'",
    ],
    ['no JSON', { authorization: AUTH, 'content-type': 'application/json' }, '{"ast":', 400, /^Error decoding the body as JSON: /],
    [
      'no ast',
      { authorization: AUTH, 'content-type': 'application/json' },
      '{"id":"x"}',
      422,
      "Request validation error: Missing property 'ast' in the request object.",
    ],
    [
      'not an object',
      { authorization: AUTH, 'content-type': 'application/json' },
      '[1]',
      422,
      'Request validation error: The body must be a json object.',
    ],
    [
      'a malformed tree, with its path',
      { authorization: AUTH, 'content-type': 'application/json' },
      '{"ast":{"operand":"OR","children":[{"key":"RID10311","type":"SOMETIMES","value":"x"}]}}',
      422,
      /^Request validation error: ast\.children\.0\.type: /,
    ],
  ] as const)('refuses %s as the real mediator does: {error, status_code}', async (_name, headers, body, status, message) => {
    const res = await post(body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body.status_code).toBe(status);
    expect(res.body.error).toMatch(message);
  });

  it('logs a wrong secret as an attempt only, never the header or the body', async () => {
    logger.lines.length = 0;
    await post('{"ast":{"operand":"OR","children":[{"key":"secret-key-x","type":"EQUALS","value":"y"}]}}', {
      authorization: 'Secret guessed-value',
      'content-type': 'application/json',
    });
    expect(logger.lines.map((l) => l.msg)).toEqual(['mediator endpoint: call with a wrong secret refused']);
    expect(JSON.stringify(logger.lines)).not.toMatch(/guessed-value|secret-key-x/);
  });

  describe.skipIf(!hasConformance)(`every query the explorer and Focus ship ${hasConformance ? '' : NO_CONFORMANCE}`, () => {
    it.each(hasConformance ? explorerQueries().map((q) => [q.name, q] as const) : [])('%s gets a mediator answer', async (_name, q) => {
      const task = { ast: q.ast, id: q.body.id ?? 'lens__search__lens' };
      const out = await focusAsk(url(), AUTH, task);
      // A tree outside Focus's own model never leaves Focus; it is sent as the explorer built it instead.
      if (!out.ok && 'failedBeforeCall' in out) {
        expect(focusBody(task)).toBeUndefined();
        const res = await post(JSON.stringify(task));
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return;
      }
      expect(out.ok, JSON.stringify(out)).toBe(true);
      for (const c of (out as unknown as { body: { collections: MediatorCollection[] } }).body.collections) expectMediatorShape(c);
    });
  });

  // Last: the refused upload leaves its connection closed.
  it('refuses a body larger than 256 KiB', async () => {
    const res = await post(JSON.stringify({ ast: { operand: 'OR', children: [] }, id: 'x'.repeat(300_000) }));
    expect(res.status).toBe(413);
  });
});
