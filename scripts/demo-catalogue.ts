// `npm start`'s catalogue: the demo nodes' datasets registered through the catalogue API as the
// `dataholder` demo account (admin of both nodes), with `representative` as their representative,
// and published, in a demo network and imaging biobank. Metadata comes from the same plan the
// synthetic data is generated from, so the catalogue's counts describe what the bridges hold.
import { planDemo } from '../bridge/demo/plan.ts';
import { sampleMetadata } from '../functions/catalogue/sample.ts';
import type { DatasetMetadata } from '../shared/catalogue/profile.ts';

const MODALITY: Record<string, string> = { MR: 'RID10312', CT: 'RID10321', PT: 'RID10337', NM: 'RID10334' };
// The free-text body parts and manufacturers the demo DICOM carries, mapped to the vocabularies' codes.
const BODY_PART: [RegExp, string][] = [
  [/prostat/i, 'SNOMEDCT41216001'],
  [/breast|mama|sein/i, 'SNOMEDCT76752008'],
  [/chest|torax|thorax|lung/i, 'SNOMEDCT39607008'],
  [/colon/i, 'SNOMEDCT71854001'],
  [/pelvis/i, 'SNOMEDCT12921003'],
];
const MANUFACTURER: [RegExp, string][] = [
  [/siemens healthineers/i, 'C200140'],
  [/siemens/i, 'birnlex_3066'],
  [/^ge /i, 'birnlex_12833'],
  [/philips/i, 'birnlex_3065'],
  [/toshiba|canon/i, 'birnlex_3067'],
];
const SEX: Record<string, string> = { M: 'SNOMEDCT248153007', F: 'SNOMEDCT248152002', O: 'SNOMEDCT74964007', U: 'SNOMEDCT261665006' };

export const DEMO_NETWORK = {
  id: 'eucaim-demo',
  title: 'EUCAIM demo network',
  description: 'The synthetic data holders that `npm start` runs on this machine.',
};
export const DEMO_SERIES = {
  id: 'demo-synthetic',
  networkId: DEMO_NETWORK.id,
  title: 'Synthetic imaging biobank',
  description: 'Deterministic synthetic DICOM headers and clinical data; no real patients.',
  publisher: { name: 'EUCAIM demo data holders' },
};

const mapped = (values: Iterable<string>, table: [RegExp, string][]) => [
  ...new Set([...values].flatMap((v) => table.find(([re]) => re.test(v))?.[1] ?? [])),
];

/** Profile metadata for each dataset of a demo node, read from its generation plan. */
export function demoMetadata(nodeId: string, nodeName: string): { id: string; metadata: DatasetMetadata }[] {
  const plan = planDemo(nodeId);
  return plan.datasets.map((d) => {
    const patients = plan.patients.filter((p) => p.dataset === d.folder && p.studies.length > 0);
    const series = patients.flatMap((p) => p.studies.flatMap((s) => s.series));
    const conditions = new Map<string, number>();
    for (const p of patients) conditions.set(p.diagnosisCode, (conditions.get(p.diagnosisCode) ?? 0) + 1);
    const condition = [...conditions].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'SNOMEDCT399068003';
    return {
      id: d.id,
      metadata: sampleMetadata({
        title: d.name,
        description: d.description,
        subjects: patients.length,
        studies: patients.reduce((n, p) => n + p.studies.length, 0),
        condition,
        modalities: [...new Set(series.map((s) => MODALITY[s.modality] as string))],
        bodyParts: mapped(
          series.map((s) => s.bodyPart),
          BODY_PART,
        ),
        manufacturers: mapped(
          series.map((s) => s.manufacturer),
          MANUFACTURER,
        ),
        birthSex: [...new Set(patients.map((p) => SEX[p.sex || 'U'] as string))],
        publisher: { name: nodeName },
        keywords: ['synthetic', 'demo', nodeId],
        seriesId: DEMO_SERIES.id,
        distributions: [
          {
            accessUrl: 'http://127.0.0.1:8080/cart',
            accessCondition: d.clinicalFile === 'clinical.csv' ? 'IN_SITU_PROCESSING' : 'REMOTE_PROCESSING',
          },
        ],
      }),
    };
  });
}

async function call(hubUrl: string, token: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(hubUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.body?.cancel();
  return res.status;
}

/** Registers and publishes the demo catalogue; a restart meets 409s and changes nothing. */
export async function seedDemoCatalogue(opts: {
  hubUrl: string;
  adminToken: string;
  holderToken: string;
  nodes: readonly { id: string; name: string }[];
}): Promise<void> {
  const expect = (what: string, status: number, ok: number[]) => {
    if (!ok.includes(status)) throw new Error(`demo catalogue: ${what} answered ${status}`);
  };
  expect('network', await call(opts.hubUrl, opts.adminToken, '/api/v1/catalogue/networks', DEMO_NETWORK), [201, 409]);
  expect('series', await call(opts.hubUrl, opts.adminToken, '/api/v1/catalogue/series', DEMO_SERIES), [201, 409]);
  for (const node of opts.nodes) {
    for (const { id, metadata } of demoMetadata(node.id, node.name)) {
      const registration = { id, nodeId: node.id, representatives: ['representative'], metadata };
      expect(`dataset ${id}`, await call(opts.hubUrl, opts.holderToken, '/api/v1/catalogue/datasets', registration), [201, 409]);
      expect(`publishing ${id}`, await call(opts.hubUrl, opts.holderToken, `/api/v1/catalogue/datasets/${id}/publish`), [200, 409]);
    }
  }
}
