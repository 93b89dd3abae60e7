import { BRIDGE_RELEASE } from '../shared/bridge-protocol.ts';

// Set by the bundler (bridge/image/bundle.ts) for a built bridge; absent when run from source.
declare const __BRIDGE_VERSION__: string | undefined;

/** Reported in every heartbeat and health report so the hub can tell which bridges need an update. */
export const BRIDGE_VERSION: string = typeof __BRIDGE_VERSION__ === 'string' ? __BRIDGE_VERSION__ : BRIDGE_RELEASE;
