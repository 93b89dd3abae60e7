// The static researcher app (web/build.ts writes web/dist) on the router's domain, beside /api.
export function createWeb(router: sst.aws.Router) {
  return new sst.aws.StaticSite('HubWeb', {
    path: 'web',
    build: { command: 'npm run build:web', output: 'dist' },
    // The app routes on the client (web/src/router.ts): a page path with no file gets index.html.
    errorPage: 'index.html',
    router: { instance: router },
  });
}
