/** The IRIs of the hub's FAIR Data Point records, all under `${PUBLIC_URL}/fdp`, each dereferenceable. */
export interface FdpIris {
  repository: string;
  catalog(id: string): string;
  dataset(id: string): string;
  distribution(datasetId: string, n: number): string;
  series(id: string): string;
  network(id: string): string;
  profile(layer: FdpLayer): string;
  /** A vocabulary of the catalogue, served as a SKOS concept scheme. */
  vocabulary(name: string): string;
  /** A dataset's page in the public catalogue: its `dct:identifier` (EUCAIM DCAT-AP v2.0). */
  cataloguePage(id: string): string;
}

export type FdpLayer = 'repository' | 'catalog' | 'dataset' | 'distribution';

/** The one catalog that holds the federation's datasets. */
export const CATALOG_ID = 'eucaim';

export function fdpIris(publicUrl: string): FdpIris {
  const root = publicUrl.replace(/\/+$/, '');
  const base = `${root}/fdp`;
  return {
    repository: base,
    catalog: (id) => `${base}/catalog/${encodeURIComponent(id)}`,
    dataset: (id) => `${base}/dataset/${encodeURIComponent(id)}`,
    distribution: (datasetId, n) => `${base}/distribution/${encodeURIComponent(datasetId)}/${n}`,
    series: (id) => `${base}/series/${encodeURIComponent(id)}`,
    network: (id) => `${base}/network/${encodeURIComponent(id)}`,
    profile: (layer) => `${base}/profile/${layer}`,
    vocabulary: (name) => `${base}/vocabularies/${encodeURIComponent(name)}`,
    cataloguePage: (id) => `${root}/catalogue/datasets/${encodeURIComponent(id)}`,
  };
}

/**
 * The named parts of a record (publisher, contact points, checksum...): a fragment of the record's
 * IRI, so every document that mentions one names the same node and merged documents keep one.
 */
export const part = (record: string, name: string) => `${record}#${name}`;
