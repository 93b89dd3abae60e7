import { exports } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { signNodeRequest } from '../../shared/node-auth.ts';
import { sseParser } from '../../web/src/sse.ts';
import { lensQuery } from '../support/spot-client.ts';

// PUBLIC_URL from wrangler.toml's [vars]: node tokens name it as their audience.
const HUB = 'https://hub.eucaim.example';
const ast = {
  operand: 'OR',
  children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
};
type View = { status: string; nodes: { nodeId: string; status: string }[] };

/** A bridge call inside workerd: signed with the node's real key, bound to method, path and body. */
async function asNode(method: string, path: string, body?: unknown) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const token = await signNodeRequest({
    nodeId: inject('streamNodeId'),
    privateJwk: JSON.parse(inject('streamNodePrivateJwk')),
    audience: HUB,
    method,
    path,
    body: text,
  });
  const res = await exports.default.fetch(`${HUB}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(text ? { 'content-type': 'application/json' } : {}) },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('search events inside workerd', () => {
  it('streams the view of a real search and then each change as a node answers', async () => {
    const nodeId = inject('streamNodeId');
    expect((await asNode('POST', '/api/v1/bridge/heartbeat', { version: 'workers-test', datasets: [] })).status).toBe(200);
    const member = { authorization: `Bearer ${inject('memberToken')}` };
    const posted = await exports.default.fetch(`${HUB}/api/v1/search`, {
      method: 'POST',
      headers: { ...member, 'content-type': 'application/json' },
      body: JSON.stringify({ ast, deadlineSeconds: 20 }),
    });
    const created = (await posted.json()) as { id: string };
    expect(posted.status, JSON.stringify(created)).toBe(202);

    const res = await exports.default.fetch(`${HUB}/api/v1/search/${created.id}/events`, { headers: member });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const parser = sseParser();
    const decoder = new TextDecoder();
    const views: View[] = [];
    const nextView = async (done: (v: View) => boolean) => {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the stream ended before the expected view; saw ${JSON.stringify(views)}`);
        for (const e of parser.push(decoder.decode(value, { stream: true })))
          if (e.event === 'view') views.push(JSON.parse(e.data) as View);
        const hit = views.find(done);
        if (hit) return hit;
      }
    };
    // Read while the search is still open: a buffered response would deliver nothing until it closed.
    const first = await nextView((v) => v.nodes.some((n) => n.nodeId === nodeId));
    expect(first.nodes.find((n) => n.nodeId === nodeId)?.status).toBe('pending');

    const leased = await asNode('GET', '/api/v1/bridge/jobs?wait=0&max=5');
    const job = ((leased.body.jobs ?? []) as { receipt: string; jws: string }[]).find((j) => decodeJwt(j.jws).sub === nodeId);
    expect(job, JSON.stringify(leased)).toBeDefined();
    const jobId = String(decodeJwt(job!.jws).jti);
    const result = { collections: [], total: { subjects_count: 10, studies_count: 10 }, unsupported_keys: [] };
    expect(
      (await asNode('POST', `/api/v1/bridge/jobs/${jobId}/result`, { status: 'answered', receipt: job!.receipt, result })).body,
    ).toEqual({ recorded: true });

    const answered = await nextView((v) => v.nodes.some((n) => n.nodeId === nodeId && n.status === 'answered'));
    expect(answered.nodes.find((n) => n.nodeId === nodeId)?.status).toBe('answered');
    await reader.cancel();
  });
});

describe('the Spot stream inside workerd', () => {
  it("streams a Lens explorer's task as Beam results, by its session cookie, while the node answers", async () => {
    const nodeId = inject('streamNodeId');
    expect((await asNode('POST', '/api/v1/bridge/heartbeat', { version: 'workers-test', datasets: [] })).status).toBe(200);
    // Over https the explorer session is a __Host- cookie: Secure, Path=/, no Domain.
    const opened = await exports.default.fetch(`${HUB}/api/v1/spot/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${inject('memberToken')}`, origin: HUB, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-eucaim_spot=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('Path=/;');
    expect(setCookie).not.toContain('Domain');
    const cookie = setCookie.split(';')[0] as string;

    const id = crypto.randomUUID();
    const posted = await exports.default.fetch(`${HUB}/api/v1/spot/beam`, {
      method: 'POST',
      headers: { cookie, origin: HUB, 'content-type': 'application/json' },
      body: JSON.stringify({ id, sites: [nodeId], query: lensQuery(ast) }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);

    // A same-origin EventSource sends the cookie and no Origin.
    const res = await exports.default.fetch(`${HUB}/api/v1/spot/beam/${id}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const parser = sseParser();
    const decoder = new TextDecoder();
    const results: { from: string; status: string; body: string }[] = [];
    const next = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) return false;
        for (const e of parser.push(decoder.decode(value, { stream: true })))
          if (e.event === 'new_result') results.push(JSON.parse(e.data) as (typeof results)[number]);
      }
      return true;
    };
    // Read while the search is open: the node is claimed before it answers.
    await next(() => results.length > 0);
    expect(results[0]).toMatchObject({ from: `focus.${nodeId}.hub.eucaim.example`, status: 'claimed' });

    const leased = await asNode('GET', '/api/v1/bridge/jobs?wait=0&max=5');
    const job = ((leased.body.jobs ?? []) as { receipt: string; jws: string }[]).find((j) => decodeJwt(j.jws).sub === nodeId);
    expect(job, JSON.stringify(leased)).toBeDefined();
    const jobId = String(decodeJwt(job!.jws).jti);
    const result = {
      collections: [{ id: 'ds', name: 'Dataset', subjects_count: 10, studies_count: 20 }],
      total: { subjects_count: 10, studies_count: 20 },
      unsupported_keys: [],
    };
    expect(
      (await asNode('POST', `/api/v1/bridge/jobs/${jobId}/result`, { status: 'answered', receipt: job!.receipt, result })).status,
    ).toBe(200);

    // The one node asked has answered: the stream ends (wait_count defaults to the nodes asked).
    expect(await next(() => false)).toBe(false);
    expect(results.map((r) => r.status)).toEqual(['claimed', 'succeeded']);
    const answer = JSON.parse(atob(results[1]?.body ?? '')) as { collections: { studies_count: number; gender: string[] }[] };
    expect(answer.collections[0]).toMatchObject({ studies_count: 20, gender: [] });
  });
});
