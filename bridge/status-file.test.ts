import { describe, expect, it } from 'vitest';
import { type BridgeStatus, assessHealth } from './status-file.ts';

const now = 1_000_000_000;
const status = (over: Partial<BridgeStatus> = {}): BridgeStatus => ({
  nodeId: 'node-a',
  version: '0.1.0',
  protocol: 1,
  pid: 1,
  startedAt: now - 600_000,
  updatedAt: now - 5_000,
  hub: { lastContactAt: now - 5_000 },
  jobs: { handled: 0 },
  heartbeatIntervalMs: 15_000,
  ...over,
});

describe('the healthcheck', () => {
  it.each([
    ['running and heard by the hub', status(), true, 'online'],
    ['no status file', undefined, false, 'no status file'],
    ['stopped', status({ stoppedAt: now - 1000 }), false, 'stopped'],
    ['hung (no sign of life for 2 min)', status({ updatedAt: now - 120_000 }), false, 'no sign of life for 120 s'],
    ['cut off from the hub', status({ hub: { lastContactAt: now - 300_000, lastError: 'ECONNREFUSED' } }), false, 'ECONNREFUSED'],
    ['never heard by the hub', status({ hub: {} }), false, 'has not taken a heartbeat'],
  ])('%s: healthy %s', (_label, s, healthy, reason) => {
    const h = assessHealth(s, now);
    expect(h.healthy).toBe(healthy);
    expect(h.reason).toContain(reason);
  });
});
