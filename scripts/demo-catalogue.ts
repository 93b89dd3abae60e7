// `npm start`'s catalogue: the demo nodes' datasets registered through the catalogue API as the
// `dataholder` demo account (admin of both nodes), with `representative` as their representative,
// and published, in a demo network and imaging biobank. Metadata comes from the same plan the
// synthetic data is generated from, so the catalogue's counts describe what the bridges hold.
import { planDemo } from '../bridge/demo/plan.ts';
import { sampleMetadata } from '../functions/catalogue/sample.ts';
import type { DatasetMetadata } from '../shared/catalogue/profile.ts';
import { CONDITIONS, currentCode } from '../shared/catalogue/vocabularies.ts';

// DICOM modalities, body parts, manufacturers and sexes of the demo data, as the EUCAIM hyper-ontology codes them.
const MODALITY: Record<string, string> = { MR: 'IMG1000038', CT: 'IMG1000042', PT: 'IMG1000062', NM: 'IMG1000061' };
const BODY_PART: [RegExp, string][] = [
  [/prostat/i, 'BP1000021'],
  [/breast|mama|sein/i, 'BP1000136'],
  [/chest|torax|thorax|lung/i, 'BP1000113'],
  [/colon/i, 'BP1000257'],
  [/pelvis/i, 'BP1000092'],
];
const MANUFACTURER: [RegExp, string][] = [
  [/siemens/i, 'IMG1000044'],
  [/^ge /i, 'IMG1000047'],
  [/philips/i, 'IMG1000046'],
  [/toshiba/i, 'IMG1000045'],
  [/canon/i, 'IMG1000050'],
];
// The ontology codes sex at birth as male or female only.
const SEX: Record<string, string> = { M: 'COM1001366', F: 'COM1001370' };

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
    const diagnosis = [...conditions].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'SNOMEDCT399068003';
    // The plan speaks the search catalogue's codes: the vocabulary's table gives the ontology term.
    const condition = currentCode(CONDITIONS, diagnosis) ?? 'CLIN1000075';
    const sexes = [...new Set(patients.flatMap((p) => SEX[p.sex] ?? []))];
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
        birthSex: sexes.length ? sexes : Object.values(SEX),
        publisher: { name: nodeName, email: `data-access@${nodeId}.demo.example` },
        keywords: ['synthetic', 'demo', nodeId],
        seriesId: DEMO_SERIES.id,
        distributions: [
          {
            accessUrl: 'http://127.0.0.1:8080/cart',
            accessCondition: d.clinicalFile === 'clinical.csv' ? 'IN_SITU_PROCESSING' : 'REMOTE_PROCESSING',
            applicableLegislation: ['EHDS'],
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
