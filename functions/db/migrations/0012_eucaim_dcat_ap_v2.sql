ALTER TABLE "catalogue_datasets" ADD COLUMN "source_iri" text;--> statement-breakpoint
ALTER TABLE "catalogue_datasets" ADD COLUMN "source_identifier" text;--> statement-breakpoint
ALTER TABLE "catalogue_datasets" ADD COLUMN "source_issued" text;--> statement-breakpoint
ALTER TABLE "catalogue_networks" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "catalogue_series" ADD COLUMN "source_id" text;--> statement-breakpoint
ALTER TABLE "harvest_sources" ADD COLUMN "node_id" text;--> statement-breakpoint
ALTER TABLE "harvest_sources" ADD COLUMN "trusted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "catalogue_datasets_source_iri" ON "catalogue_datasets" USING btree ("source_id","source_iri");--> statement-breakpoint
-- ==== Hand-written data migration (keep at the end when renumbering) ===============================
-- Stored records move to EUCAIM DCAT-AP v2.0. catalogue_upgrade_v2(metadata) mirrors
-- shared/catalogue/legacy.ts upgradeMetadata() (test/integration/catalogue-migration.test.ts holds the
-- two equal): pre-v2.0 codes become the profile's (hyper-ontology codes, EHDS health categories),
-- a single dct:type becomes a list, a bare hdab name is dropped (v2.0 wants an agent with a contact
-- point and no placeholder), a publisher without a contact point takes the dataset's, distributions
-- take the dataset's applicable legislation, a free-text spatial resolution becomes metres and a
-- temporal one that is not an xsd:duration is dropped, free-text segmentation labels become keywords
-- and a free-text segmentation method a provenance note. Versions already kept stay as written.
CREATE OR REPLACE FUNCTION catalogue_upgrade_v2(m jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  maps constant jsonb := '{"tier":{"TIER_1":"SPEC1000009","TIER_2":"SPEC1000011","TIER_3":"SPEC1000010","TIER_3A_PLUS":"SPEC1000016"},"condition":{"SNOMEDCT399068003":"CLIN1000075","SNOMEDCT254837009":"CLIN1000060","SNOMEDCT363358000":"CLIN1000065","SNOMEDCT363406005":"CLIN1000057","SNOMEDCT363484005":"CLIN1000087"},"type":{"ORIGINAL":"SPEC1000020","ANNOTATED":"SPEC1000019","PROCESSED":"SPEC1000018"},"healthCategory":{"IMAGING":"EHRS","CLINICAL":"EHRS","GENOMICS":"HGPD"},"collectionMethod":{"RETROSPECTIVE":"SPEC1000004","ROUTINE_CARE":"SPEC1000004","PROSPECTIVE":"SPEC1000006","CLINICAL_TRIAL":"SPEC1000007"},"modalities":{"RID10312":"IMG1000038","RID10321":"IMG1000042","RID10337":"IMG1000062","RID10334":"IMG1000061"},"manufacturers":{"birnlex_3066":"IMG1000044","C200140":"IMG1000044","birnlex_12833":"IMG1000047","birnlex_3065":"IMG1000046","birnlex_3067":"IMG1000045"},"bodyParts":{"SNOMEDCT41216001":"BP1000021","SNOMEDCT76752008":"BP1000136","SNOMEDCT39607008":"BP1000113","SNOMEDCT71854001":"BP1000257","SNOMEDCT12921003":"BP1000092"},"birthSex":{"SNOMEDCT248153007":"COM1001366","SNOMEDCT248152002":"COM1001370"}}'::jsonb;
  f text;
  contact jsonb;
  legislation jsonb;
  words jsonb;
  codes jsonb;
  metres numeric;
  unit text;
BEGIN
  IF jsonb_typeof(m) <> 'object' THEN RETURN m; END IF;
  IF jsonb_typeof(m->'type') = 'string' THEN m := jsonb_set(m, '{type}', jsonb_build_array(m->'type')); END IF;
  FOR f IN SELECT jsonb_object_keys(maps) LOOP
    IF jsonb_typeof(m->f) = 'string' THEN
      m := jsonb_set(m, ARRAY[f], to_jsonb(coalesce(maps->f->>(m->>f), m->>f)));
    ELSIF jsonb_typeof(m->f) = 'array' THEN
      m := jsonb_set(m, ARRAY[f], (
        SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY pos), '[]'::jsonb)
        FROM (SELECT coalesce(maps->f->>v, v) AS x, min(ord) AS pos
              FROM jsonb_array_elements_text(m->f) WITH ORDINALITY t(v, ord) GROUP BY 1) s));
    END IF;
  END LOOP;
  -- Birth sexes the ontology has no term for (other, unknown) are dropped when a known one remains.
  IF jsonb_typeof(m->'birthSex') = 'array' AND EXISTS (
       SELECT 1 FROM jsonb_array_elements_text(m->'birthSex') v WHERE v IN ('COM1001366', 'COM1001370')) THEN
    m := jsonb_set(m, '{birthSex}', (SELECT jsonb_agg(to_jsonb(v) ORDER BY ord)
      FROM jsonb_array_elements_text(m->'birthSex') WITH ORDINALITY t(v, ord) WHERE v IN ('COM1001366', 'COM1001370')));
  END IF;
  IF jsonb_typeof(m->'hdab') = 'string' THEN m := m - 'hdab'; END IF;
  contact := m->'contactPoint';
  IF jsonb_typeof(m->'publisher') = 'object' AND m->'publisher'->>'email' IS NULL AND m->'publisher'->>'url' IS NULL
     AND jsonb_typeof(contact) = 'object' THEN
    IF contact->>'email' IS NOT NULL THEN m := jsonb_set(m, '{publisher,email}', contact->'email');
    ELSIF contact->>'url' IS NOT NULL THEN m := jsonb_set(m, '{publisher,url}', contact->'url');
    END IF;
  END IF;
  legislation := m->'applicableLegislation';
  IF jsonb_typeof(m->'distributions') = 'array' AND jsonb_typeof(legislation) = 'array' THEN
    m := jsonb_set(m, '{distributions}', (SELECT jsonb_agg(
      CASE WHEN jsonb_typeof(d) = 'object' AND NOT d ? 'applicableLegislation'
           THEN d || jsonb_build_object('applicableLegislation', legislation) ELSE d END ORDER BY ord)
      FROM jsonb_array_elements(m->'distributions') WITH ORDINALITY t(d, ord)));
  END IF;
  IF jsonb_typeof(m->'spatialResolution') = 'string' THEN
    SELECT min(x[1]::numeric) INTO metres FROM regexp_matches(m->>'spatialResolution', '\d+(?:\.\d+)?', 'g') AS x;
    IF metres IS NULL THEN m := m - 'spatialResolution';
    ELSE
      unit := lower(coalesce((regexp_match(m->>'spatialResolution', '\m(mm|cm|µm|um|m)\M', 'i'))[1], 'mm'));
      metres := metres * CASE unit WHEN 'mm' THEN 0.001 WHEN 'cm' THEN 0.01 WHEN 'µm' THEN 0.000001 WHEN 'um' THEN 0.000001 WHEN 'm' THEN 1 ELSE 0.001 END;
      IF metres > 0 THEN metres := round(metres, 5 - floor(log(metres))::int); END IF;
      m := jsonb_set(m, '{spatialResolution}', to_jsonb(metres));
    END IF;
  END IF;
  IF jsonb_typeof(m->'temporalResolution') = 'string'
     AND m->>'temporalResolution' !~ '^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$' THEN
    m := m - 'temporalResolution';
  END IF;
  IF jsonb_typeof(m->'segmentation') = 'object' THEN
    SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY ord) FILTER (WHERE l !~ '^(BP|CLIN|COM|IMG|SPEC)\d{7,9}$'), '[]'::jsonb),
           coalesce(jsonb_agg(to_jsonb(l) ORDER BY ord) FILTER (WHERE l ~ '^(BP|CLIN|COM|IMG|SPEC)\d{7,9}$'), '[]'::jsonb)
      INTO words, codes
      FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(m->'segmentation'->'labels') = 'array' THEN m->'segmentation'->'labels' ELSE '[]'::jsonb END)
           WITH ORDINALITY t(l, ord);
    IF jsonb_array_length(words) > 0 OR jsonb_typeof(m->'segmentation'->'method') = 'string' THEN
      IF jsonb_array_length(words) > 0 AND jsonb_typeof(m->'keywords') = 'array' THEN
        m := jsonb_set(m, '{keywords}', (SELECT jsonb_agg(to_jsonb(x) ORDER BY pos) FROM (
          SELECT x, min(pos) AS pos FROM (
            SELECT v AS x, ord AS pos FROM jsonb_array_elements_text(m->'keywords') WITH ORDINALITY t(v, ord)
            UNION ALL SELECT v, 1000 + ord FROM jsonb_array_elements_text(words) WITH ORDINALITY t(v, ord)) a
          GROUP BY x ORDER BY min(pos) LIMIT 50) b));
      END IF;
      IF jsonb_typeof(m->'segmentation'->'method') = 'string' AND jsonb_typeof(m->'provenance') = 'string' THEN
        m := jsonb_set(m, '{provenance}', to_jsonb((m->>'provenance') || ' Segmentation method: ' || (m->'segmentation'->>'method') || '.'));
      END IF;
      m := jsonb_set(m, '{segmentation}', (m->'segmentation') - 'method' - 'labels'
        || CASE WHEN jsonb_array_length(codes) > 0 THEN jsonb_build_object('labels', codes) ELSE '{}'::jsonb END);
      IF m->'segmentation' = '{}'::jsonb THEN m := m - 'segmentation'; END IF;
    END IF;
  END IF;
  RETURN m;
END
$fn$;--> statement-breakpoint
UPDATE "catalogue_datasets" SET "metadata" = catalogue_upgrade_v2("metadata") WHERE catalogue_upgrade_v2("metadata") IS DISTINCT FROM "metadata";--> statement-breakpoint
UPDATE "catalogue_datasets" SET
  "condition" = "metadata"->>'condition',
  "tier" = "metadata"->>'tier',
  "modalities" = ARRAY(SELECT jsonb_array_elements_text("metadata"->'modalities')),
  "body_parts" = ARRAY(SELECT jsonb_array_elements_text("metadata"->'bodyParts')),
  "manufacturers" = ARRAY(SELECT jsonb_array_elements_text("metadata"->'manufacturers'));--> statement-breakpoint
-- Sources registered before trust existed published directly: they keep doing so.
UPDATE "harvest_sources" SET "trusted" = true;
