import { z } from 'zod';

/**
 * The Lens query tree ("AST") as the EUCAIM explorer and the agents around it really send it, so
 * existing clients can post to the hub and to a bridge unchanged. Branches combine children; leaves
 * compare one filter key with a value. Parsing accepts every decoration the real clients add and
 * returns the plain tree (`{operand, children}` and `{key, type, value}`) that every evaluator reads:
 * - Lens 0.4.6 (the production explorer) puts `nodeType: "branch" | "leaf"` on every node, a `key` on
 *   each criterion's OR branch and `system` (often "") on leaves; Lens 0.6 keeps the branch `key`
 *   and drops `system` (samply/lens `packages/lib/src/helpers/ast-transformer.ts` at v0.4.6-0,
 *   `src/helpers/ast-transformer.ts` at v0.6.x).
 * - Focus's test queries carry label texts per language on branches (`"de": "haupt", "en": "main"`).
 * - An empty number field of Lens 0.4.6 arrives as `0`, and an empty Svelte number input as `null`;
 *   the `0` is resolved by `canonicalQuery` (it needs the catalogue), the `null` here.
 */
export const operands = ['AND', 'OR', 'NOT', 'XOR'] as const;
export const leafTypes = ['EQUALS', 'NOT_EQUALS', 'IN', 'BETWEEN', 'LOWER_THAN', 'GREATER_THAN', 'CONTAINS'] as const;

export const QUERY_LIMITS = { maxDepth: 12, maxNodes: 500, maxStringLength: 256 } as const;

const str = z.string().max(QUERY_LIMITS.maxStringLength);
const bound = z.union([z.number(), str, z.null()]).optional();
/** `{min?, max?}` of numbers or date strings; a `null` bound is an empty field, the same as none. */
const range = z
  .object({ min: bound, max: bound })
  .strict()
  .transform((r) => ({ ...(r.min != null ? { min: r.min } : {}), ...(r.max != null ? { max: r.max } : {}) }))
  .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min or max');

export type QueryRange = { min?: number | string; max?: number | string };
export type QueryLeaf = {
  key: string;
  type: (typeof leafTypes)[number];
  value: string | boolean | number | string[] | QueryRange;
};
export type QueryBranch = { operand: (typeof operands)[number]; children: QueryNode[] };
export type QueryNode = QueryBranch | QueryLeaf;

export const leafSchema: z.ZodType<QueryLeaf> = z
  .object({
    key: str.min(1),
    type: z.enum(leafTypes),
    value: z.union([str, z.boolean(), z.number(), z.array(str).max(100), range]),
    system: str.optional(),
    nodeType: z.literal('leaf').optional(),
  })
  .strict()
  .transform(({ key, type, value }) => ({ key, type, value })) as unknown as z.ZodType<QueryLeaf>;

/** A language tag as a property name: the label texts Focus's queries carry on branches. */
const LABEL = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const BRANCH_FIELDS = new Set(['operand', 'children', 'nodeType', 'key']);

export const branchSchema: z.ZodType<QueryBranch> = z.lazy(() =>
  z
    .object({
      operand: z.enum(operands),
      children: z.array(nodeSchema),
      nodeType: z.literal('branch').optional(),
      key: str.optional(),
    })
    .catchall(str)
    .superRefine((branch, ctx) => {
      for (const name of Object.keys(branch))
        if (!BRANCH_FIELDS.has(name) && !LABEL.test(name))
          ctx.addIssue({ code: 'custom', path: [name], message: `unknown property "${name}"` });
    })
    .transform(({ operand, children }) => ({ operand, children })),
) as unknown as z.ZodType<QueryBranch>;

/**
 * A node is a branch when it has `operand`, else a leaf. Choosing the schema by shape (instead of a
 * plain union) keeps each fault's path exact, e.g. `ast.children[0].children[1].type`.
 */
export const nodeSchema: z.ZodType<QueryNode> = z.unknown().transform((value, ctx) => {
  const isBranch = typeof value === 'object' && value !== null && 'operand' in value;
  const parsed = (isBranch ? branchSchema : leafSchema).safeParse(value);
  if (parsed.success) return parsed.data as QueryNode;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path } as never);
  return z.NEVER;
}) as unknown as z.ZodType<QueryNode>;

/**
 * Counts depth and nodes without recursion, before zod walks the tree: a hostile body nested
 * thousands deep must be refused cheaply, not by blowing the stack.
 */
export function measureTree(input: unknown): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: { value: unknown; level: number }[] = [{ value: input, level: 1 }];
  while (stack.length > 0) {
    const { value, level } = stack.pop() as { value: unknown; level: number };
    nodes++;
    if (level > depth) depth = level;
    if (depth > QUERY_LIMITS.maxDepth || nodes > QUERY_LIMITS.maxNodes) break;
    const children = (value as { children?: unknown })?.children;
    if (Array.isArray(children)) for (const child of children) stack.push({ value: child, level: level + 1 });
  }
  return { depth, nodes };
}

export const queryTreeSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const { depth, nodes } = measureTree(value);
    if (depth > QUERY_LIMITS.maxDepth) ctx.addIssue({ code: 'custom', message: `query tree deeper than ${QUERY_LIMITS.maxDepth} levels` });
    if (nodes > QUERY_LIMITS.maxNodes) ctx.addIssue({ code: 'custom', message: `query tree larger than ${QUERY_LIMITS.maxNodes} nodes` });
  })
  .pipe(nodeSchema);

/** The body the explorer posts: `{ ast, id? }`. */
export const searchRequestSchema = z.object({ ast: queryTreeSchema, id: z.string().max(200).optional() }).strict();
export type SearchRequest = z.infer<typeof searchRequestSchema>;

export const emptyQuery: QueryBranch = { operand: 'OR', children: [] };

/** Every leaf of a tree, depth first. */
export function leaves(node: QueryNode): QueryLeaf[] {
  if ('key' in node) return [node];
  return node.children.flatMap(leaves);
}

/** Every leaf with its path below `at`, e.g. `['ast', 'children', 0, 'children', 1]`. */
export function leavesWithPaths(node: QueryNode, at: (string | number)[] = []): { leaf: QueryLeaf; path: (string | number)[] }[] {
  const out: { leaf: QueryLeaf; path: (string | number)[] }[] = [];
  const stack: { node: QueryNode; path: (string | number)[] }[] = [{ node, path: at }];
  while (stack.length > 0) {
    const { node: n, path } = stack.pop() as { node: QueryNode; path: (string | number)[] };
    if ('key' in n) out.push({ leaf: n, path });
    else for (let i = n.children.length - 1; i >= 0; i--) stack.push({ node: n.children[i] as QueryNode, path: [...path, 'children', i] });
  }
  return out;
}
