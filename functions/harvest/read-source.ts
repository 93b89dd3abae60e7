// From the walked graph to what the catalogue stores: every dcat:Dataset mapped to the profile and
// checked by it. A dataset the profile refuses is reported and kept as the catalogue has it.
import type { Quad_Subject, Store } from 'n3';
import { type DatasetSeries, type Network, datasetMetadataSchema, networkSchema, seriesSchema } from '../../shared/catalogue/profile.ts';
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

/** The series a dataset is in, and its network, as far as the source describes them. */
function readSeries(r: RdfReader, node: Quad_Subject | undefined): { series?: DatasetSeries; network?: Network } {
  if (!node) return {};
  const networkNode = r.nodes(node, dct('isPartOf'))[0];
  const networkId = seriesIdOf(r, networkNode);
  const series = seriesSchema.safeParse({
    id: seriesIdOf(r, node),
    title: r.text(node, dct('title')),
    description: r.text(node, dct('description')),
    publisher: readAgent(r, r.nodes(node, dct('publisher'))[0]),
    networkId,
  });
  const network = networkSchema.safeParse({
    id: networkId,
    title: networkNode && r.text(networkNode, dct('title')),
    description: networkNode && r.text(networkNode, dct('description')),
  });
  // An incomplete description still names the series and network; the catalogue then creates
  // placeholders for what it lacks (an id alone is enough to keep the network link).
  const named = networkSchema.shape.id.safeParse(networkId);
  return {
    ...(series.success ? { series: series.data } : {}),
    ...(network.success
      ? { network: network.data }
      : named.success
        ? { network: { id: named.data, title: named.data, description: 'Created when a harvest met it first.' } }
        : {}),
  };
}

export function readSource(store: Store): SourceContent {
  const r = new RdfReader(store);
  const out: SourceContent = { datasets: [], rejected: [], present: [] };
  for (const subject of store.getSubjects(RDF_TYPE, dcat('Dataset'), null) as Quad_Subject[]) {
    const rawId = r.text(subject, dct('identifier'));
    const id = datasetIdSchema.safeParse(rawId?.toLowerCase());
    if (!id.success) {
      out.rejected.push({
        id: rawId ?? null,
        subject: subject.value,
        problems: [{ path: 'identifier', message: 'dct:identifier must be a UUID' }],
      });
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
    const { series, network } = readSeries(r, r.nodes(subject, dcat('inSeries'))[0]);
    out.datasets.push({ id: id.data, metadata: metadata.data, modified, ...(series ? { series } : {}), ...(network ? { network } : {}) });
  }
  return out;
}
