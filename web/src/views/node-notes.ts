import type { Catalogue, SearchView } from '../api.ts';

export type NodeRow = SearchView['nodes'][number];

export const statusLabels: Record<NodeRow['status'], string> = {
  pending: 'pending',
  answered: 'answered',
  unsupported: 'unsupported',
  error: 'error',
  timed_out: 'timed out',
  skipped: 'skipped',
};

type Obfuscation = NonNullable<NodeRow['result']>['obfuscation'];

/** How the node protected its counts: a researcher must know a 10 may mean 1. */
export function obfuscationText(o: Obfuscation): string {
  if (!o) return 'Counts: protection not stated by the node.';
  if (!o.applied) return 'Exact counts.';
  const parts = [o.method === 'laplace' ? 'noise added' : 'obfuscated'];
  if (o.roundingStep) parts.push(`rounded to ${o.roundingStep}`);
  if (o.smallCountThreshold) parts.push(`1–${o.smallCountThreshold - 1} shown as ${o.smallCountThreshold}`);
  return `Counts ${parts.join(', ')}.`;
}

/** Why a node has no count, or what its count means; filter keys shown with their labels. */
export function nodeNotes(n: NodeRow, catalogue: Catalogue): string {
  const label = (key: string) => catalogue.filters.find((f) => f.key === key)?.label ?? key;
  switch (n.status) {
    case 'unsupported':
      return `Cannot apply: ${n.unsupportedKeys.map(label).join(', ')}`;
    case 'error':
      return n.error ? `${n.error.message} (${n.error.code})` : 'The node reported an error.';
    case 'timed_out':
      return 'No answer by the deadline.';
    case 'skipped':
      return 'Offline when the search started; not asked.';
    case 'pending':
      return 'Waiting for the node…';
    case 'answered': {
      const ignored = n.result?.unsupported_keys ?? [];
      const note = obfuscationText(n.result?.obfuscation);
      return ignored.length ? `Ignored filters: ${ignored.map(label).join(', ')}. ${note}` : note;
    }
  }
}
