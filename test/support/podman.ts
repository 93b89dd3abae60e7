// The private Podman of the container tests lives in scripts/ so `npm start` can use it too.
export { type PodmanService, podmanMissing, startPodman } from '../../scripts/podman-service.ts';
