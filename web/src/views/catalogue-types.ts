// The catalogue's answers as the web app reads them, derived from the hub's routes so a changed
// field fails `tsc` here.
import type { InferResponseType } from 'hono/client';
import type { HubClient } from '../api.ts';

type Catalogue = HubClient['api']['v1']['catalogue'];
export type BrowseResult = InferResponseType<Catalogue['datasets']['$get'], 200>;
export type DatasetSummary = BrowseResult['items'][number];
export type DatasetView = InferResponseType<Catalogue['datasets'][':id']['$get'], 200>;
export type Dashboard = InferResponseType<Catalogue['dashboard']['$get'], 200>;
export type NetworkView = InferResponseType<Catalogue['networks'][':id']['$get'], 200>;
export type SeriesView = InferResponseType<Catalogue['series'][':id']['$get'], 200>;
