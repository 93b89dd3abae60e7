import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { ConfigError } from '../config-error.ts';
import type { NetworkSettings } from '../config.ts';

/**
 * The fetch every call to the hub goes through: through the site's HTTP(S) proxy when one is set
 * (NO_PROXY honoured), trusting Node's CA list plus HUB_CA_FILE (a TLS-inspecting proxy's CA, or a
 * private CA of the hub). Node's own fetch reads neither setting, so undici's agent does it here.
 */
export function hubFetch(net: NetworkSettings, now: () => number = Date.now): typeof fetch {
  const extra = net.caFile ? readCaFile(net.caFile, now) : undefined;
  const tls = extra ? { ca: [...rootCertificates, extra] } : {};
  const agent = new EnvHttpProxyAgent({
    httpProxy: net.httpProxy,
    httpsProxy: net.httpsProxy ?? net.httpProxy,
    noProxy: net.noProxy ?? '',
    connect: tls,
    requestTls: tls,
    proxyTls: tls,
  });
  return ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
}

/** Reads HUB_CA_FILE: PEM certificates, none of them expired; anything else stops the start naming the setting. */
export function readCaFile(file: string, now: () => number = Date.now): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`HUB_CA_FILE ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError([`HUB_CA_FILE ${file}: holds no PEM certificate`]);
  for (const block of blocks) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch {
      throw new ConfigError([`HUB_CA_FILE ${file}: a certificate in it cannot be read`]);
    }
    if (Date.parse(cert.validTo) < now())
      throw new ConfigError([
        `HUB_CA_FILE ${file}: the certificate "${cert.subject.replace(/\n/g, ', ')}" expired on ${cert.validTo}; get the current CA certificate from your network team`,
      ]);
  }
  return blocks.join('\n');
}
