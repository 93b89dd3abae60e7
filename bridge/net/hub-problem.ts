import type { BridgeConfig } from '../config.ts';

/** What went wrong between the bridge and the hub, in words a site admin can act on, naming the setting to look at. */
export interface HubProblem {
  setting: string;
  message: string;
  /** Retrying cannot help: a setting (or the hub's certificate) must change. */
  fatal: boolean;
}

const TLS_CODES: Record<string, string> = {
  CERT_HAS_EXPIRED: "the hub's certificate has expired (tell the hub's operator)",
  CERT_NOT_YET_VALID: "the hub's certificate is not valid yet (check this machine's clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the hub's certificate is for another name than the one in HUB_URL",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the hub's certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the hub's certificate chain ends in a CA this bridge does not trust",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the hub's certificate is signed by a CA this bridge does not trust",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the hub's certificate is signed by a CA this bridge does not trust",
  UNABLE_TO_GET_ISSUER_CERT: "the hub's certificate is signed by a CA this bridge does not trust",
  CERT_SIGNATURE_FAILURE: "the hub's certificate signature does not verify",
  CERT_UNTRUSTED: "the hub's certificate is not trusted",
};

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'refuses connections',
  ENOTFOUND: 'has a name this machine cannot resolve',
  EAI_AGAIN: 'has a name the DNS server did not resolve in time',
  ETIMEDOUT: 'did not answer in time',
  UND_ERR_CONNECT_TIMEOUT: 'did not answer in time',
  ECONNRESET: 'closed the connection',
  EHOSTUNREACH: 'cannot be reached from this machine (no route)',
  ENETUNREACH: 'cannot be reached from this machine (no route)',
};

function causeOf(err: unknown): { code?: string; message: string; address?: string; port?: number } {
  let e = err as { cause?: unknown; code?: unknown; message?: unknown; address?: unknown; port?: unknown } | undefined;
  // fetch wraps the socket's error ("fetch failed"); undici may wrap once more.
  for (let i = 0; i < 4 && e?.cause && typeof e.cause === 'object'; i++) e = e.cause as typeof e;
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: typeof e?.message === 'string' ? e.message : String(err),
    address: typeof e?.address === 'string' ? e.address : undefined,
    port: typeof e?.port === 'number' ? e.port : undefined,
  };
}

/** Reads a failed call to the hub: a TLS or proxy problem is fatal (a setting must change), an outage is not. */
export function explainHubError(err: unknown, config: Pick<BridgeConfig, 'hubUrl' | 'network'>): HubProblem {
  const hub = new URL(config.hubUrl);
  const proxy = hub.protocol === 'https:' ? (config.network.httpsProxy ?? config.network.httpProxy) : config.network.httpProxy;
  const proxySetting = hub.protocol === 'https:' && config.network.httpsProxy ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const status = (err as { status?: unknown }).status;
  const cause = causeOf(err);
  const proxyStatus = /Proxy response \((\d{3})\)/.exec(cause.message)?.[1] ?? (status === 407 ? '407' : undefined);
  if (proxy && proxyStatus)
    return {
      setting: proxySetting,
      fatal: true,
      message: `${proxySetting} ${redact(proxy)}: the proxy refused the way to ${hub.host} (HTTP ${proxyStatus}${proxyStatus === '407' ? ', it wants credentials: put them in the proxy URL, from a secret file' : ''}); ask your network team to allow ${hub.host}`,
    };
  const tls = cause.code ? TLS_CODES[cause.code] : undefined;
  if (tls) {
    const ca = config.network.caFile
      ? `HUB_CA_FILE ${config.network.caFile} does not hold the CA that signed it`
      : 'set HUB_CA_FILE to the CA that signed it (a TLS-inspecting proxy re-signs with its own CA)';
    return {
      setting: config.network.caFile ? 'HUB_CA_FILE' : 'HUB_URL',
      fatal: true,
      message: `HUB_URL ${config.hubUrl}: ${tls} (${cause.code}); ${cause.code === 'CERT_HAS_EXPIRED' || cause.code === 'CERT_NOT_YET_VALID' || cause.code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'nothing to change here unless the hub moved' : ca}`,
    };
  }
  const what = cause.code ? UNREACHABLE[cause.code] : undefined;
  if (proxy && cause.code && what) {
    const p = new URL(proxy);
    if (cause.port === Number(p.port || (p.protocol === 'https:' ? 443 : 80)) || cause.address === p.hostname)
      return { setting: proxySetting, fatal: false, message: `${proxySetting} ${redact(proxy)}: the proxy ${what}` };
  }
  if (what) return { setting: 'HUB_URL', fatal: false, message: `HUB_URL ${config.hubUrl}: the hub ${what}` };
  return {
    setting: 'HUB_URL',
    fatal: false,
    message: `HUB_URL ${config.hubUrl}: ${cause.code ? `${cause.code} ` : ''}${cause.message.split('\n')[0]}`,
  };
}

/** A proxy URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}
