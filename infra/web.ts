// The static researcher app (web/build.ts writes web/dist) on the router's domain, beside /api.
export function createWeb(router: sst.aws.Router) {
  return new sst.aws.StaticSite('HubWeb', {
    path: 'web',
    build: { command: 'npm run build:web', output: 'dist' },
    router: { instance: router },
  });
}
