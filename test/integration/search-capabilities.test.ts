import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilityManifest } from '../../bridge/query/capabilities.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { heartbeat, leaseVerified, registerNodes } from '../support/sim-node.ts';

const MODALITY = 'RID10311';
const GENDER = 'SNOMEDCT263495000';
const ast = {
  operand: 'OR' as const,
  children: [
    {
      operand: 'AND' as const,
      children: [
        { operand: 'OR' as const, children: [{ key: MODALITY, type: 'EQUALS' as const, value: 'RID10312' }] },
        { operand: 'OR' as const, children: [{ key: GENDER, type: 'EQUALS' as const, value: 'SNOMEDCT248152002' }] },
      ],
    },
  ],
};

describe(`nodes whose manifest cannot evaluate the query (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  it('are unsupported at once, with the keys, and get no job; the others are asked', async () => {
    const [noGender, noMr, full, silent] = await registerNodes(hub, ['cap-no-gender', 'cap-no-mr', 'cap-full', 'cap-silent']);
    const all = capabilityManifest();
    await heartbeat(noGender!, { capabilities: { ...all, filters: all.filters.filter((f) => f.key !== GENDER) } });
    const withoutMr = all.filters.map((f) => (f.key === MODALITY ? { ...f, values: (f.values ?? []).filter((v) => v !== 'RID10312') } : f));
    await heartbeat(noMr!, { capabilities: { ...all, filters: withoutMr } });
    await heartbeat(full!, { capabilities: all });
    await heartbeat(silent!); // no manifest (an older bridge): asked as before

    const created = await (await hub.client('researcher')).api.v1.search.$post({ json: { ast, deadlineSeconds: 5 } });
    const view = await created.json();
    expect(created.status, JSON.stringify(view)).toBe(202);
    expect(view.nodes.map((n) => [n.nodeId, n.status, n.unsupportedKeys])).toEqual([
      ['cap-full', 'pending', []],
      ['cap-no-gender', 'unsupported', [GENDER]],
      ['cap-no-mr', 'unsupported', [MODALITY]],
      ['cap-silent', 'pending', []],
    ]);
    expect(await leaseVerified(hub.url, noGender!)).toEqual([]);
    expect(await leaseVerified(hub.url, noMr!)).toEqual([]);
    expect(await leaseVerified(hub.url, full!)).toHaveLength(1);
    expect(await leaseVerified(hub.url, silent!)).toHaveLength(1);
  });
});
