/** The IRIs of the hub's FAIR Data Point records, all under `${PUBLIC_URL}/fdp`. */
export interface FdpIris {
  repository: string;
  catalog(id: string): string;
  dataset(id: string): string;
  distribution(datasetId: string, n: number): string;
  series(id: string): string;
  network(id: string): string;
  profile(layer: FdpLayer): string;
}

export type FdpLayer = 'repository' | 'catalog' | 'dataset' | 'distribution';

/** The one catalog that holds the federation's datasets. */
export const CATALOG_ID = 'eucaim';

export function fdpIris(publicUrl: string): FdpIris {
  const base = `${publicUrl.replace(/\/+$/, '')}/fdp`;
  return {
    repository: base,
    catalog: (id) => `${base}/catalog/${encodeURIComponent(id)}`,
    dataset: (id) => `${base}/dataset/${encodeURIComponent(id)}`,
    distribution: (datasetId, n) => `${base}/distribution/${encodeURIComponent(datasetId)}/${n}`,
    series: (id) => `${base}/series/${encodeURIComponent(id)}`,
    network: (id) => `${base}/network/${encodeURIComponent(id)}`,
    profile: (layer) => `${base}/profile/${layer}`,
  };
}
