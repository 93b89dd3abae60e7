/**
 * Prefixed, time-sortable ids for records the platform owns (`srch_...`, `job_...`).
 * 48 bits of milliseconds then 80 random bits, Crockford base32: lexical order is creation order.
 */
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix =
  | 'srch'
  | 'job'
  | 'req'
  | 'evt'
  | 'tkt'
  | 'art'
  | 'ntf'
  | 'eoi'
  | 'mail'
  | 'neg'
  | 'grt'
  | 'pst'
  | 'att'
  | 'hap'
  | 'whk'
  | 'whd'
  | 'run';

export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  let rand = '';
  for (let i = 0; i < 16; i++) {
    // 80 bits = 16 base32 characters; take 5 bits at a time
    const bit = i * 5;
    const byte = bit >> 3;
    const shift = bit & 7;
    const word = ((bytes[byte] ?? 0) << 8) | (bytes[byte + 1] ?? 0);
    rand += alphabet[(word >> (11 - shift)) & 31];
  }
  return `${prefix}_${time}${rand}`;
}

export const idPattern = (prefix: IdPrefix) => new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`);
