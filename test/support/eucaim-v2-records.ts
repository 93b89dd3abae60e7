// Dataset records as a EUCAIM node writes them to EUCAIM DCAT-AP v2.0, hand-written from the
// profile's text (EUCAIM/eucaim_dcat_ap, releases/v2.0/Dataset.md and Distribution.md, the
// controlled vocabularies, and the property examples of its releases), not by the hub's writer:
// - dates are `xsd:date` (unless the FDP serving it writes its own, as the reference FDP does);
// - `dct:identifier` is the dataset's URI in the EUCAIM public catalogue, with the collection UUID in it;
// - codes are hyper-ontology IRIs (`https://cancerimage.eu/ontology/EUCAIM#...`): tier SPEC1000009,
//   type SPEC1000019 with `dpv:PseudonymisedData`, condition, modality, manufacturer, body part,
//   birth sex, collection method; annotation labels and the segmentation method too;
// - the health category comes from the EHDS authority list, the access condition from the profile's
//   own vocabulary, the legislation is the EHDS ELI (on the dataset and on each distribution);
// - publisher and health data access body are agents with a `cv:contactPoint`; the dataset contact
//   point a `vcard:Organization`; provenance a `dct:ProvenanceStatement` with `rdfs:label`; purpose a
//   `dpv:Purpose` described in words;
// - typed literals: resolution `xsd:decimal` and `xsd:duration`, checksum `xsd:hexBinary`;
// - one record names its node's series (`dcat:inSeries`) and the other none.
// The node's records carry no FAIR Data Point record metadata of their own beyond what the
// reference FDP adds (`fdp:metadataIdentifier`, `dct:modified`), and no UUID `dct:identifier` the
// hub could take verbatim.

export interface V2Record {
  /** The collection UUID (in the catalogue URI and, for the reference FDP, in the record's IRI). */
  uuid: string;
  /** The `dct:identifier` when the node gives another than the catalogue URI (one with no UUID in it). */
  identifier?: string;
  title: string;
  /** `dct:modified` as an `xsd:date`; absent where the FDP serving the record states its own dates. */
  modified?: string;
  /** The record's IRI on the node. */
  iri: string;
  seriesIri?: string;
}

const PREFIXES = `@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix cv: <http://data.europa.eu/m8g/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dpv: <https://w3id.org/dpv#> .
@prefix eucaim: <https://cancerimage.eu/ontology/EUCAIM#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix healthdcatap: <https://w3id.org/healthdcat-ap#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ac: <https://eucaim.github.io/eucaim_dcat_ap/releases/controlled-vocabularies/access-conditions/#> .
`;

/** A dataset and its distribution as Turtle; `distributionIri` is where the node serves the distribution. */
export function v2DatasetTurtle(r: V2Record, distributionIri: string): string {
  const series = r.seriesIri ? `  dcat:inSeries <${r.seriesIri}> ;\n` : '';
  return `${PREFIXES}
<${r.iri}> a dcat:Dataset ;
  dct:identifier "${r.identifier ?? `https://catalogue.eucaim.cancerimage.eu/#/collection/${r.uuid}`}"^^xsd:anyURI ;
  dct:title "${r.title}"@en ;
  dct:description "Multiparametric MR (T2ax, DWI and ADC) of patients with prostate cancer confirmed at biopsy or prostatectomy."@en ;
  dcat:version "2026.08.1" ;
  eucaim:interoperabilityLevel eucaim:SPEC1000009 ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/HEAL> ;
  healthdcatap:healthCategory <https://hdeu-dcat.acceptance.data.health.europa.eu/resource/authority/healthcategories/EHRS> ;
  healthdcatap:healthTheme <https://hdeu-dcat.acceptance.data.health.europa.eu/resource/authority/health-theme/CANCER_DISEASE> ;
  dct:type eucaim:SPEC1000019, dpv:PseudonymisedData ;
  dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
  dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
  dct:publisher [
    a foaf:Agent ;
    foaf:name "FORTH" ;
    cv:contactPoint [ a cv:ContactPoint ; cv:email "access-committee@procancer-i.example" ; cv:contactPage <https://forth.example/contact> ]
  ] ;
  healthdcatap:hdab [
    a foaf:Agent ;
    foaf:name "Hellenic Health Data Access Body" ;
    cv:contactPoint [ a cv:ContactPoint ; cv:contactPage <https://hdab.example.gr/> ]
  ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "FORTH" ; vcard:hasEmail <mailto:access-committee@procancer-i.example> ] ;
  healthdcatap:hasStructuredData "true"^^xsd:boolean ;
  healthdcatap:hasVariables <https://forth.example/datasets/${r.title.replace(/\W+/g, '-')}/variables.json> ;
  healthdcatap:numberOfUniqueIndividuals "8237"^^xsd:nonNegativeInteger ;
  healthdcatap:numberOfRecords "8789"^^xsd:nonNegativeInteger ;
  healthdcatap:minTypicalAge "35"^^xsd:nonNegativeInteger ;
  healthdcatap:maxTypicalAge "87"^^xsd:nonNegativeInteger ;
  eucaim:hasBirthSex eucaim:COM1001366 ;
  eucaim:hasCondition eucaim:CLIN1000075 ;
  eucaim:collectionMethod eucaim:SPEC1000004 ;
  eucaim:hasImageModality eucaim:IMG1000038 ;
  eucaim:hasEquipmentManufacturer eucaim:IMG1000047, eucaim:IMG1000044 ;
  eucaim:hasImageBodyPart eucaim:BP1000021 ;
  eucaim:hasAnnotationLabel eucaim:BP1000021, eucaim:IMG1016402 ;
  eucaim:hasAlgorithmType eucaim:COM1000003 ;
  eucaim:nbrOfSegmentations "789"^^xsd:nonNegativeInteger ;
  dcat:keyword "Prostate Cancer"@en, "mpMRI"@en ;
  dct:provenance [ a dct:ProvenanceStatement ; rdfs:label "Curated from the ProCAncer-I multicentre collection."@en ] ;
  dpv:hasPurpose [ a dpv:Purpose ; dct:description "Detection of clinically significant prostate cancer."@en ] ;
  dcat:spatialResolutionInMeters "0.0005"^^xsd:decimal ;
  dcat:temporalResolution "P1M"^^xsd:duration ;
${r.modified ? `  dct:issued "2022-09-10"^^xsd:date ;\n  dct:modified "${r.modified}"^^xsd:date ;\n` : ''}${series}  dcat:distribution <${distributionIri}> .

<${distributionIri}> a dcat:Distribution ;
  dct:title "Negotiated access"@en ;
  dcat:accessURL <https://negotiator.eucaim.example/requests/new> ;
  dct:rights ac:IN_SITU_PROCESSING ;
  dcatap:applicableLegislation <http://data.europa.eu/eli/reg/2025/327/oj> ;
  dct:license <https://creativecommons.org/licenses/by-nc/4.0/> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/application/dicom> ;
  spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue "${'b'.repeat(64)}"^^xsd:hexBinary ] .
`;
}
