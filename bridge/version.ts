/** Reported in every heartbeat so the hub can tell which bridges need an update. */
export const BRIDGE_VERSION = '0.1.0';
