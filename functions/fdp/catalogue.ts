// The one place the RDF side picks the catalogue's storage; everything else sees only the contract.
import type { CatalogueReader, CatalogueWriter } from '../catalogue/contract.ts';
import { createCatalogueStore } from '../catalogue/store.ts';
import type { Services } from '../services.ts';
import { fdpIris } from './iris.ts';
import type { FdpSelf } from './records.ts';

export const catalogueOf = (s: Services): CatalogueReader & CatalogueWriter => createCatalogueStore(s.db, () => s.clock.now());

export const fdpSelf = (s: Services): FdpSelf => ({ iris: fdpIris(s.config.PUBLIC_URL), publisher: s.config.FDP_PUBLISHER });
