import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Without `credentials` the SDK's default chain applies (the Lambda role in production). */
export interface AwsClientOptions {
  /** An S3/SQS-compatible endpoint (a local stand-in, MinIO, R2); absent for AWS itself. */
  endpoint?: string;
  region: string;
  credentials?: AwsStaticCredentials;
}

/**
 * Compatible endpoints get path-style addressing (no bucket subdomains on 127.0.0.1) and checksums
 * only where S3 demands them: with the SDK's default, streamed bodies are sent aws-chunked with a
 * trailing checksum, which stand-ins such as s3rver store verbatim (the object gains ~56 bytes).
 * On AWS itself the defaults stay, so uploads keep their integrity checksum.
 */
export function makeS3Client({ endpoint, region, credentials }: AwsClientOptions): S3Client {
  return new S3Client({
    region,
    credentials,
    ...(endpoint
      ? { endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
}

export function makeSqsClient({ endpoint, region, credentials }: AwsClientOptions): SQSClient {
  return new SQSClient({ region, credentials, ...(endpoint ? { endpoint } : {}) });
}
