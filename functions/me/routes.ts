import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { hubRouter, json } from '../api/hub-router.ts';
import { representedDatasets } from '../identity/roles.ts';
import { USER_SCOPE } from '../identity/scopes.ts';
import { callingUser } from '../middleware/guards.ts';
import { nodeAdmins } from '../nodes/nodes.sql.ts';

export const ROLES = ['authenticated', 'member', 'dataset_representative', 'node_admin', 'platform_admin'] as const;
export type Role = (typeof ROLES)[number];

const meSchema = z.object({
  sub: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  member: z.boolean(),
  roles: z.array(z.enum(ROLES)),
  representedDatasets: z.array(z.string()),
  administeredNodes: z.array(z.string()),
  enrol: z.object({ url: z.string(), instructions: z.string() }).nullable(),
});

const webConfigSchema = z.object({ issuer: z.string(), clientId: z.string(), audience: z.string(), scope: z.string() });

export const meRoutes = hubRouter({ tag: 'Identity' }).add(
  {
    method: 'get',
    path: '/',
    access: 'user',
    summary: 'who is logged in, roles, how to enrol',
    description: 'Who is logged in, with every role the platform gives them, and how to enrol if not a member.',
    responses: { 200: json(meSchema, 'The caller.') },
  },
  async (c) => {
    const p = callingUser(c);
    const s = c.get('services');
    const [represents, administers] = await Promise.all([
      representedDatasets(s.db, p.user.sub),
      s.db.select({ id: nodeAdmins.nodeId }).from(nodeAdmins).where(eq(nodeAdmins.subject, p.user.sub)),
    ]);
    const roles: Role[] = ['authenticated'];
    if (p.member) roles.push('member');
    if (represents.length) roles.push('dataset_representative');
    if (administers.length) roles.push('node_admin');
    if (p.admin) roles.push('platform_admin');
    return c.json({
      sub: p.user.sub,
      name: p.user.name ?? null,
      email: p.user.email ?? null,
      member: p.member,
      roles,
      representedDatasets: represents,
      administeredNodes: administers.map((r) => r.id),
      enrol: p.member
        ? null
        : {
            url: s.config.ENROL_URL,
            instructions:
              'Federated search and access requests are for members of the EUCAIM group. Request membership through the LS-AAI registrar, then log in again.',
          },
    });
  },
);

/** What the static web app needs to start a login: public by design. */
export const webConfigRoutes = hubRouter({ tag: 'Hub' }).add(
  {
    method: 'get',
    path: '/',
    access: 'public',
    summary: 'what the web app needs to log in',
    description: "The OIDC issuer, the web app's client id, the hub's audience and the scopes to ask for.",
    responses: { 200: json(webConfigSchema, 'The login settings.') },
  },
  (c) => {
    const { config } = c.get('services');
    return c.json({
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_WEB_CLIENT_ID,
      audience: config.OIDC_AUDIENCE,
      scope: USER_SCOPE,
    });
  },
);
