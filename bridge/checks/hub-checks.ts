import { formatRange } from '../../shared/bridge-protocol.ts';
import type { PrivateJwk } from '../../shared/node-auth.ts';
import type { BridgeConfig } from '../config.ts';
import { HubClient, HubHttpError, HubProtocolError } from '../hub-client.ts';
import { describeError } from '../logger.ts';
import { explainHubError } from '../net/hub-problem.ts';
import { checkTls } from '../processing/probes.ts';
import { type Check, fail, ok, warn } from './check.ts';

/** Node tokens live at most 60 s and the hub allows little leeway: a clock this far off fails every call. */
const SKEW_FAIL_S = 30;
const SKEW_WARN_S = 5;
const CERT_WARN_DAYS = 21;

export interface HubCheckOptions {
  fetch: typeof fetch;
  /** With the node's key, the registration is checked too (one signed, read-only call). */
  privateJwk?: PrivateJwk;
  /** PEM of HUB_CA_FILE, for the certificate check. */
  ca?: string;
  now?: () => number;
}

/**
 * The way to the hub as the running bridge takes it (proxy, CA): reachable, clock in step, a protocol
 * both speak, the certificate not about to expire, the job keys pinned right, and this node known.
 * Stops at the first failure that makes the rest meaningless (no answer at all).
 */
export async function checkHub(config: BridgeConfig, opts: HubCheckOptions): Promise<Check[]> {
  const now = opts.now ?? Date.now;
  const out: Check[] = [];
  const via = config.network.httpsProxy || config.network.httpProxy ? ' through the proxy' : '';
  const started = now();
  let res: Response;
  try {
    res = await opts.fetch(`${config.hubUrl}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const p = explainHubError(err, config);
    return [fail('hub', p.setting, p.message)];
  }
  const ended = now();
  const body = (await res.json().catch(() => undefined)) as { time?: string } | undefined;
  if (res.status === 407) {
    const p = explainHubError({ status: 407 }, config);
    return [fail('hub', p.setting, p.message)];
  }
  if (!res.ok || !body)
    return [fail('hub', 'HUB_URL', `${config.hubUrl}/api/v1/health answered ${res.status}: is HUB_URL the hub's address?`)];
  out.push(ok('hub', 'HUB_URL', `${config.hubUrl} answers${via} (${ended - started} ms)`));

  const hubTime = Date.parse(body.time ?? res.headers.get('date') ?? '');
  if (Number.isFinite(hubTime)) {
    const skew = Math.round(((started + ended) / 2 - hubTime) / 1000);
    const detail = `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} the hub's`;
    if (Math.abs(skew) > SKEW_FAIL_S)
      out.push(fail('clock', '(system clock)', `${detail}: the hub refuses the node's tokens; turn on NTP`));
    else if (Math.abs(skew) > SKEW_WARN_S) out.push(warn('clock', '(system clock)', `${detail}; turn on NTP`));
    else out.push(ok('clock', '(system clock)', `in step with the hub (${skew} s)`));
  }

  const hub = new HubClient({
    hubUrl: config.hubUrl,
    audience: config.hubAudience,
    nodeId: config.nodeId,
    privateJwk: opts.privateJwk ?? { kty: 'OKP', crv: 'Ed25519', x: '', d: '' },
    fetch: opts.fetch,
  });
  try {
    const keys = await hub.jobKeys();
    out.push(
      ok(
        'protocol',
        '(bridge version)',
        `the hub serves bridge protocol ${keys.protocol ? formatRange(keys.protocol) : '1 (before versioning)'}`,
      ),
    );
    if (config.hubJobKeys) {
      const pinned = new Set(config.hubJobKeys.map((k) => k.x));
      const missing = keys.keys.filter((k) => !pinned.has(k.x)).map((k) => k.kid);
      if (missing.length)
        out.push(
          fail(
            'job keys',
            'HUB_JOB_KEYS',
            `the hub signs with key ${missing.join(', ')}, which is not pinned: jobs would be refused; ask the operator for the new key`,
          ),
        );
      else
        out.push(
          ok('job keys', 'HUB_JOB_KEYS', `pinned, and the hub's current keys are among them (${keys.keys.map((k) => k.kid).join(', ')})`),
        );
    } else
      out.push(
        warn(
          'job keys',
          'HUB_JOB_KEYS',
          `not pinned: read from the hub at start (keys ${keys.keys.map((k) => k.kid).join(', ')}); pin them`,
        ),
      );
  } catch (err) {
    if (err instanceof HubProtocolError) out.push(fail('protocol', '(bridge version)', err.message));
    else out.push(fail('job keys', 'HUB_URL', `the hub's job keys cannot be read: ${describeError(err)}`));
  }

  if (opts.privateJwk) out.push(await checkRegistration(hub, config));

  if (new URL(config.hubUrl).protocol === 'https:' && !via) {
    const tls = await checkTls(config.hubUrl, { ca: opts.ca, now });
    if (tls.daysLeft !== undefined && tls.daysLeft < CERT_WARN_DAYS)
      out.push(
        warn('certificate', 'HUB_URL', `the hub's certificate expires in ${tls.daysLeft} days (${tls.validTo}): tell the hub's operator`),
      );
    else if (tls.daysLeft !== undefined) out.push(ok('certificate', 'HUB_URL', `valid for ${Math.floor(tls.daysLeft)} more days`));
  }
  return out;
}

/** One signed read-only call: the hub answers it only for a registered, active node with this key. */
async function checkRegistration(hub: HubClient, config: BridgeConfig): Promise<Check> {
  try {
    await hub.revokedGrants();
    return ok('registration', 'NODE_ID', `the hub knows node ${config.nodeId} with this key`);
  } catch (err) {
    if (err instanceof HubHttpError && err.status === 401)
      return fail(
        'registration',
        'NODE_ID',
        `the hub does not accept node ${config.nodeId} with this key (${err.message}): send the registration "bridge init" printed to the hub's operator, or check NODE_ID and KEY_FILE`,
      );
    if (err instanceof HubHttpError && err.status === 404)
      return warn('registration', 'NODE_ID', 'this hub cannot tell (no processing routes)');
    return fail('registration', 'NODE_ID', describeError(err));
  }
}
