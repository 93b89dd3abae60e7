// From the walked graph to what the catalogue stores: every dcat:Dataset mapped to the profile and
// checked by it, with the source's identifier, IRI and dates. A dataset the profile refuses is
// reported and kept as the catalogue has it; so is one its listing names but that could not be read.
import type { Quad_Subject, Store } from 'n3';
import { type DatasetSeries, type Network, datasetMetadataSchema, networkSchema, seriesSchema } from '../../shared/catalogue/profile.ts';
import { issuesToDetails } from '../../shared/errors.ts';
import type { HarvestedDataset } from '../catalogue/contract.ts';
import { RDF_TYPE, dcat, dct, fdp } from '../fdp/namespaces.ts';
import { RdfReader, datasetIdentity, rdfToDataset, readAgent, seriesIdOf } from '../fdp/rdf-to-dataset.ts';
import type { HarvestReport } from './harvest.sql.ts';

export interface SourceContent {
  datasets: HarvestedDataset[];
  rejected: HarvestReport['rejected'];
  /** Every dataset the source describes or lists, accepted or not, by UUID and by IRI: none of them is withdrawn. */
  present: { ids: string[]; iris: string[] };
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

/** A dataset described only by a listing (title, theme) has no record of its own to harvest. */
const describedFully = (r: RdfReader, s: Quad_Subject) =>
  r.objects(s, dcat('distribution')).length > 0 || r.objects(s, dct('publisher')).length > 0;

/**
 * `defaultSeries`: the series of datasets their source puts in none (the profile makes `dcat:inSeries`
 * optional; the catalogue files every dataset under a series).
 */
export function readSource(store: Store, listed: ReadonlySet<string> = new Set(), defaultSeries?: string): SourceContent {
  const r = new RdfReader(store);
  const out: SourceContent = { datasets: [], rejected: [], present: { ids: [], iris: [...listed] } };
  for (const iri of listed) {
    const { uuid } = datasetIdentity(r, { termType: 'NamedNode', value: iri } as Quad_Subject);
    if (uuid) out.present.ids.push(uuid);
  }
  for (const subject of store.getSubjects(RDF_TYPE, dcat('Dataset'), null) as Quad_Subject[]) {
    const { uuid, identifier } = datasetIdentity(r, subject);
    if (uuid) out.present.ids.push(uuid);
    if (subject.termType === 'NamedNode') out.present.iris.push(subject.value);
    if (!uuid && subject.termType !== 'NamedNode') {
      out.rejected.push({
        id: null,
        subject: subject.value,
        problems: [{ path: '(record)', message: 'a dataset needs an IRI or a UUID' }],
      });
      continue;
    }
    if (!describedFully(r, subject) && listed.has(subject.value)) {
      out.rejected.push({
        id: uuid ?? null,
        subject: subject.value,
        problems: [{ path: '(record)', message: 'listed, but its record was not read' }],
      });
      continue;
    }
    const mapped = rdfToDataset(r, subject);
    const metadata = datasetMetadataSchema.safeParse(
      mapped.seriesId === undefined && defaultSeries ? { ...mapped, seriesId: defaultSeries } : mapped,
    );
    const modified = r.text(subject, dct('modified')) ?? r.text(subject, fdp('metadataModified'));
    const issued = r.text(subject, dct('issued')) ?? r.text(subject, fdp('metadataIssued'));
    if (!metadata.success || !modified) {
      const problems = metadata.success ? [] : issuesToDetails(metadata.error.issues);
      if (!modified) problems.push({ path: 'modified', message: 'neither dct:modified nor fdp:metadataModified is given' });
      out.rejected.push({ id: uuid ?? null, subject: subject.value, problems });
      continue;
    }
    const { series, network } = readSeries(r, r.nodes(subject, dcat('inSeries'))[0]);
    out.datasets.push({
      ...(uuid ? { id: uuid } : {}),
      ...(subject.termType === 'NamedNode' ? { sourceIri: subject.value } : {}),
      ...(identifier ? { sourceIdentifier: identifier } : {}),
      ...(issued ? { issued } : {}),
      modified,
      metadata: metadata.data,
      ...(series ? { series } : {}),
      ...(network ? { network } : {}),
    });
  }
  return out;
}
