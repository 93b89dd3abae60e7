import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../shared/hmac.ts';
import { verifyZammadSignature, zammadSignature } from './webhook-signature.ts';

const secret = 'webhook-secret-0123456789';
const body = new TextEncoder().encode('{"ticket":{"id":1}}');
// Independent reference: Node's own HMAC, as Zammad computes X-Hub-Signature (HMAC-SHA1 of the raw body, hex).
const reference = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;

describe('Zammad webhook signatures', () => {
  it('computes the same header as an HMAC-SHA1 of the raw body', async () => {
    expect(await zammadSignature(secret, body)).toBe(reference);
  });

  it('accepts the right signature, in either hex case', async () => {
    expect(await verifyZammadSignature(secret, body, reference)).toBe(true);
    expect(await verifyZammadSignature(secret, body, reference.toUpperCase().replace('SHA1=', 'sha1='))).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another algorithm prefix', reference.replace('sha1=', 'sha256=')],
    ['a truncated digest', reference.slice(0, -1)],
    ['one changed digit', reference.slice(0, -1) + (reference.endsWith('0') ? '1' : '0')],
    ['another secret', `sha1=${createHmac('sha1', 'other-secret-0000000').update(body).digest('hex')}`],
  ])('refuses %s', async (_name, header) => {
    expect(await verifyZammadSignature(secret, body, header)).toBe(false);
  });

  it('refuses a body changed after signing', async () => {
    expect(await verifyZammadSignature(secret, new TextEncoder().encode('{"ticket":{"id":2}}'), reference)).toBe(false);
  });

  it('compares byte arrays of any length without short-cutting on length', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });
});
