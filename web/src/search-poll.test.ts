import { describe, expect, it } from 'vitest';
import type { HubClient, SearchView } from './api.ts';
import { followSearch } from './search-poll.ts';

const view = (status: SearchView['status'], deadlineInMs: number): SearchView => {
  const created = Date.parse('2030-01-01T00:00:00Z');
  return {
    id: 'srch_test',
    clientId: null,
    status,
    createdAt: new Date(created).toISOString(),
    deadlineAt: new Date(created + deadlineInMs).toISOString(),
    query: { operand: 'OR', children: [] },
    queryHash: null,
    notices: [],
    nodes: [],
    total: { subjects_count: 0, studies_count: 0 },
  };
};

/** Just the one route followSearch calls, answering from a script of responses. */
function fakeHub(answers: (() => Response)[]) {
  let calls = 0;
  const get = async () => (answers[Math.min(calls++, answers.length - 1)] as () => Response)();
  const client = { api: { v1: { search: { ':id': { $get: get } } } } } as unknown as HubClient;
  return { client, calls: () => calls };
}
const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('following a search', () => {
  it('polls until the hub calls the search completed and reports every view', async () => {
    const hub = fakeHub([json(view('running', 10_000)), json(view('completed', 10_000))]);
    const seen: string[] = [];
    const outcome = await followSearch(hub.client, view('running', 10_000), {
      signal: new AbortController().signal,
      onUpdate: (v) => seen.push(v.status),
      intervalMs: 1,
    });
    expect(outcome).toBe('completed');
    expect(seen).toEqual(['running', 'running', 'completed']);
  });

  it('gives up once the deadline and the grace period have passed', async () => {
    const hub = fakeHub([json(view('running', 20))]);
    const started = Date.now();
    const outcome = await followSearch(hub.client, view('running', 20), {
      signal: new AbortController().signal,
      onUpdate: () => {},
      intervalMs: 5,
      graceMs: 30,
    });
    expect(outcome).toBe('gave_up');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(hub.calls()).toBeGreaterThan(1);
  });

  it('stops quietly when a newer search aborts it', async () => {
    const hub = fakeHub([json(view('running', 10_000))]);
    const controller = new AbortController();
    const pending = followSearch(hub.client, view('running', 10_000), { signal: controller.signal, onUpdate: () => {}, intervalMs: 1000 });
    controller.abort();
    expect(await pending).toBe('aborted');
    expect(hub.calls()).toBe(0);
  });

  it('turns a hub error body into an error naming its code and request id', async () => {
    const hub = fakeHub([json({ error: { code: 'not_found', message: 'no such search', requestId: 'req-12345678' } }, 404)]);
    const failed = followSearch(hub.client, view('running', 10_000), {
      signal: new AbortController().signal,
      onUpdate: () => {},
      intervalMs: 1,
    });
    await expect(failed).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'no such search', requestId: 'req-12345678' });
  });
});
