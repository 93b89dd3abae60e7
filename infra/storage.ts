// Result bundles and reports (OBJECT_STORE=s3). Private: the hub is the only reader and writer.
export const bucket = new sst.aws.Bucket('HubObjects');
