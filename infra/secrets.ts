// The hub's Ed25519 job-signing key, a private JWK in JSON. Bridges pin its public half, so it must
// stay the same across deploys: `npx sst secret set JobSigningKey '<jwk>' --stage <stage>`.
export const jobSigningKey = new sst.Secret('JobSigningKey');
// Separate keys, so one leaked key cannot forge the others' statements: tracer checkpoints (anyone
// verifying the log pins its public half) and access grants (nodes verify them offline).
export const tracerSigningKey = new sst.Secret('TracerSigningKey');
export const grantSigningKey = new sst.Secret('GrantSigningKey');
