// PostgreSQL on RDS in its own VPC. The bastion lets `sst tunnel` reach it for migrations; the NAT
// gives the Lambdas (which run in the VPC to reach the database) a way out to SQS, S3 and the
// identity provider's keys.
export const vpc = new sst.aws.Vpc('HubVpc', { bastion: true, nat: 'ec2' });

export const database = new sst.aws.Postgres('HubDatabase', { vpc });

// The hub reads one URL (DATABASE_URL); the password may hold characters a URL must escape.
// RDS enforces TLS by default.
export const databaseUrl = $interpolate`postgres://${database.username}:${database.password.apply(encodeURIComponent)}@${database.host}:${database.port}/${database.database}?sslmode=require`;
