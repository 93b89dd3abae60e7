import type { PublicJwk } from '../shared/node-auth.ts';
import { Backoff, sleep } from './backoff.ts';
import { checkDataDir, checkKey } from './checks/local-checks.ts';
import { type BridgeConfig, ConfigError } from './config.ts';
import { type HubClient, HubHttpError, HubProtocolError } from './hub-client.ts';
import { type Logger, describeError } from './logger.ts';
import { explainHubError } from './net/hub-problem.ts';
import { type StateDirReport, checkStateDir } from './state-dir.ts';

class IssuerMismatch extends Error {}

/**
 * The first call to the hub, before anything is written: it reads the hub's job keys (public) and
 * the protocols it serves. A hub that does not serve this bridge's protocol, a certificate this
 * bridge does not trust and a proxy that refuses the way stop the start (a setting must change).
 * An unreachable hub is waited for when the keys are not pinned (they are needed to verify jobs);
 * with pinned keys the bridge starts anyway and its loops wait the outage out.
 *
 * Pinned keys are the safe way; fetching them trusts whoever answers at HUB_URL that one time, so it
 * is allowed but warned about.
 */
export async function resolveHubTrust(
  config: BridgeConfig,
  hub: HubClient,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ keys: PublicJwk[]; issuer: string }> {
  const pinned = config.hubJobKeys ? { keys: config.hubJobKeys, issuer: config.hubIssuer } : undefined;
  if (!pinned)
    logger.warn('HUB_JOB_KEYS is not set: fetching the hub job keys from the hub once; pinning them in HUB_JOB_KEYS is recommended');
  const backoff = new Backoff({ maxMs: 10_000 });
  for (;;) {
    try {
      const answer = await hub.jobKeys(signal);
      if (pinned) {
        const known = new Set(pinned.keys.map((k) => k.x));
        const unpinned = answer.keys.filter((k) => !known.has(k.x)).map((k) => k.kid);
        if (unpinned.length)
          logger.warn('the hub signs with job keys HUB_JOB_KEYS does not hold: its jobs will be refused', { kids: unpinned });
        return pinned;
      }
      if (config.hubIssuerExplicit && answer.issuer !== config.hubIssuer)
        throw new IssuerMismatch(`the hub announces job issuer "${answer.issuer}" but HUB_ISSUER is "${config.hubIssuer}"`);
      logger.info('hub job keys fetched', { issuer: answer.issuer, kids: answer.keys.map((k) => k.kid) });
      return { keys: answer.keys, issuer: config.hubIssuerExplicit ? config.hubIssuer : answer.issuer };
    } catch (err) {
      if (signal?.aborted || err instanceof IssuerMismatch || err instanceof HubProtocolError) throw err;
      const problem = explainHubError(err, config);
      if (problem.fatal) throw new ConfigError([problem.message]);
      if (pinned) {
        // A hub that answers without the key route (a stand-in) has nothing more to say; an outage is waited out.
        if (!(err instanceof HubHttpError))
          logger.warn('the hub is not reachable at start; the bridge waits for it', { error: problem.message });
        return pinned;
      }
      const waitMs = backoff.next();
      logger.warn('hub job keys unavailable; retrying', { error: describeError(err), problem: problem.message, waitMs });
      await sleep(waitMs, signal);
    }
  }
}

/** The checks of the node's own machine that must pass before anything is written (named settings, exit code 2). */
export async function preflight(config: BridgeConfig): Promise<StateDirReport> {
  const problems = (await Promise.all([checkKey(config), checkDataDir(config)]))
    .filter((c) => c.status === 'fail')
    .map((c) => (c.detail.startsWith(c.setting) ? c.detail : `${c.setting} ${c.detail}`));
  if (problems.length > 0) throw new ConfigError(problems);
  return checkStateDir(config.stateDir);
}
