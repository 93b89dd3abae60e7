// The SHACL shapes the FAIR Data Point's records conform to, as Turtle text in a module so every
// runtime has them (Workers have no filesystem): served at each record's dct:conformsTo
// (GET /fdp/profile/{layer}, routes.ts) and used by shacl.ts to validate the FDP's output in tests.
// The reference FAIR Data Point's default shapes, plus the EUCAIM profile's mandatory dataset fields.
import type { FdpLayer } from '../iris.ts';

const resource = `# FAIR Data Point reference default shape for every metadata record (repository, catalog, dataset,
# distribution): one title, one publisher that is a foaf:Agent with a name, one version, at most one
# language, licence and rights, and the FDP's own record metadata.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix fdp: <https://w3id.org/fdp/fdp-o#> .
@prefix r3d: <http://www.re3data.org/schema/3-0#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .

:ResourceShape a sh:NodeShape ;
  # No RDFS inference here: the four record classes are named instead of dcat:Resource.
  sh:targetClass r3d:Repository, dcat:Catalog, dcat:Dataset, dcat:Distribution ;
  sh:property [ sh:path dct:title ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dct:description ; sh:nodeKind sh:Literal ; sh:maxCount 1 ] ,
    [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:node :AgentShape ] ,
    [ sh:path dcat:version ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dct:language ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dct:license ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dct:rights ; sh:maxCount 1 ] ,
    [ sh:path dct:conformsTo ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path fdp:metadataIdentifier ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path fdp:metadataIssued ; sh:datatype xsd:dateTime ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path fdp:metadataModified ; sh:datatype xsd:dateTime ; sh:minCount 1 ; sh:maxCount 1 ] .

:AgentShape a sh:NodeShape ;
  sh:class foaf:Agent ;
  sh:property [ sh:path foaf:name ; sh:nodeKind sh:Literal ; sh:minCount 1 ] .
`;

const repository = `# FAIR Data Point reference default shape of the repository (the FDP root).
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix fdp: <https://w3id.org/fdp/fdp-o#> .
@prefix r3d: <http://www.re3data.org/schema/3-0#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .

:RepositoryShape a sh:NodeShape ;
  sh:targetClass r3d:Repository ;
  sh:property [ sh:path fdp:metadataCatalog ; sh:nodeKind sh:IRI ] .
`;

const catalog = `# FAIR Data Point reference default shape of a catalog.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .

:CatalogShape a sh:NodeShape ;
  sh:targetClass dcat:Catalog ;
  sh:property [ sh:path dcat:dataset ; sh:nodeKind sh:IRI ] ,
    [ sh:path dcat:themeTaxonomy ; sh:nodeKind sh:IRI ] ,
    [ sh:path dct:isPartOf ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] .
`;

const dataset = `# FAIR Data Point reference default shape of a dataset: at least one theme.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .

:DatasetShape a sh:NodeShape ;
  sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dcat:theme ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dcat:distribution ; sh:nodeKind sh:IRI ] ,
    [ sh:path dcat:keyword ; sh:nodeKind sh:Literal ] ,
    [ sh:path dcat:contactPoint ; sh:nodeKind sh:BlankNodeOrIRI ] ,
    [ sh:path dcat:landingPage ; sh:nodeKind sh:IRI ] .
`;

const distribution = `# FAIR Data Point reference default shape of a distribution: exactly one media type, at most one
# access URL and one download URL.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .

:DistributionShape a sh:NodeShape ;
  sh:targetClass dcat:Distribution ;
  sh:property [ sh:path dcat:mediaType ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcat:accessURL ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] ,
    [ sh:path dcat:downloadURL ; sh:nodeKind sh:IRI ; sh:maxCount 1 ] .
`;

const eucaimDataset = `# The EUCAIM DCAT-AP 2.0 profile's mandatory dataset fields (shared/catalogue/profile.ts), as the
# hub's FAIR Data Point writes them.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix healthdcatap: <http://healthdataportal.eu/ns/health#> .
@prefix eucaim: <https://w3id.org/eucaim/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://w3id.org/eucaim/fdp/shapes#> .

:EucaimDatasetShape a sh:NodeShape ;
  sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:identifier ; sh:nodeKind sh:Literal ; sh:minCount 1 ; sh:maxCount 1 ;
      sh:pattern "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" ] ,
    [ sh:path dct:title ; sh:languageIn ( "en" ) ; sh:minCount 1 ] ,
    [ sh:path dct:description ; sh:languageIn ( "en" ) ; sh:minCount 1 ] ,
    [ sh:path dcat:version ; sh:minCount 1 ] ,
    [ sh:path eucaim:interoperabilityLevel ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcat:theme ; sh:hasValue <http://publications.europa.eu/resource/authority/data-theme/HEAL> ] ,
    [ sh:path healthdcatap:healthCategory ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
    [ sh:path dct:type ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dct:accessRights ; sh:nodeKind sh:IRI ; sh:minCount 1 ; sh:maxCount 1 ] ,
    [ sh:path dcatap:applicableLegislation ; sh:nodeKind sh:IRI ; sh:minCount 1 ] ,
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
    [ sh:path dcat:distribution ; sh:minCount 1 ] ,
    [ sh:path dcat:inSeries ; sh:nodeKind sh:IRI ; sh:minCount 1 ] .
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
