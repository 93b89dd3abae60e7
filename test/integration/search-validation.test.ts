import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

type Leaf = { key: string; type: string; value: unknown };
/** The Lens shape: an outer OR of one AND, each criterion in its own OR. */
const lens = (...leaves: Leaf[]) => ({
  operand: 'OR',
  children: [{ operand: 'AND', children: leaves.map((l) => ({ operand: 'OR', children: [l] })) }],
});
const at = (i: number) => `ast.children[0].children[${i}].children[0]`;

describe(`search input checked against the filter catalogue (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  const post = async (body: unknown) => {
    const res = await (await hub.client('researcher')).api.v1.search.$post({ json: body as never });
    return { status: res.status, body: (await res.json()) as { error?: { details?: { path: string; message: string }[] }; id?: string } };
  };

  it('serves the catalogue to anonymous callers, with every EUCAIM key and its labels', async () => {
    const res = await (await hub.client()).api.v1.search.catalogue.$get();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    const keys = body.filters.map((f) => f.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'SNOMEDCT263495000',
        'SNOMEDCT423493009',
        'SNOMEDCT439401001',
        'SNOMEDCT432213005',
        'RID10311',
        'SNOMEDCT123037004',
        'C25392',
      ]),
    );
    expect(body.filters.find((f) => f.key === 'RID10311')?.values?.map((v) => v.label)).toEqual(['MR', 'PET', 'SPECT', 'CT', 'Unknown']);
  });

  it('still refuses anonymous searches', async () => {
    const res = await (await hub.client()).api.v1.search.$post({ json: { ast: { operand: 'OR', children: [] } } });
    expect(res.status).toBe(401);
  });

  describe.each([
    { name: 'a string for age', ast: lens({ key: 'SNOMEDCT423493009', type: 'LOWER_THAN', value: 'forty' }), path: `${at(0)}.value` },
    {
      name: 'an age out of range',
      ast: lens({ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: 40, max: 400 } }),
      path: `${at(0)}.value.max`,
    },
    {
      name: 'a string bound in an age range',
      ast: lens({ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: 'old' } }),
      path: `${at(0)}.value.min`,
    },
    { name: 'an operator the key does not take', ast: lens({ key: 'RID10311', type: 'CONTAINS', value: 'MR' }), path: `${at(0)}.type` },
    { name: 'a number for gender', ast: lens({ key: 'SNOMEDCT263495000', type: 'EQUALS', value: 1 }), path: `${at(0)}.value` },
    {
      name: 'a number inside IN',
      ast: lens({ key: 'C25392', type: 'IN', value: ['birnlex_3065', 7] }),
      path: `${at(0)}.value`,
    },
    {
      name: 'an unknown property in the tree',
      ast: { operand: 'OR', children: [{ operand: 'AND', children: [], colour: 'red' }] },
      path: 'ast.children[0].colour',
    },
  ])('$name', ({ ast, path }) => {
    it(`is a 400 naming ${path}`, async () => {
      const { status, body } = await post({ ast });
      expect(status, JSON.stringify(body)).toBe(400);
      expect(body.error?.details?.map((d) => d.path)).toEqual([path]);
    });
  });

  it('accepts an unknown key or code: the nodes report it as unsupported, the user reads it in words', async () => {
    const { status, body } = await post({
      ast: lens(
        { key: 'LOCAL42', type: 'EQUALS', value: 'anything' },
        { key: 'RID10311', type: 'EQUALS', value: 'RID99999' },
        { key: 'C25392', type: 'IN', value: ['birnlex_3065', 'acme'] },
      ),
    });
    expect(status, JSON.stringify(body)).toBe(202);
    expect((body as { notices?: string[] }).notices).toEqual([
      'unknown filter LOCAL42',
      'unknown value RID99999 of filter Modality',
      'unknown value acme of filter Manufacturer',
    ]);
  });

  it('accepts the tree as Lens 0.4.6 builds it and reads its empty number fields as the user meant', async () => {
    const leaf = (key: string, type: string, value: unknown) => ({ nodeType: 'leaf', key, type, system: '', value });
    const criterion = (l: ReturnType<typeof leaf>) => ({ nodeType: 'branch', key: l.key, operand: 'OR', children: [l] });
    const ast = {
      nodeType: 'branch',
      operand: 'OR',
      children: [
        {
          nodeType: 'branch',
          operand: 'AND',
          children: [
            criterion(leaf('SNOMEDCT432213005', 'BETWEEN', { min: 0, max: 2017 })),
            criterion(leaf('SNOMEDCT423493009', 'BETWEEN', { min: 50, max: 0 })),
            criterion(leaf('EUCAIM_Hyper-Ontology_V1.0.CLIN1045851', 'EQUALS', 'EUCAIM_Hyper-Ontology_V1.0.COM1001882')),
          ],
        },
      ],
    };
    const { status, body } = await post({ ast, id: 'lens-0.4.6' });
    expect(status, JSON.stringify(body)).toBe(202);
    const view = body as { query?: unknown; notices?: string[] };
    expect(view.notices).toEqual([]);
    expect(view.query).toEqual({
      operand: 'OR',
      children: [
        {
          operand: 'AND',
          children: [
            { operand: 'OR', children: [{ key: 'SNOMEDCT432213005', type: 'BETWEEN', value: { max: 2017 } }] },
            { operand: 'OR', children: [{ key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: 50 } }] },
            {
              operand: 'OR',
              children: [{ key: 'EUCAIM_Hyper-Ontology_V1.0.CLIN1045851', type: 'EQUALS', value: 'EUCAIM_Hyper-Ontology_V1.0.COM1001882' }],
            },
          ],
        },
      ],
    });
  });

  it('accepts every EUCAIM key with a valid value', async () => {
    const ast = lens(
      { key: 'SNOMEDCT263495000', type: 'EQUALS', value: 'SNOMEDCT248152002' },
      { key: 'SNOMEDCT423493009', type: 'BETWEEN', value: { min: 40, max: 70 } },
      { key: 'SNOMEDCT439401001', type: 'EQUALS', value: 'SNOMEDCT254837009' },
      { key: 'SNOMEDCT432213005', type: 'GREATER_THAN', value: 2015 },
      { key: 'RID10311', type: 'IN', value: ['RID10312', 'RID10321'] },
      { key: 'SNOMEDCT123037004', type: 'EQUALS', value: 'SNOMEDCT76752008' },
      { key: 'C25392', type: 'NOT_EQUALS', value: 'birnlex_3067' },
    );
    const { status, body } = await post({ ast, deadlineSeconds: 60 });
    expect(status, JSON.stringify(body)).toBe(202);
  });

  it.each([0, 61, 2.5, '10'])('refuses deadlineSeconds %j with a 400 naming it', async (deadlineSeconds) => {
    const { status, body } = await post({ ast: { operand: 'OR', children: [] }, deadlineSeconds });
    expect(status, JSON.stringify(body)).toBe(400);
    expect(body.error?.details?.map((d) => d.path)).toEqual(['deadlineSeconds']);
  });

  it.each([1, 60])('accepts deadlineSeconds %i and sets the deadline from it', async (deadlineSeconds) => {
    const res = await (await hub.client('researcher')).api.v1.search.$post({
      json: { ast: { operand: 'OR', children: [] }, deadlineSeconds },
    });
    const view = await res.json();
    expect(res.status, JSON.stringify(view)).toBe(202);
    expect(Date.parse(view.deadlineAt) - Date.parse(view.createdAt)).toBe(deadlineSeconds * 1000);
  });
});
