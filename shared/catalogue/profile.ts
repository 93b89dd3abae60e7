// The EUCAIM dataset metadata profile (EUCAIM DCAT-AP 2.0 on HealthDCAT-AP) as the API's JSON:
// one schema for registration, harvesting (after RDF is read) and the web form. Field names are the
// profile's terms without prefixes; comments give the RDF property the FAIR Data Point writes.
// Mandatory fields are required here; recommended and optional ones may be left out.
import { z } from 'zod';
import {
  ACCESS_CONDITIONS,
  ACCESS_RIGHTS,
  BIRTH_SEXES,
  BODY_PARTS,
  COLLECTION_METHODS,
  CONDITIONS,
  codesOf,
  DATASET_TYPES,
  HEALTH_CATEGORIES,
  LEGISLATION,
  MANUFACTURERS,
  MODALITIES,
  TIERS,
} from './vocabularies.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const codes = (v: Parameters<typeof codesOf>[0]) => z.enum(codesOf(v));
const url = z.url({ protocol: /^https?$/ }).max(2000);

/** `foaf:Agent` with a name and a way to reach it (`dct:publisher`, custodian). */
export const agentSchema = z.object({
  name: text(300), // foaf:name
  email: z.email().max(320).optional(), // foaf:mbox
  url: url.optional(), // foaf:homepage
});
export type Agent = z.infer<typeof agentSchema>;

/** `dcat:contactPoint`: an e-mail address or a web page, at least one. */
export const contactPointSchema = z
  .object({ name: text(300).optional(), email: z.email().max(320).optional(), url: url.optional() })
  .refine((c) => c.email || c.url, { message: 'a contact point needs an e-mail address or a web page' });

/**
 * The media type a distribution is described with when its record gives none: EUCAIM distributions
 * are DICOM images. The profile keeps `mediaType` optional (harvested sources often omit it), the
 * FAIR Data Point states this default (its shapes want exactly one), the web form proposes it.
 */
export const DEFAULT_MEDIA_TYPE = 'application/dicom';

/** `dcat:Distribution`: how the data is reached; the access URL should lead to the negotiation service. */
export const distributionSchema = z.object({
  title: text(300).optional(), // dct:title
  accessUrl: url, // dcat:accessURL
  accessCondition: codes(ACCESS_CONDITIONS), // dct:rights
  license: url.optional(), // dct:license
  mediaType: text(200).optional(), // dcat:mediaType (IANA type); the FDP states DEFAULT_MEDIA_TYPE when absent
  checksum: z.object({ algorithm: z.enum(['sha256', 'sha3-256']), value: z.string().regex(/^[0-9a-f]{64}$/) }).optional(), // spdx:checksum
});

export const datasetMetadataSchema = z.object({
  // --- mandatory ---
  title: text(500), // dct:title @en
  description: text(20_000), // dct:description @en
  version: text(50), // dcat:version
  tier: codes(TIERS), // eucaim:interoperabilityLevel
  healthCategory: z.array(codes(HEALTH_CATEGORIES)).min(1), // healthdcatap:healthCategory (theme is always HEAL)
  type: codes(DATASET_TYPES), // dct:type
  accessRights: codes(ACCESS_RIGHTS), // dct:accessRights
  applicableLegislation: z.array(codes(LEGISLATION)).min(1), // dcatap:applicableLegislation
  hdab: text(300).optional(), // healthdcatap:hdab (may be empty)
  publisher: agentSchema, // dct:publisher
  contactPoint: contactPointSchema, // dcat:contactPoint
  subjects: z.number().int().min(0), // healthdcatap:numberOfUniqueIndividuals
  studies: z.number().int().min(0), // healthdcatap:numberOfRecords (imaging studies)
  hasStructuredData: z.boolean(), // healthdcatap:hasStructuredData
  birthSex: z.array(codes(BIRTH_SEXES)).min(1), // eucaim:hasBirthSex
  condition: codes(CONDITIONS), // eucaim:hasCondition (exactly one)
  collectionMethod: z.array(codes(COLLECTION_METHODS)).min(1), // eucaim:collectionMethod
  modalities: z.array(codes(MODALITIES)).min(1), // eucaim:hasImageModality
  manufacturers: z.array(codes(MANUFACTURERS)).min(1), // eucaim:hasEquipmentManufacturer
  bodyParts: z.array(codes(BODY_PARTS)).min(1), // eucaim:hasImageBodyPart
  keywords: z.array(text(100)).min(1).max(50), // dcat:keyword
  provenance: text(5000), // dct:provenance
  distributions: z.array(distributionSchema).min(1).max(20), // dcat:distribution
  /** The imaging biobank (`dcat:DatasetSeries`, `dcat:inSeries`) this dataset belongs to. */
  seriesId: z.string().min(1).max(100),
  // --- recommended ---
  purpose: z.array(text(300)).optional(), // dpv:hasPurpose
  legalBasis: z.array(text(300)).optional(), // dpv:hasLegalBasis
  personalData: z.array(text(300)).optional(), // dpv:hasPersonalData
  ageRange: z
    .object({ min: z.number().int().min(0).max(150), max: z.number().int().min(0).max(150) })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
    .optional(), // healthdcatap:minTypicalAge / maxTypicalAge
  retentionPeriod: z.object({ start: z.iso.date().optional(), end: z.iso.date().optional() }).optional(), // healthdcatap:retentionPeriod
  custodian: agentSchema.optional(), // geodcatap:custodian
  landingPage: url.optional(), // dcat:landingPage
  qualityAnnotation: text(2000).optional(), // dqv:hasQualityAnnotation
  // --- optional ---
  segmentation: z
    .object({ labels: z.array(text(200)).optional(), method: text(300).optional(), count: z.number().int().min(0).optional() })
    .optional(),
  spatialResolution: text(100).optional(), // dcat:spatialResolutionInMeters (as text: often per axis)
  temporalResolution: text(100).optional(), // dcat:temporalResolution
  secondaryIdentifiers: z.array(text(300)).max(10).optional(), // adms:identifier (DOI, w3id)
});
export type DatasetMetadata = z.infer<typeof datasetMetadataSchema>;

/** A change: any subset of the fields; the identifier is not among them and can never change. */
export const datasetPatchSchema = datasetMetadataSchema.partial();
export type DatasetPatch = z.infer<typeof datasetPatchSchema>;

export const DATASET_STATES = ['draft', 'published', 'withdrawn'] as const;
export type DatasetState = (typeof DATASET_STATES)[number];

/** A dataset as the catalogue holds it: metadata plus what the platform adds. */
export interface DatasetRecord {
  /** UUID minted at registration; the id federated search returns; never changes. */
  id: string;
  state: DatasetState;
  metadata: DatasetMetadata;
  /** The node (bridge) that holds the data, when it is federated; its admins may edit the dataset. */
  nodeId: string | null;
  /** Who registered it (OIDC subject) or `harvest:<sourceId>`. */
  owner: string;
  /** Harvest source id when it came from a node's FAIR Data Point; null when registered through the API. */
  sourceId: string | null;
  version: number;
  issuedAt: string;
  modifiedAt: string;
  publishedAt: string | null;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

/** `dcat:DatasetSeries`, the seed's "imaging biobank"; belongs to a network. */
export const seriesSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/),
  title: text(500),
  description: text(20_000),
  publisher: agentSchema,
  networkId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/),
});
export type DatasetSeries = z.infer<typeof seriesSchema>;

/** A network of imaging biobanks (the top of the seed's hierarchy). */
export const networkSchema = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/), title: text(500), description: text(20_000) });
export type Network = z.infer<typeof networkSchema>;
