// From the walked graph to what the catalogue stores: every dcat:Dataset mapped to the profile and
// checked by it. A dataset the profile refuses is reported and kept as the catalogue has it.
import type { Quad_Subject, Store } from 'n3';
import { datasetMetadataSchema, seriesSchema } from '../../shared/catalogue/profile.ts';
import { datasetIdSchema } from '../../shared/catalogue/registration.ts';
import { issuesToDetails } from '../../shared/errors.ts';
import type { HarvestedDataset } from '../catalogue/contract.ts';
import { RDF_TYPE, dcat, dct, fdp } from '../fdp/namespaces.ts';
import { RdfReader, rdfToDataset, readAgent, seriesIdOf } from '../fdp/rdf-to-dataset.ts';
import type { HarvestReport } from './harvest.sql.ts';

export interface SourceContent {
  datasets: HarvestedDataset[];
  rejected: HarvestReport['rejected'];
  /** Ids of every dataset the source describes, accepted or not: none of them is withdrawn. */
  present: string[];
}

function readSeries(r: RdfReader, node: Quad_Subject | undefined) {
  if (!node) return undefined;
  const network = r.nodes(node, dct('isPartOf'))[0];
  const parsed = seriesSchema.safeParse({
    id: seriesIdOf(r, node),
    title: r.text(node, dct('title')),
    description: r.text(node, dct('description')),
    publisher: readAgent(r, r.nodes(node, dct('publisher'))[0]),
    networkId: seriesIdOf(r, network),
  });
  // An incomplete series description still names the series; the catalogue then creates a placeholder.
  return parsed.success ? parsed.data : undefined;
}

export function readSource(store: Store): SourceContent {
  const r = new RdfReader(store);
  const out: SourceContent = { datasets: [], rejected: [], present: [] };
  for (const subject of store.getSubjects(RDF_TYPE, dcat('Dataset'), null) as Quad_Subject[]) {
    const rawId = r.text(subject, dct('identifier'));
    const id = datasetIdSchema.safeParse(rawId?.toLowerCase());
    if (!id.success) {
      out.rejected.push({ id: rawId ?? null, subject: subject.value, problems: [{ path: 'identifier', message: 'dct:identifier must be a UUID' }] });
      continue;
    }
    out.present.push(id.data);
    const metadata = datasetMetadataSchema.safeParse(rdfToDataset(r, subject));
    const modified = r.text(subject, dct('modified')) ?? r.text(subject, fdp('metadataModified'));
    if (!metadata.success || !modified) {
      const problems = metadata.success ? [] : issuesToDetails(metadata.error.issues);
      if (!modified) problems.push({ path: 'modified', message: 'neither dct:modified nor fdp:metadataModified is given' });
      out.rejected.push({ id: id.data, subject: subject.value, problems });
      continue;
    }
    const series = readSeries(r, r.nodes(subject, dcat('inSeries'))[0]);
    out.datasets.push({ id: id.data, metadata: metadata.data, modified, ...(series ? { series } : {}) });
  }
  return out;
}
