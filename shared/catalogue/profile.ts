// The EUCAIM dataset metadata profile (EUCAIM DCAT-AP v2.0, on HealthDCAT-AP release 7 and DCAT-AP 3)
// as the API's JSON: one schema for registration, harvesting (after RDF is read) and the web form.
// Field names are the profile's terms without prefixes; comments give the RDF property the FAIR
// Data Point writes. Mandatory fields are required here; recommended and optional ones may be left
// out. Codes are the profile's own (shared/catalogue/vocabularies.ts).
import { z } from 'zod';
import { HYPER_ONTOLOGY_CODE } from './hyper-ontology.ts';
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
  HEALTH_THEMES,
  LEGISLATION,
  MANUFACTURERS,
  MODALITIES,
  TIERS,
  type Vocabulary,
} from './vocabularies.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const codes = (v: Vocabulary) => z.enum(codesOf(v));
const url = z.url({ protocol: /^https?$/ }).max(2000);
const atLeastOne = <T extends z.ZodType>(item: T) => z.array(item).min(1);
const reachable = (c: { email?: string | undefined; url?: string | undefined }) => !!(c.email || c.url);

/**
 * A `foaf:Agent` (publisher, custodian, health data access body): a name and a contact point
 * (`cv:contactPoint` with `cv:email` and/or `cv:contactPage`), at least one way to reach it.
 */
export const agentSchema = z
  .object({ name: text(300), email: z.email().max(320).optional(), url: url.optional() })
  .refine(reachable, { message: 'give an e-mail address or a contact page' });
export type Agent = z.infer<typeof agentSchema>;

/** `dcat:contactPoint` (`vcard:Kind`): an e-mail address or a web page, at least one. */
export const contactPointSchema = z
  .object({ name: text(300).optional(), email: z.email().max(320).optional(), url: url.optional() })
  .refine(reachable, { message: 'a contact point needs an e-mail address or a web page' });

/**
 * The media type a distribution is described with when its record gives none: EUCAIM distributions
 * are DICOM images. The profile keeps `mediaType` optional, the FAIR Data Point reference shapes
 * want exactly one, so the FDP states this default; the web form proposes it.
 */
export const DEFAULT_MEDIA_TYPE = 'application/dicom';

export const CHECKSUM_ALGORITHMS = { sha1: 40, sha256: 64, 'sha3-256': 64, sha512: 128 } as const;
export type ChecksumAlgorithm = keyof typeof CHECKSUM_ALGORITHMS;

export const checksumSchema = z
  .object({
    algorithm: z.enum(Object.keys(CHECKSUM_ALGORITHMS) as [ChecksumAlgorithm, ...ChecksumAlgorithm[]]),
    value: z.string().regex(/^[0-9a-f]+$/, 'lowercase hexadecimal'),
  })
  .refine((c) => c.value.length === CHECKSUM_ALGORITHMS[c.algorithm], { message: 'the value does not have the length of the algorithm' });

/** `dcat:Distribution`: how the data is reached; the access URL should lead to the negotiation service. */
export const distributionSchema = z.object({
  title: text(300).optional(), // dct:title
  description: text(5000).optional(), // dct:description
  accessUrl: url, // dcat:accessURL
  downloadUrl: url.optional(), // dcat:downloadURL
  accessCondition: codes(ACCESS_CONDITIONS), // dct:rights (the profile's access-condition IRIs)
  applicableLegislation: atLeastOne(codes(LEGISLATION)), // dcatap:applicableLegislation
  license: url.optional(), // dct:license
  mediaType: z
    .string()
    .regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'an IANA media type such as application/dicom')
    .max(200)
    .optional(), // dcat:mediaType (IANA IRI); the FDP states DEFAULT_MEDIA_TYPE when absent
  byteSize: z.number().int().min(0).optional(), // dcat:byteSize
  checksum: checksumSchema.optional(), // spdx:checksum
});
export type Distribution = z.infer<typeof distributionSchema>;

/** An `xsd:duration` in its lexical form (PT1S, P1D, P1Y2M...). */
const DURATION = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ontologyCode = z.string().regex(HYPER_ONTOLOGY_CODE, 'a EUCAIM hyper-ontology code such as BP1000021');

