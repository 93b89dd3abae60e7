import { describe, expect, it } from 'vitest';
import { BRIDGE_RELEASE, HUB_PROTOCOLS, compareVersions, mismatchMessage, parseRange, updateAdvice } from './bridge-protocol.ts';

describe('bridge protocol versions', () => {
  it.each([
    ['1', { min: 1, max: 1 }],
    ['2-4', { min: 2, max: 4 }],
    [' 3 - 3 ', { min: 3, max: 3 }],
    ['4-2', undefined],
    ['0', undefined],
    ['one', undefined],
    [null, undefined],
  ])('reads %j as %j', (value, range) => {
    expect(parseRange(value)).toEqual(range);
  });

  it('orders releases numerically, a pre-release before its release', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('v1.2', '1.2.0')).toBe(0);
  });

  it('tells an old bridge to update and a new one to ask the operator', () => {
    expect(mismatchMessage({ min: 2, max: 3 }, 1, '0.1.0')).toMatch(
      /serves bridge protocol 2-3 and this bridge \(version 0\.1\.0\) speaks protocol 1: update the bridge/,
    );
    expect(mismatchMessage({ min: 1, max: 1 }, 2)).toMatch(/which is newer: run the bridge release the hub's operator names/);
  });

  it('says an update is due for an unserved protocol or an older release, never for a node not yet heard from', () => {
    expect(updateAdvice({ version: null, protocol: null })).toEqual({ due: false });
    expect(updateAdvice({ version: BRIDGE_RELEASE, protocol: null })).toEqual({ due: false });
    expect(updateAdvice({ version: '0.0.9', protocol: 1 })).toMatchObject({ due: true, reason: 'older' });
    expect(updateAdvice({ version: BRIDGE_RELEASE, protocol: HUB_PROTOCOLS.max + 1 })).toMatchObject({ due: true, reason: 'unsupported' });
  });
});
