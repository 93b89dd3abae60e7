import { startJwksIssuer as startIssuer } from '../support/jwks-issuer.ts';

/**
 * Node side of the workers suite: the loopback JWKS issuer, whose key set the Worker's token
 * verifier (jose, inside workerd) fetches like any remote one. Tokens last long enough for the suite.
 */
export const startJwksIssuer = () => startIssuer({ kid: 'workers-test', expiresIn: '30m' });
