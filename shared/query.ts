import { z } from 'zod';

/**
 * The Lens query tree ("AST") exactly as the EUCAIM explorer emits it, so existing clients can post
 * to the hub unchanged. Branches combine children; leaves compare one filter key with a value.
 */
export const operands = ['AND', 'OR', 'NOT', 'XOR'] as const;
export const leafTypes = ['EQUALS', 'NOT_EQUALS', 'IN', 'BETWEEN', 'LOWER_THAN', 'GREATER_THAN', 'CONTAINS'] as const;

export const QUERY_LIMITS = { maxDepth: 12, maxNodes: 500, maxStringLength: 256 } as const;

const str = z.string().max(QUERY_LIMITS.maxStringLength);
const range = z
  .object({ min: z.union([z.number(), str]).optional(), max: z.union([z.number(), str]).optional() })
  .strict()
  .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min or max');

export const leafSchema = z
  .object({
    key: str.min(1),
    type: z.enum(leafTypes),
    value: z.union([str, z.boolean(), z.number(), z.array(str).max(100), range]),
    system: str.optional(),
  })
  .strict();

export type QueryLeaf = z.infer<typeof leafSchema>;
export type QueryBranch = { operand: (typeof operands)[number]; children: QueryNode[] };
export type QueryNode = QueryBranch | QueryLeaf;

export const branchSchema: z.ZodType<QueryBranch> = z.lazy(() =>
  z.object({ operand: z.enum(operands), children: z.array(nodeSchema) }).strict(),
);

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
