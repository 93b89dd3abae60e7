import type { Context } from 'hono';
import type { HubEnv } from '../env.ts';
import { assertAdmin, assertMember, callingNode, callingUser } from '../middleware/guards.ts';

/**
 * What `authenticate` reads from the request before the route runs: nothing, a user's token if one is
 * sent, a user's token, a user's token or else the explorer session cookie, or a node-signed token.
 * Decided by the route's declared access, never by its path.
 */
export type Credential = 'none' | 'optional-user' | 'user' | 'session' | 'node';

interface AccessKind {
  credential: Credential;
  /** How the API table's "who" column and the reference name it. */
  label: string;
  description: string;
  /** The OpenAPI security requirement; `[]` for none. */
  security: Record<string, string[]>[];
  /** The refusals the access rule itself can give. */
  refusals: ('unauthenticated' | 'forbidden' | 'unsupported_protocol')[];
}

/**
 * Who may call a route, one row per kind. The guard each route gets from its declaration and the
 * credential `authenticate` asks for both come from this table. Rules narrower than a kind (the
 * owner of a search, a node's admins, a dataset's representatives) are decided by the handler and
 * declared beside the kind as the route's `rule`, so the description says them too.
 */
export const ACCESS = {
  public: {
    credential: 'none',
    label: 'public',
    description: 'Anyone. A bearer token sent anyway is not read.',
    security: [],
    refusals: [],
  },
  'public-user': {
    credential: 'optional-user',
    label: "public (a user's token, when sent, may show more)",
    description: "Anyone; a logged-in user's token, when sent, is verified (401 if it is not valid) and may show more.",
    security: [{}, { user: [] }],
    refusals: ['unauthenticated'],
  },
  user: {
    credential: 'user',
    label: 'user',
    description: "A logged-in user: an OIDC access token from the federation's login.",
    security: [{ user: [] }],
    refusals: ['unauthenticated'],
  },
  member: {
    credential: 'user',
    label: 'member',
    description: 'A member of the EUCAIM group (or a platform admin); a logged-in non-member gets 403 with `details.enrolUrl`.',
    security: [{ user: [] }],
    refusals: ['unauthenticated', 'forbidden'],
  },
  admin: {
    credential: 'user',
    label: 'admin',
    description: 'Platform administrators.',
    security: [{ user: [] }],
    refusals: ['unauthenticated', 'forbidden'],
  },
  explorer: {
    credential: 'session',
    label: 'member (bearer token or explorer session cookie)',
    description:
      "A member, by bearer token or, for a Samply Lens explorer in the browser, by the explorer session cookie (`POST /api/v1/spot/session`): HttpOnly, SameSite=Strict, `__Host-` over https, accepted by these routes only and only from the hub's own origin or SPOT_EXPLORER_ORIGINS.",
    security: [{ user: [] }, { explorerSession: [] }],
    refusals: ['unauthenticated', 'forbidden'],
  },
  node: {
    credential: 'node',
    label: 'node (signed)',
    description:
      'A registered, active bridge: a node-signed token bound to this exact request, accepted once, from a bridge speaking a protocol version this hub serves (426 otherwise).',
    security: [{ node: [] }],
    refusals: ['unauthenticated', 'unsupported_protocol'],
  },
  webhook: {
    credential: 'none',
    label: 'webhook (signed)',
    description: 'No bearer token: the body is signed with a shared secret, checked in constant time before anything is read.',
    security: [{ webhookSignature: [] }],
    refusals: ['unauthenticated'],
  },
  'upload-token': {
    credential: 'none',
    label: 'holder of a single-use upload token',
    description: 'No bearer token: the single-use token in the URL, granted to one node for one file, is the authorisation.',
    security: [],
    refusals: ['forbidden'],
  },
} as const satisfies Record<string, AccessKind>;

export type Access = keyof typeof ACCESS;

/** True when the access kind lets a caller in without any credential (what the deny-by-default checks skip). */
export function needsNoCredential(access: Access): boolean {
  const credential: Credential = ACCESS[access].credential;
  return credential === 'none' || credential === 'optional-user';
}

/** Enforces the declared kind on a request `authenticate` has already identified; throws AppError. */
export function enforceAccess(access: Access, c: Context<HubEnv>): void {
  switch (access) {
    case 'user':
      callingUser(c);
      return;
    case 'member':
    case 'explorer':
      assertMember(c);
      return;
    case 'admin':
      assertAdmin(c);
      return;
    case 'node':
      callingNode(c);
      return;
    default:
      return;
  }
}
