import type { Clock } from '../../functions/ports/clock.ts';

/** A clock the test moves forward, shared by the hub and the simulated nodes. */
export function offsetClock() {
  let offset = 0;
  const clock: Clock & { advance(ms: number): void; ms(): number } = {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
    ms: () => Date.now() + offset,
  };
  return clock;
}
