/** Time as a port, so deadlines, expiries and replay windows can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
