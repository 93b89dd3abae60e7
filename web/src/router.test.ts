import { describe, expect, it } from 'vitest';
import { matchPath } from './router.ts';

describe('matchPath', () => {
  it.each([
    ['/', '/', {}],
    ['/search', '/search', {}],
    ['/catalogue/datasets/:id', '/catalogue/datasets/5f0c', { id: '5f0c' }],
    ['/catalogue/datasets/:id', '/catalogue/datasets/a%20b/', { id: 'a b' }],
    ['/a/:x/b/:y', '/a/1/b/2', { x: '1', y: '2' }],
  ])('matches %s against %s', (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });

  it.each([
    ['/', '/search'],
    ['/search', '/'],
    ['/catalogue/datasets/:id', '/catalogue/datasets'],
    ['/catalogue/datasets/:id', '/catalogue/series/1'],
    ['/catalogue/datasets/:id', '/catalogue/datasets/%E0%A4%A'],
  ])('does not match %s against %s', (pattern, path) => {
    expect(matchPath(pattern, path)).toBeNull();
  });
});
