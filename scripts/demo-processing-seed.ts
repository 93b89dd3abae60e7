import { hc } from 'hono/client';
import type { AppType } from '../functions/app.ts';
import { sampleAnswers } from '../shared/negotiation/sample-answers.ts';
import type { ToolApproval } from '../shared/processing/tool.ts';
import { demoMetadata } from './demo-catalogue.ts';

type Client = ReturnType<typeof hc<AppType>>;
const client = (hubUrl: string, token: string): Client => hc<AppType>(hubUrl, { headers: { authorization: `Bearer ${token}` } });

function expectStatus(what: string, res: Response, ok: number[]): void {
  if (!ok.includes(res.status)) throw new Error(`demo processing: ${what} answered ${res.status}`);
}

/**
 * Makes the demo runnable at once, through the same API a person would use: the admin approves the
 * demo tool, the data holder allows it on both nodes, and the researcher holds a processing grant for
 * the first dataset of each node, reached by walking a negotiation from submission to
 * RESOURCE_MADE_AVAILABLE. A restart finds the grants and the tool and changes nothing.
 */
export async function seedDemoProcessing(opts: {
  hubUrl: string;
  approval: ToolApproval;
  nodes: readonly { id: string; name: string }[];
  tokens: { admin: string; holder: string; researcher: string; representative: string };
}): Promise<void> {
  const admin = client(opts.hubUrl, opts.tokens.admin);
  const holder = client(opts.hubUrl, opts.tokens.holder);
  const researcher = client(opts.hubUrl, opts.tokens.researcher);
  const representative = client(opts.hubUrl, opts.tokens.representative);
  const { approval } = opts;

  expectStatus('approving the tool', await admin.api.v1.tools.$post({ json: approval }), [201, 409]);
  for (const node of opts.nodes) {
    const param = { nodeId: node.id, toolId: approval.id, version: approval.version };
    expectStatus(
      `allowing the tool on ${node.id}`,
      await holder.api.v1.nodes[':nodeId'].tools[':toolId'][':version'].$put({ param }),
      [200, 201, 204],
    );
  }

  const grants = await researcher.api.v1.grants.$get();
  expectStatus('reading grants', grants, [200]);
  if ((await grants.json()).grants.length > 0) return;

  const datasets = opts.nodes.flatMap((n) =>
    demoMetadata(n.id, n.name)
      .slice(0, 1)
      .map((d) => d.id),
  );
  const created = await researcher.api.v1.negotiations.$post({ json: { resources: datasets.map((id) => ({ id })) } });
  expectStatus('starting the negotiation', created, [201]);
  const { id } = (await created.json()) as { id: string };
  expectStatus(
    'answering the form',
    await researcher.api.v1.negotiations[':id'].answers.$put({ param: { id }, json: { answers: sampleAnswers() } }),
    [200],
  );
  const fire = async (who: Client, event: 'submit' | 'approve') =>
    expectStatus(event, await who.api.v1.negotiations[':id'].events.$post({ param: { id }, json: { event } }), [200]);
  await fire(researcher, 'submit');
  await fire(admin, 'approve');
  const grant = { access: 'REMOTE_PROCESSING' as const, conditions: 'Demo: results of approved tools only.', validDays: 365 };
  const steps: [
    Client,
    (
      | 'contact_representative'
      | 'check_availability'
      | 'mark_available'
      | 'indicate_access_conditions'
      | 'accept_access_conditions'
      | 'grant_access'
    ),
  ][] = [
    [admin, 'contact_representative'],
    [representative, 'check_availability'],
    [representative, 'mark_available'],
    [representative, 'indicate_access_conditions'],
    [researcher, 'accept_access_conditions'],
    [representative, 'grant_access'],
  ];
  for (const datasetId of datasets) {
    for (const [who, event] of steps) {
      const json = event === 'grant_access' ? { event, grant } : { event };
      expectStatus(
        `${event} on ${datasetId}`,
        await who.api.v1.negotiations[':id'].datasets[':datasetId'].events.$post({ param: { id, datasetId }, json }),
        [200],
      );
    }
  }
}
