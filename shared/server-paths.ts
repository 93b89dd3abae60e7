/**
 * The path prefixes the hub answers itself (its API, the tracer's CHAIMELEON paths, the FAIR Data
 * Point and the PID resolver). Every other GET is a page of the web app, so the hub serves its
 * index.html there and the web app's router leaves these to the server.
 */
export const SERVER_PATHS = ['/api/', '/tracer/', '/fdp', '/pid/'] as const;

/** True for a path the hub itself answers (`/fdp` and `/fdp/...` both count). */
export function isServerPath(path: string): boolean {
  return SERVER_PATHS.some((p) => path.startsWith(p));
}
