import { accessGrants, negotiations } from '../../functions/negotiation/negotiation.sql.ts';
import { planDemo } from '../../bridge/demo/plan.ts';
import { newId } from '../../shared/ids.ts';
import type { TestHub } from '../support/hub.ts';
import { waitFor } from './site.ts';

/** The JSON object a command printed among its other lines (init's registration). */
export function printedJson<T>(output: string): T {
  const start = output.indexOf('\n{');
  const end = output.indexOf('\n}', start);
  if (start < 0 || end < 0) throw new Error(`no JSON object in:\n${output}`);
  return JSON.parse(output.slice(start + 1, end + 2)) as T;
}

export type NodeListing = { id: string; online: boolean; version: string | null; protocol: number | null; update: { due: boolean } };

export async function nodeListing(hub: TestHub, nodeId: string): Promise<NodeListing | undefined> {
  const res = await fetch(`${hub.url}/api/v1/nodes`, { headers: { authorization: `Bearer ${await hub.token('admin')}` } });
  const { nodes } = (await res.json()) as { nodes: NodeListing[] };
  return nodes.find((n) => n.id === nodeId);
}

/** Waits until the hub lists the node online with this version, after `since` (ms). */
export function waitOnline(hub: TestHub, nodeId: string, version: string, timeoutMs = 60_000): Promise<NodeListing> {
  return waitFor(
    async () => {
      const n = await nodeListing(hub, nodeId);
      return n?.online && n.version === version ? n : undefined;
    },
    timeoutMs,
    `node ${nodeId} online with ${version}`,
  );
}

export const MR_QUERY = {
  operand: 'OR',
  children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
};

/** Subjects and studies of a demo node with an MR series, from the generator's plan. */
export function expectedMr(seed: string) {
  const studies = planDemo(seed).patients.flatMap((p) =>
    p.studies.filter((s) => s.series.some((r) => r.modality === 'MR')).map(() => p.id),
  );
  return { subjects_count: new Set(studies).size, studies_count: studies.length };
}

type SearchView = { status: string; nodes: { nodeId: string; status: string; result: { total: unknown } | null }[] };

/** A search as the Explorer makes it, as the demo researcher; answers the view once complete. */
export async function search(hub: TestHub, ast: unknown, deadlineSeconds = 20): Promise<SearchView> {
  const headers = { authorization: `Bearer ${await hub.token('researcher')}`, 'content-type': 'application/json' };
  const created = await fetch(`${hub.url}/api/v1/search`, { method: 'POST', headers, body: JSON.stringify({ ast, deadlineSeconds }) });
  if (created.status !== 202) throw new Error(`search refused: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  return waitFor(
    async () => {
      const view = (await (await fetch(`${hub.url}/api/v1/search/${id}`, { headers })).json()) as SearchView;
      return view.status === 'completed' ? view : undefined;
    },
    (deadlineSeconds + 10) * 1000,
    'the search completes',
  );
}

/** A processing grant for the researcher on a dataset, as the negotiation service issues it. */
export async function grantResearcher(hub: TestHub, dataset: string): Promise<void> {
  const now = Date.now();
  const negotiationId = newId('neg', now);
  await hub.services.db
    .insert(negotiations)
    .values({ id: negotiationId, author: 'researcher', state: 'CONCLUDED', formId: 'test', formVersion: 1, answers: {} });
  const grantId = newId('grt', now);
  const exp = Math.floor(now / 1000) + 86400;
  const jws = await hub.services.grantSigner.sign(
    { sub: 'researcher', jti: grantId, exp, dataset, access: 'REMOTE_PROCESSING', conditions: 'test', negotiation: negotiationId },
    now,
  );
  await hub.services.db.insert(accessGrants).values({
    id: grantId,
    negotiationId,
    datasetId: dataset,
    userSub: 'researcher',
    access: 'REMOTE_PROCESSING',
    conditions: 'test',
    expiresAt: new Date(exp * 1000),
    jws,
  });
}

export type RunView = {
  state: string;
  nodes: { nodeId: string; state: string; reason: { code: string } | null; outputs: { path: string }[] }[];
};

export async function runView(hub: TestHub, runId: string): Promise<RunView> {
  const res = await fetch(`${hub.url}/api/v1/runs/${runId}`, { headers: { authorization: `Bearer ${await hub.token('researcher')}` } });
  return (await res.json()) as RunView;
}

/** Asks for a run until the hub takes it (it waits for the node's health report to show the tool ready). */
export async function startRun(hub: TestHub, body: unknown): Promise<string> {
  const headers = { authorization: `Bearer ${await hub.token('researcher')}`, 'content-type': 'application/json' };
  return waitFor(
    async () => {
      const res = await fetch(`${hub.url}/api/v1/runs`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status === 201) return ((await res.json()) as { id: string }).id;
      if (res.status !== 409) throw new Error(`run refused: ${res.status} ${await res.text()}`);
      return undefined;
    },
    60_000,
    'the hub takes the run',
  );
}
