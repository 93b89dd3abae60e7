/**
 * The capabilities the API description groups its routes by, in the order the reference and the
 * README show them. Interoperability routes, which keep a peer's paths and shapes, get a tag of their
 * own naming the peer and its version. A route names one of these; a new capability adds a row here.
 */
export const API_TAGS = [
  { name: 'Hub', description: 'Liveness, what the web app needs to start, and this description of the API.' },
  { name: 'Identity', description: 'Who is calling, with every role the platform gives them.' },
  { name: 'Notifications', description: "The caller's in-app notices." },
  { name: 'Nodes', description: 'The registry of bridges (one per data holder) and their keys.' },
  {
    name: 'Bridge',
    description:
      'What bridges call, outbound only: each request carries a node-signed EdDSA token bound to the method, path and body, spent once.',
  },
  { name: 'Search', description: 'Federated count queries: the filter catalogue, fan-out to nodes, live events and reports.' },
  { name: 'Catalogue', description: 'Datasets, imaging biobanks (dataset series) and networks: browsing, registration and the dashboard.' },
  { name: 'Harvest', description: "Harvesting nodes' FAIR Data Points into the catalogue." },
  {
    name: 'FAIR Data Point',
    description: 'The hub as a FAIR Data Point: RDF records (Turtle, JSON-LD, N-Triples) and their SHACL profiles.',
  },
  { name: 'PID', description: 'The persistent-identifier resolver for datasets.' },
  { name: 'Negotiation', description: 'Access requests: the application form, the state charts, conversations, grants and webhooks.' },
  {
    name: 'Negotiator v3 (interop)',
    description:
      "The BBMRI-ERIC Negotiator's hand-over contract (POST /api/v3/requests), so existing catalogues send selections unchanged.",
  },
  {
    name: 'Spot (interop)',
    description:
      "Samply Spot's protocol (POST /beam, GET /beam/{id} as Beam results), so a Samply Lens explorer uses the hub as its Spot, with the explorer session it logs in by.",
  },
  { name: 'Helpdesk', description: 'Tickets and their flows (embedded helpdesk or Zammad), expressions of interest and the outbox.' },
  { name: 'Processing', description: 'Federated processing: the tool registry, node allow-lists and runs with their results.' },
  {
    name: 'Tracer v1 (CHAIMELEON interop)',
    description: "The tamper-evident log under CHAIMELEON's tracer paths (/tracer/api/v1): traces, signed checkpoints and RFC 6962 proofs.",
  },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];
