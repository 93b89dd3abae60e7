import { Buffer } from 'node:buffer';
import type { Services } from '../services.ts';

/**
 * A pre-signed S3 PUT for one file, bound to its length and SHA-256: S3 refuses a body of another
 * size (signed content-length) or another hash (signed x-amz-checksum-sha256 header). The SDK is
 * loaded only here, so hubs on the embedded store never load it.
 */
export async function presignedPut(
  s: Services,
  key: string,
  bytes: number,
  sha256Hex: string,
  expiresIn: number,
): Promise<{ url: string; headers: Record<string, string> }> {
  const [{ PutObjectCommand }, { getSignedUrl }, { makeS3Client }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
    import('../adapters/aws-clients.ts'),
  ]);
  const client = makeS3Client({ endpoint: s.config.AWS_ENDPOINT_URL, region: s.config.AWS_REGION });
  const checksum = Buffer.from(sha256Hex, 'hex').toString('base64');
  const command = new PutObjectCommand({ Bucket: s.config.S3_BUCKET, Key: key, ContentLength: bytes, ChecksumSHA256: checksum });
  const url = await getSignedUrl(client, command, {
    expiresIn,
    signableHeaders: new Set(['content-length', 'x-amz-checksum-sha256']),
    unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
  });
  return { url, headers: { 'content-length': String(bytes), 'x-amz-checksum-sha256': checksum } };
}
