/**
 * Versions of the contract between hub and bridge, and of the bridge release the hub ships with.
 * The protocol is one integer, raised when a change would make one side misread the other (a new
 * required field, a changed meaning); additions both sides can ignore keep it. Each side tells the
 * other its version: the bridge in a header on every call and in its heartbeat, the hub in a header
 * on every answer and in each job's protected header.
 */

/** The request and response header carrying the protocol: one version, or the range `min-max` a hub serves. */
export const PROTOCOL_HEADER = 'eucaim-bridge-protocol';

/** The protocol this code speaks. */
export const BRIDGE_PROTOCOL = 1;

/** The protocols this hub serves; raise `min` only when bridges speaking older ones must update. */
export const HUB_PROTOCOLS = { min: 1, max: 1 } as const;

/**
 * The bridge release built from the same sources as this hub: the network page marks nodes below it
 * as due for an update. A built bridge reports the version it was built with (bridge/version.ts).
 */
export const BRIDGE_RELEASE = '0.1.0';

export interface ProtocolRange {
  min: number;
  max: number;
}

export const formatRange = (r: ProtocolRange): string => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`);

/** `1` or `1-3`; undefined for anything else (absent or unreadable: a hub from before versioning). */
export function parseRange(value: string | null | undefined): ProtocolRange | undefined {
  const m = /^\s*(\d{1,4})(?:\s*-\s*(\d{1,4}))?\s*$/.exec(value ?? '');
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  return min >= 1 && max >= min ? { min, max } : undefined;
}

export const serves = (r: ProtocolRange, version: number): boolean => version >= r.min && version <= r.max;

/** What the hub tells a bridge it cannot serve; worded for the data holder who reads the bridge's log. */
export function mismatchMessage(hub: ProtocolRange, bridge: number, bridgeVersion?: string): string {
  const theirs = `this bridge${bridgeVersion ? ` (version ${bridgeVersion})` : ''} speaks protocol ${bridge}`;
  return bridge < hub.min
    ? `the hub serves bridge protocol ${formatRange(hub)} and ${theirs}: update the bridge to release ${BRIDGE_RELEASE} or later (pull the new image and restart it on the same state)`
    : `the hub serves bridge protocol ${formatRange(hub)} and ${theirs}, which is newer: run the bridge release the hub's operator names, or ask them to update the hub`;
}

/** Compares dotted release numbers (`0.10.1` > `0.9.3`); a pre-release suffix counts as older. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => {
    const [core = '', pre] = v.trim().replace(/^v/, '').split('-', 2);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre: pre !== undefined };
  };
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return x.pre === y.pre ? 0 : x.pre ? -1 : 1;
}

export interface UpdateAdvice {
  due: boolean;
  /** `unsupported`: the hub no longer serves its protocol; `older`: a newer release exists. */
  reason?: 'unsupported' | 'older';
  message?: string;
}

/** Whether a node should update, from what its last heartbeat said (no heartbeat yet: nothing to say). */
export function updateAdvice(node: { version: string | null; protocol: number | null }): UpdateAdvice {
  if (!node.version) return { due: false };
  // Bridges from before protocol versioning spoke protocol 1 without saying so.
  const protocol = node.protocol ?? 1;
  if (!serves(HUB_PROTOCOLS, protocol))
    return { due: true, reason: 'unsupported', message: mismatchMessage(HUB_PROTOCOLS, protocol, node.version) };
  if (compareVersions(node.version, BRIDGE_RELEASE) < 0)
    return { due: true, reason: 'older', message: `release ${BRIDGE_RELEASE} is available (the node runs ${node.version})` };
  return { due: false };
}
