// The hub's Ed25519 job-signing key, a private JWK in JSON. Bridges pin its public half, so it must
// stay the same across deploys: `npx sst secret set JobSigningKey '<jwk>' --stage <stage>`.
export const jobSigningKey = new sst.Secret('JobSigningKey');
