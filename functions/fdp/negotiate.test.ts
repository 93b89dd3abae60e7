import { describe, expect, it } from 'vitest';
import { negotiateRdf, pickType } from './negotiate.ts';
import { nextLink } from '../harvest/walk.ts';

describe('negotiateRdf', () => {
  it.each([
    { accept: undefined, want: 'ttl' },
    { accept: '', want: 'ttl' },
    { accept: '*/*', want: 'ttl' },
    { accept: 'application/ld+json', want: 'jsonld' },
    { accept: 'application/n-triples, text/turtle', want: 'nt' },
    { accept: 'text/turtle;q=0.2, application/ld+json;q=0.8', want: 'jsonld' },
    { accept: 'application/*', want: 'jsonld' },
    { accept: 'text/turtle;q=0, */*', want: 'jsonld' },
    { accept: 'application/rdf+xml', want: 'rdf' },
    { accept: 'application/xml', want: null },
    { accept: 'text/html', want: null },
    { accept: 'text/turtle;q=0', want: null },
  ])('picks $want for Accept "$accept"', ({ accept, want }) => {
    expect(negotiateRdf(accept, undefined)).toBe(want);
  });

  it('lets ?format= override Accept, and refuses an unknown one', () => {
    expect(negotiateRdf('text/turtle', 'nt')).toBe('nt');
    expect(() => negotiateRdf(undefined, 'toString')).toThrow(/format must be one of/);
  });

  it('prefers the first offer among equals', () => {
    expect(pickType('*/*', ['text/html', 'text/turtle'])).toBe('text/html');
    expect(pickType('text/*', ['application/json', 'text/turtle', 'text/html'])).toBe('text/turtle');
  });
});

describe('nextLink', () => {
  it('finds rel="next" among other links and resolves it', () => {
    const header = '<https://n.example/fdp/c?page=0>; rel="first", </fdp/c?page=2&size=1>; rel="next", <x>; rel="last"';
    expect(nextLink(header, 'https://n.example/fdp/c?page=1')).toBe('https://n.example/fdp/c?page=2&size=1');
    expect(nextLink('<a>; rel="prev"', 'https://n.example/')).toBeUndefined();
    expect(nextLink(null, 'https://n.example/')).toBeUndefined();
  });
});
