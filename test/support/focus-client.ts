/**
 * A client that calls a site mediator as the Samply Focus agent does (samply/focus at 2fc7515,
 * endpoint type "omop", `src/intermediate_rep.rs` `post_ast`, `src/main.rs`
 * `run_intermediate_rep_query`, `src/ast.rs`, `src/task_processing.rs`), written from that
 * behaviour, not from its code:
 * - the `{ast, id}` of the Beam task is first read into Focus's typed model: branches with an
 *   operand AND or OR and children, leaves with key, type and a value that is a string, a list of
 *   strings, a boolean, a number, or a range with both min and max; everything else on a node
 *   (nodeType, system, branch keys, labels) is dropped, and a query outside the model fails the
 *   task before any call;
 * - it is posted, pretty-printed, to the configured endpoint URL with `Content-Type:
 *   application/json` and the configured `Authorization` header, verbatim;
 * - a 200 body is passed on with `provider_icon` and `provider` written in after its first `{`;
 *   any other status fails the task.
 */
type FocusValue = string | string[] | boolean | number | { min: number | string; max: number | string };
type FocusNode = { operand: 'AND' | 'OR'; children: FocusNode[] } | { key: string; type: string; value: FocusValue };

const TYPES = ['EQUALS', 'NOT_EQUALS', 'IN', 'BETWEEN', 'LOWER_THAN', 'GREATER_THAN', 'CONTAINS'];

function value(v: unknown): FocusValue | undefined {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  if (typeof v === 'object' && v !== null) {
    const { min, max } = v as { min?: unknown; max?: unknown };
    if (typeof min === 'number' && typeof max === 'number') return { min, max };
    if (typeof min === 'string' && typeof max === 'string') return { min, max };
  }
  return undefined;
}

/** Focus's typed reading of one node (untagged: an operation first, then a condition); undefined where it fails. */
function node(n: unknown): FocusNode | undefined {
  if (typeof n !== 'object' || n === null) return undefined;
  const o = n as Record<string, unknown>;
  if ((o.operand === 'AND' || o.operand === 'OR') && Array.isArray(o.children)) {
    const children = o.children.map(node);
    if (children.every((c) => c !== undefined)) return { operand: o.operand, children: children as FocusNode[] };
  }
  if (typeof o.key === 'string' && typeof o.type === 'string' && TYPES.includes(o.type)) {
    const v = value(o.value);
    if (v !== undefined) return { key: o.key, type: o.type, value: v };
  }
  return undefined;
}

/** The body Focus posts, or undefined when the task fails in Focus before it calls the mediator. */
export function focusBody(task: { ast: unknown; id?: unknown }): string | undefined {
  const ast = node(task.ast);
  if (!ast || !('operand' in ast) || typeof task.id !== 'string') return undefined;
  // serde_json writes f64 numbers with a fraction: 30 → 30.0.
  return JSON.stringify({ ast, id: task.id }, null, 2).replace(/("(?:min|max|value)": )(-?\d+)(?=[,\n\]])/g, '$1$2.0');
}

export type FocusOutcome =
  | { ok: true; status: 200; body: Record<string, unknown> }
  | { ok: false; status: number; text: string }
  | { ok: false; failedBeforeCall: true };

/** One task through the Focus-shaped client: what Lens would receive for this site, or the failure. */
export async function focusAsk(
  endpointUrl: string,
  authHeader: string,
  task: { ast: unknown; id?: unknown },
  provider = { name: 'site', icon: 'icon' },
): Promise<FocusOutcome> {
  const body = focusBody(task);
  if (body === undefined) return { ok: false, failedBeforeCall: true };
  const res = await fetch(endpointUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: authHeader },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) return { ok: false, status: res.status, text };
  const passedOn = text.replace('{', `{"provider_icon":"${provider.icon}",`).replace('{', `{"provider":"${provider.name}",`);
  return { ok: true, status: 200, body: JSON.parse(passedOn) as Record<string, unknown> };
}
