// The SHACL shapes the FAIR Data Point's records conform to, as Turtle text in a module so every
// runtime has them (Workers have no filesystem): served at each record's dct:conformsTo
// (GET /fdp/profile/{layer}, routes.ts). They state the FAIR Data Point reference server's default
// shapes constraint for constraint (test/integration/fdp-shacl.test.ts holds them equal to the
// reference's own files), with one deviation, `MEDIA_TYPE_DEVIATION`; and the EUCAIM DCAT-AP v2.0
// dataset profile's mandatory fields.
import type { FdpLayer } from '../iris.ts';

const prefixes = `@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix fdp: <https://w3id.org/fdp/fdp-o#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .
`;

/** The one place the served shapes differ from the reference FDP's: DCAT-AP's media type is an IRI. */
export const MEDIA_TYPE_DEVIATION =
  'dcat:mediaType is an IRI (a dct:MediaType from the IANA register), as DCAT-AP 2.1.1 and 3.0.1 require; the reference FAIR Data Point shape wants a literal.';

const resource = `# Every record: the reference FDP's resource shape (targets dcat:Resource, as the reference types every record).
${prefixes}
:ResourceShape a sh:NodeShape ;
  sh:targetClass dcat:Resource ;
  sh:property [ sh:path dct:title ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dct:description ; sh:nodeKind sh:Literal ; sh:maxCount 1 ] ,
    [ sh:path dct:publisher ; sh:node :AgentShape ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcat:version ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dct:language ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dct:license ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dct:rights ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] .

:AgentShape a sh:NodeShape ;
  sh:targetClass foaf:Agent ;
  sh:property [ sh:path foaf:name ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ] .
`;

const repository = `# The root: the reference FDP's FAIR Data Point, metadata service and data service shapes.
${prefixes}
:FDPShape a sh:NodeShape ;
  sh:targetClass fdp:FAIRDataPoint ;
  sh:property [ sh:path fdp:startDate ; sh:datatype xsd:date ; sh:maxCount 1 ] ,
    [ sh:path fdp:endDate ; sh:datatype xsd:date ; sh:maxCount 1 ] ,
    [ sh:path fdp:uiLanguage ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path fdp:metadataIdentifier ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] .

:MetadataServiceShape a sh:NodeShape ;
  sh:targetClass fdp:MetadataService .

:DataServiceShape a sh:NodeShape ;
  sh:targetClass dcat:DataService ;
  sh:property [ sh:path dcat:endpointURL ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dcat:endpointDescription ; sh:nodeKind sh:Literal ; sh:maxCount 1 ] .
`;

const catalog = `# The reference FDP's catalog shape.
${prefixes}
:CatalogShape a sh:NodeShape ;
  sh:targetClass dcat:Catalog ;
  sh:property [ sh:path dct:issued ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] ,
    [ sh:path dct:modified ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] ,
    [ sh:path foaf:homePage ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dcat:themeTaxonomy ; sh:nodeKind sh:IRI ] .
`;

const dataset = `# The reference FDP's dataset shape: at least one theme.
${prefixes}
:DatasetShape a sh:NodeShape ;
  sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:issued ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] ,
    [ sh:path dct:modified ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] ,
    [ sh:path dcat:theme ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dcat:contactPoint ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dcat:keyword ; sh:nodeKind sh:Literal ] ,
    [ sh:path dcat:landingPage ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] .
`;

const distribution = `# The reference FDP's distribution shape, but for the media type: ${MEDIA_TYPE_DEVIATION}
${prefixes}
:DistributionShape a sh:NodeShape ;
  sh:targetClass dcat:Distribution ;
  sh:property [ sh:path dct:issued ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] ,
    [ sh:path dct:modified ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] ,
    [ sh:path dcat:accessURL ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dcat:downloadURL ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dcat:mediaType ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcat:format ; sh:nodeKind sh:Literal ; sh:maxCount 1 ] ,
    [ sh:path dcat:byteSize ; sh:nodeKind sh:Literal ; sh:maxCount 1 ] .
`;

const eucaimDataset = `# EUCAIM DCAT-AP v2.0 (EUCAIM/eucaim_dcat_ap, releases/v2.0/Dataset.md): the dataset's mandatory
# properties as the hub writes them.
${prefixes}
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix healthdcatap: <https://w3id.org/healthdcat-ap#> .
@prefix eucaim: <https://cancerimage.eu/ontology/EUCAIM#> .
@prefix cv: <http://data.europa.eu/m8g/> .

:EucaimDatasetShape a sh:NodeShape ;
  sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:identifier ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dct:title ; sh:languageIn ( "en" ) ; sh:minCount 1 ] ,
    [ sh:path dct:description ; sh:languageIn ( "en" ) ; sh:minCount 1 ] ,
    [ sh:path dcat:version ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path eucaim:interoperabilityLevel ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcat:theme ; sh:hasValue <http://publications.europa.eu/resource/authority/data-theme/HEAL> ] ,
    [ sh:path healthdcatap:healthCategory ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dct:type ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dct:accessRights ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcatap:applicableLegislation ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:node :EucaimAgentShape ] ,
    [ sh:path dcat:contactPoint ; sh:minCount 1 ] ,
    [ sh:path healthdcatap:numberOfUniqueIndividuals ; sh:datatype xsd:nonNegativeInteger ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path healthdcatap:numberOfRecords ; sh:datatype xsd:nonNegativeInteger ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path healthdcatap:hasStructuredData ; sh:datatype xsd:boolean ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path eucaim:hasBirthSex ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path eucaim:hasCondition ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path eucaim:collectionMethod ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path eucaim:hasImageModality ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path eucaim:hasEquipmentManufacturer ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path eucaim:hasImageBodyPart ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dcat:keyword ; sh:minCount 1 ] ,
    [ sh:path dct:provenance ; sh:minCount 1 ] ,
    [ sh:path dcat:distribution ; sh:minCount 1 ; sh:node :EucaimDistributionShape ] ,
    [ sh:path dcat:spatialResolutionInMeters ; sh:datatype xsd:decimal ; sh:maxCount 1 ] ,
    [ sh:path dcat:temporalResolution ; sh:datatype xsd:duration ; sh:maxCount 1 ] .

:EucaimAgentShape a sh:NodeShape ;
  sh:property [ sh:path foaf:name ; sh:minCount 1 ] ,
    [ sh:path cv:contactPoint ; sh:minCount 1 ; sh:maxCount 1 ] .

:EucaimDistributionShape a sh:NodeShape ;
  sh:property [ sh:path dcat:accessURL ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dct:rights ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dcatap:applicableLegislation ; sh:nodeKind sh:IRI ; sh:minCount 1 ] .
`;

/** Every shape document by name; `validateFdp` loads them all. */
export const SHAPES = { resource, repository, catalog, dataset, distribution, 'eucaim-dataset': eucaimDataset } as const;
export type ShapeName = keyof typeof SHAPES;

/** The shape documents behind each layer's profile: the shared record shape and the layer's own. */
export const PROFILE_SHAPES: Record<FdpLayer, readonly ShapeName[]> = {
  repository: ['resource', 'repository'],
  catalog: ['resource', 'catalog'],
  dataset: ['resource', 'dataset', 'eucaim-dataset'],
  distribution: ['resource', 'distribution'],
};
