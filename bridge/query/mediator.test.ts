import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryNode } from '../../shared/query.ts';
import { SafeJobError } from '../job-handler.ts';
import { askMediator } from './mediator.ts';
import { DEFAULT_PRIVACY, Obfuscator } from './obfuscate.ts';

const QUERY: QueryNode = { operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] };
const GOOD = {
  collections: [
    {
      id: 'c1',
      name: 'Prostate MR',
      studies_count: 37,
      subjects_count: 4,
      age_range: { min: 50, max: 70 },
      gender: ['SNOMEDCT248153007'],
      modality: ['RID10312'],
      body_parts: [],
    },
  ],
  total: { studies_count: 37, subjects_count: 4 },
};

describe('the external mediator adapter', () => {
  let server: Server;
  let url = '';
  const seen: { path?: string; auth?: string; body: string }[] = [];
  const replies: Record<string, (res: import('node:http').ServerResponse) => void> = {
    good: (res) => res.end(JSON.stringify(GOOD)),
    text: (res) => res.end('<html>oops</html>'),
    shape: (res) => res.end(JSON.stringify({ collections: [{ id: 'c1', studies_count: -3 }] })),
    fail: (res) => {
      res.statusCode = 500;
      res.end('{}');
    },
    slow: (res) => setTimeout(() => res.end(JSON.stringify(GOOD)), 1500),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ path: req.url, auth: req.headers.authorization, body });
        const mode = req.headers.authorization?.split(' ')[1] ?? '';
        (replies[mode] ?? replies.fail)?.(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // The secret doubles as the reply mode of the stand-in mediator.
  const ask = (secret: string, enabled = false, timeoutMs = 500) =>
    askMediator({ url, secret, timeoutMs }, QUERY, new Obfuscator({ ...DEFAULT_PRIVACY, enabled }));

  it('posts the query tree with the secret and passes on a valid answer', async () => {
    const result = await ask('good');
    expect(seen.at(-1)).toEqual({ path: '/api/datasets/eucaimSearch', auth: 'Secret good', body: JSON.stringify(QUERY) });
    expect(result.total).toEqual({ studies_count: 37, subjects_count: 4 });
    // The older `modality` spelling arrives as `modalities`.
    expect(result.collections[0]).toMatchObject({ id: 'c1', studies_count: 37, modalities: ['RID10312'], gender: ['SNOMEDCT248153007'] });
    expect(result.obfuscation).toEqual({ applied: false });
  });

  it('obfuscates the answer and drops stratified lists it cannot check', async () => {
    const result = await ask('good', true);
    const c = result.collections[0]!;
    expect(c.subjects_count).toBeGreaterThanOrEqual(10);
    expect(c.subjects_count % 10).toBe(0);
    expect(c.gender).toBeUndefined();
    expect(c.age_range).toBeUndefined();
    expect(result.obfuscation?.applied).toBe(true);
  });

  it.each([
    ['text', /not JSON/],
    ['shape', /expected shape \(at collections\.0\.name\)/],
    ['fail', /answered HTTP 500/],
    ['slow', /did not answer within 500 ms/],
  ])('turns a %s answer into an error with the reason', async (mode, reason) => {
    const err = await ask(mode).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafeJobError);
    expect((err as SafeJobError).code).toBe('mediator_failed');
    expect((err as Error).message).toMatch(reason);
  });

  it('says so when the mediator cannot be reached', async () => {
    const err = await askMediator({ url: 'http://127.0.0.1:9', secret: 'x', timeoutMs: 500 }, QUERY, new Obfuscator(DEFAULT_PRIVACY)).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('the local mediator could not be reached');
  });
});
