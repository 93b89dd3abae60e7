import { createMiddleware } from 'hono/factory';
import { HUB_PROTOCOLS, PROTOCOL_HEADER, formatRange, mismatchMessage, parseRange, serves } from '../../shared/bridge-protocol.ts';
import { AppError } from '../../shared/errors.ts';
import type { HubEnv } from '../env.ts';

/**
 * Every answer on the bridge routes says which bridge protocols this hub serves; a call from a bridge
 * speaking another one is refused before anything else (426, with what the data holder must do), so
 * no half-understood job, result or heartbeat is ever taken. Bridges from before versioning send no
 * header and speak protocol 1.
 */
export const bridgeProtocol = createMiddleware<HubEnv>(async (c, next) => {
  c.header(PROTOCOL_HEADER, formatRange(HUB_PROTOCOLS));
  const sent = c.req.header(PROTOCOL_HEADER);
  const version = sent === undefined ? 1 : parseRange(sent)?.min;
  if (version === undefined || !serves(HUB_PROTOCOLS, version)) {
    c.header('upgrade', `eucaim-bridge/${HUB_PROTOCOLS.max}`);
    throw new AppError(
      'unsupported_protocol',
      version === undefined ? `the ${PROTOCOL_HEADER} header must be a protocol number` : mismatchMessage(HUB_PROTOCOLS, version),
      { served: HUB_PROTOCOLS, sent: version ?? null },
    );
  }
  return next();
});
