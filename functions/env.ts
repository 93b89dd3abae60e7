import type { Principal } from './identity/principal.ts';
import type { Logger } from './ports/logger.ts';
import type { Services } from './services.ts';

/** The Hono environment of every route: injected services and what the middleware learned. */
export type HubEnv = {
  Variables: {
    services: Services;
    requestId: string;
    log: Logger;
    principal: Principal;
  };
};
