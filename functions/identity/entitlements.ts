// Group membership as LS-AAI expresses it: eduPersonEntitlement values in the AARC-G002 syntax
// (kept by its successor AARC-G069), `<namespace>:group:<group>[:<subgroup>]*[:role=<role>]#<authority>`,
// e.g. `urn:geant:lifescience-ri.eu:group:lifescience:communities_and_projects:EUCAIM#aai.lifescience-ri.eu`.
// Web-standard code only: the hub decides membership with it on every runtime.

export interface GroupEntitlement {
  /** `urn:<nid>:<delegated namespace>`, compared case-insensitively (URN NID and a DNS name). */
  namespace: string;
  /** The group and its subgroups, outermost first, compared exactly. */
  path: string[];
  role?: string;
  /** Who is authoritative for the group (a DNS name), compared case-insensitively; optional since AARC-G069. */
  authority?: string;
}

const GROUP_MARKER = ':group:';

/** The parts of an AARC-G002 group entitlement, or undefined for anything else (resource capabilities, free text). */
export function parseGroupEntitlement(value: string): GroupEntitlement | undefined {
  const hash = value.lastIndexOf('#');
  const body = hash === -1 ? value : value.slice(0, hash);
  const authority = hash === -1 ? undefined : value.slice(hash + 1);
  if (authority === '') return undefined;
  const at = body.indexOf(GROUP_MARKER);
  if (at === -1) return undefined;
  const namespace = body.slice(0, at);
  if (!/^urn:[a-z0-9][a-z0-9-]{0,31}:[^:]+(:[^:]+)*$/i.test(namespace)) return undefined;
  const segments = body.slice(at + GROUP_MARKER.length).split(':');
  let role: string | undefined;
  const last = segments.at(-1) ?? '';
  if (last.startsWith('role=')) {
    role = last.slice('role='.length);
    segments.pop();
    if (role === '') return undefined;
  }
  if (segments.length === 0 || segments.some((s) => s === '')) return undefined;
  return { namespace, path: segments, ...(role ? { role } : {}), ...(authority ? { authority } : {}) };
}

const sameText = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * Whether any held entitlement puts its holder in the group `wanted` names. A held value counts with
 * or without a role (`…:EUCAIM:role=manager#…` is still membership of EUCAIM); when `wanted` names a
 * role, only that role counts. A subgroup is its own group: membership of `EUCAIM:admins` alone is not
 * membership of `EUCAIM` (LS-AAI releases every group a user is in, parents included).
 */
export function holdsGroup(held: readonly string[], wanted: GroupEntitlement): boolean {
  return held.some((value) => {
    const e = parseGroupEntitlement(value);
    return (
      e !== undefined &&
      sameText(e.namespace, wanted.namespace) &&
      sameText(e.authority, wanted.authority) &&
      e.path.length === wanted.path.length &&
      e.path.every((segment, i) => segment === wanted.path[i]) &&
      (wanted.role === undefined || e.role === wanted.role)
    );
  });
}
