-- One statement per tracer batch (functions/tracer/append.ts): the hub hashes a batch onto the head
-- it remembers, and this function, under the log's advisory lock (the key of TRACER_LOCK_KEY, which
-- every writer takes), stores it only if that head is still the head and the batch links onto it.
-- Otherwise it stores nothing and answers the real head, so the hub re-hashes: the chain cannot fork
-- or skip, and a batch costs one round trip instead of a transaction of five.
CREATE FUNCTION "tracer_append"("p_size" bigint, "p_head" text, "p_entries" jsonb, "p_nodes" jsonb)
RETURNS TABLE ("appended" boolean, "head_size" bigint, "head_hash" text) LANGUAGE plpgsql AS $$
DECLARE
	"cur_size" bigint;
	"cur_hash" text;
BEGIN
	PERFORM pg_advisory_xact_lock(1953653091::bigint);
	SELECT e."seq" + 1, e."hash" INTO "cur_size", "cur_hash" FROM "tracer_entries" e ORDER BY e."seq" DESC LIMIT 1;
	"cur_size" := coalesce("cur_size", 0);
	"cur_hash" := coalesce("cur_hash", repeat('0', 64));
	IF "cur_size" <> "p_size" OR "cur_hash" <> "p_head" THEN
		RETURN QUERY SELECT false, "cur_size", "cur_hash";
		RETURN;
	END IF;
	-- Positions follow the head without gaps and each entry names its predecessor's hash.
	IF EXISTS (
		SELECT 1 FROM (
			SELECT t."ord", (t."e"->>'seq')::bigint AS "seq", t."e"->>'prev_hash' AS "prev",
				lag(t."e"->>'hash', 1, "p_head") OVER (ORDER BY t."ord") AS "expected_prev"
			FROM jsonb_array_elements("p_entries") WITH ORDINALITY AS t("e", "ord")
		) c
		WHERE c."seq" <> "p_size" + c."ord" - 1 OR c."prev" IS DISTINCT FROM c."expected_prev"
	) THEN
		RAISE EXCEPTION 'tracer: batch does not extend the head at %', "p_size" USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	INSERT INTO "tracer_entries" ("seq", "id", "timestamp", "submitter", "user_id", "user_action", "dataset_ids", "payload", "prev_hash", "hash")
	SELECT x."seq", x."id", x."timestamp", x."submitter", x."user_id", x."user_action", x."dataset_ids", x."payload", x."prev_hash", x."hash"
	FROM jsonb_to_recordset("p_entries") AS x("seq" bigint, "id" uuid, "timestamp" text, "submitter" text, "user_id" text,
		"user_action" text, "dataset_ids" text[], "payload" jsonb, "prev_hash" text, "hash" text);
	INSERT INTO "tracer_nodes" ("level", "idx", "hash")
	SELECT y."level", y."idx", y."hash" FROM jsonb_to_recordset("p_nodes") AS y("level" smallint, "idx" bigint, "hash" text);
	SELECT e."seq" + 1, e."hash" INTO "cur_size", "cur_hash" FROM "tracer_entries" e ORDER BY e."seq" DESC LIMIT 1;
	RETURN QUERY SELECT true, "cur_size", "cur_hash";
END;
$$;
