import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, webhookAck, webhookSignature } from './webhook-signature.ts';

const SECRET = 'a-webhook-secret-of-at-least-32-chars!';
const hmac = (m: string) => createHmac('sha256', SECRET).update(m).digest('hex');

describe('webhook signatures', () => {
  it('signs id.timestamp.payload with HMAC-SHA256, as any HMAC library computes it', async () => {
    expect(await webhookSignature(SECRET, 'hap_1', '1700000000', '{"a":1}')).toBe(`v1=${hmac('hap_1.1700000000.{"a":1}')}`);
    expect(await webhookAck(SECRET, 'hap_1', '1700000000')).toBe(hmac('ack.hap_1.1700000000'));
  });

  it.each([
    ['another body', { id: 'hap_1', timestamp: '1700000000' }, '{"a":2}'],
    ['another id', { id: 'hap_2', timestamp: '1700000000' }, '{"a":1}'],
    ['another timestamp', { id: 'hap_1', timestamp: '1700000001' }, '{"a":1}'],
  ])('refuses a signature replayed with %s', async (_what, headers, payload) => {
    const signature = await webhookSignature(SECRET, 'hap_1', '1700000000', '{"a":1}');
    expect(await verifyWebhook(SECRET, { ...headers, signature }, payload)).toBe(false);
    expect(await verifyWebhook(SECRET, { id: 'hap_1', timestamp: '1700000000', signature }, '{"a":1}')).toBe(true);
  });

  it('refuses missing headers and a signature made with another secret', async () => {
    expect(await verifyWebhook(SECRET, { id: 'hap_1', timestamp: '1' }, 'x')).toBe(false);
    const forged = await webhookSignature('another-secret-another-secret-another', 'hap_1', '1', 'x');
    expect(await verifyWebhook(SECRET, { id: 'hap_1', timestamp: '1', signature: forged }, 'x')).toBe(false);
  });
});