const datasetShape = z.object({
  // --- mandatory ---
  title: text(500), // dct:title @en
  description: text(20_000), // dct:description @en
  version: text(50), // dcat:version
  tier: codes(TIERS), // eucaim:interoperabilityLevel
  healthCategory: atLeastOne(codes(HEALTH_CATEGORIES)), // healthdcatap:healthCategory (theme is always HEAL)
  type: atLeastOne(codes(DATASET_TYPES)), // dct:type
  accessRights: codes(ACCESS_RIGHTS), // dct:accessRights
  applicableLegislation: atLeastOne(codes(LEGISLATION)), // dcatap:applicableLegislation
  publisher: agentSchema, // dct:publisher
  contactPoint: contactPointSchema, // dcat:contactPoint
  subjects: z.number().int().min(0), // healthdcatap:numberOfUniqueIndividuals
  studies: z.number().int().min(0), // healthdcatap:numberOfRecords (imaging studies)
  hasStructuredData: z.boolean(), // healthdcatap:hasStructuredData
  birthSex: atLeastOne(codes(BIRTH_SEXES)), // eucaim:hasBirthSex
  condition: codes(CONDITIONS), // eucaim:hasCondition (exactly one)
  collectionMethod: atLeastOne(codes(COLLECTION_METHODS)), // eucaim:collectionMethod
  modalities: atLeastOne(codes(MODALITIES)), // eucaim:hasImageModality
  manufacturers: atLeastOne(codes(MANUFACTURERS)), // eucaim:hasEquipmentManufacturer
  bodyParts: atLeastOne(codes(BODY_PARTS)), // eucaim:hasImageBodyPart
  keywords: z.array(text(100)).min(1).max(50), // dcat:keyword @en
  provenance: text(5000), // dct:provenance
  distributions: z.array(distributionSchema).min(1).max(20), // dcat:distribution
  /** The imaging biobank (`dcat:DatasetSeries`, `dcat:inSeries`) this dataset belongs to. */
  seriesId: z.string().min(1).max(100),
  // --- mandatory when a condition holds ---
  /** CSVW table groups describing the variables (`healthdcatap:hasVariables`); required with structured data. */
  variables: z.array(url).max(20).optional(),
  /** The health data access body (`healthdcatap:hdab`); may stay empty while none is designated. */
  hdab: agentSchema.optional(),
  // --- recommended ---
  healthTheme: z.array(codes(HEALTH_THEMES)).optional(), // healthdcatap:healthTheme
  purpose: z.array(text(300)).optional(), // dpv:hasPurpose (a dpv:Purpose described in words)
  legalBasis: z.array(text(300)).optional(), // dpv:hasLegalBasis
  personalData: z.array(text(300)).optional(), // dpv:hasPersonalData
  populationCoverage: text(2000).optional(), // healthdcatap:populationCoverage
  ageRange: z
    .object({ min: z.number().int().min(0).max(150), max: z.number().int().min(0).max(150) })
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
    .optional(), // healthdcatap:minTypicalAge / maxTypicalAge
  retentionPeriod: z.object({ start: z.iso.date().optional(), end: z.iso.date().optional() }).optional(), // healthdcatap:retentionPeriod
  custodian: agentSchema.optional(), // geodcatap:custodian
  landingPage: url.optional(), // dcat:landingPage
  qualityAnnotation: text(2000).optional(), // dqv:hasQualityAnnotation (a dqv:QualityCertificate)
  // --- optional ---
  segmentation: z
    .object({
      labels: z.array(ontologyCode).max(100).optional(), // eucaim:hasAnnotationLabel
      algorithmTypes: z.array(ontologyCode).max(10).optional(), // eucaim:hasAlgorithmType (COM1001204's subclasses)
      count: z.number().int().min(0).optional(), // eucaim:nbrOfSegmentations
    })
    .optional(),
  spatialResolution: z.number().positive().max(1000).optional(), // dcat:spatialResolutionInMeters (xsd:decimal, metres)
  temporalResolution: z.string().regex(DURATION, 'an xsd:duration such as PT1S or P1D').max(50).optional(), // dcat:temporalResolution
  secondaryIdentifiers: z.array(text(300)).max(10).optional(), // adms:identifier (DOI, w3id, the source's own)
});

/** Structured data needs its variables described (the profile's one conditional mandatory field). */
export const datasetMetadataSchema = datasetShape.superRefine((m, ctx) => {
  if (m.hasStructuredData && !m.variables?.length) {
    ctx.addIssue({ code: 'custom', path: ['variables'], message: 'structured data needs at least one CSVW table group (hasVariables)' });
  }
});
export type DatasetMetadata = z.infer<typeof datasetMetadataSchema>;

/** A change: any subset of the fields; the identifier is not among them and can never change. */
export const datasetPatchSchema = datasetShape.partial();
export type DatasetPatch = z.infer<typeof datasetPatchSchema>;

export const DATASET_STATES = ['draft', 'published', 'withdrawn'] as const;
export type DatasetState = (typeof DATASET_STATES)[number];

/** Where a harvested dataset came from: the source's own identifier, IRI and dates. */
export interface DatasetSource {
  /** The dataset's IRI in the source (the hub links back to it). */
  iri: string;
  /** The source's `dct:identifier`, when it gives one. */
  identifier: string | null;
  issued: string | null;
  modified: string | null;
}

/** A dataset as the catalogue holds it: metadata plus what the platform adds. */
export interface DatasetRecord {
  /** UUID minted at registration (or taken from the source); the id federated search returns; never changes. */
  id: string;
  state: DatasetState;
  metadata: DatasetMetadata;
  /** The node (bridge) that holds the data, when it is federated; its admins may edit the dataset. */
  nodeId: string | null;
  /** Who registered it (OIDC subject) or `harvest:<sourceId>`. */
  owner: string;
  /** Harvest source id when it came from a node's FAIR Data Point; null when registered through the API. */
  sourceId: string | null;
  /** The harvested dataset's place in its source; null when registered through the API. */
  source: DatasetSource | null;
  version: number;
  issuedAt: string;
  modifiedAt: string;
  publishedAt: string | null;
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

const slugId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,99}$/);

/** `dcat:DatasetSeries`, the seed's "imaging biobank"; belongs to a network. Its publisher needs only a name. */
export const seriesSchema = z.object({
  id: slugId,
  title: text(500),
  description: text(20_000),
  publisher: z.object({ name: text(300), email: z.email().max(320).optional(), url: url.optional() }),
  networkId: slugId,
});
export type DatasetSeries = z.infer<typeof seriesSchema>;

/** A network of imaging biobanks (the top of the seed's hierarchy). */
export const networkSchema = z.object({ id: slugId, title: text(500), description: text(20_000) });
export type Network = z.infer<typeof networkSchema>;
