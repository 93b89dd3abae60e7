import pkg from '../../package.json' with { type: 'json' };
import { filterCatalogue } from '../../shared/filter-catalogue.ts';
import type { Obfuscation } from '../../shared/job-protocol.ts';
import type { Services } from '../services.ts';
import { queryInWords } from './query-words.ts';
import { getSearch, type Viewer } from './search-view.ts';

/** How a node protected its counts, in words a reader of the report can check. */
export function obfuscationNote(o: Obfuscation | undefined): string {
  if (!o) return 'The node did not say whether its counts are obfuscated.';
  if (!o.applied) return 'Exact counts: the node applied no obfuscation.';
  const parts: string[] = [];
  if (o.method === 'laplace') parts.push(`Laplace noise${o.epsilon ? ` (epsilon ${o.epsilon}, sensitivity ${o.sensitivity ?? 1})` : ''}`);
  if (o.roundingStep) parts.push(`rounded to steps of ${o.roundingStep}`);
  if (o.smallCountThreshold) parts.push(`counts 1-${o.smallCountThreshold - 1} reported as ${o.smallCountThreshold}, zeros kept`);
  return `Obfuscated counts: ${parts.join('; ') || 'method not stated'}.`;
}

/**
 * The downloadable record of one search (seed 4.5): what was asked, in tree and in words, what each
 * node answered and how its counts were protected, with the hub's version and the time of the report.
 */
export async function searchReport(s: Services, viewer: Viewer, searchId: string) {
  const view = await getSearch(s, viewer, searchId);
  return {
    report: 'eucaim-federated-search',
    generatedAt: s.clock.now().toISOString(),
    hub: { url: s.config.PUBLIC_URL, version: pkg.version, catalogueVersion: filterCatalogue.version },
    search: { id: view.id, clientId: view.clientId, status: view.status, createdAt: view.createdAt, deadlineAt: view.deadlineAt },
    query: { tree: view.query, words: queryInWords(view.query), notices: view.notices, sha256: view.queryHash },
    nodes: view.nodes.map((n) => ({
      nodeId: n.nodeId,
      name: n.name,
      status: n.status,
      answeredAt: n.answeredAt,
      unsupportedKeys: n.status === 'unsupported' ? n.unsupportedKeys : (n.result?.unsupported_keys ?? []),
      error: n.error,
      obfuscation: n.result?.obfuscation ?? null,
      obfuscationNote: n.status === 'answered' ? obfuscationNote(n.result?.obfuscation) : null,
      datasets: (n.status === 'answered' ? (n.result?.collections ?? []) : []).map((d) => ({
        id: d.id,
        name: d.name,
        subjects_count: d.subjects_count,
        studies_count: d.studies_count,
      })),
      total: n.status === 'answered' ? (n.result?.total ?? null) : null,
    })),
    total: view.total,
  };
}
