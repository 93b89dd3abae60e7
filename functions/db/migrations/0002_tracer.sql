-- The tracer's append-only log (functions/tracer/tracer.sql.ts describes the tables; they are kept
-- out of the drizzle schema so that later generated migrations never try to create them again).
CREATE TABLE "tracer_entries" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL UNIQUE,
	"timestamp" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitter" text NOT NULL,
	"user_id" text NOT NULL,
	"user_action" text NOT NULL,
	"dataset_ids" text[] NOT NULL,
	"payload" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tracer_entries_user" ON "tracer_entries" USING btree ("user_id","seq");
--> statement-breakpoint
CREATE INDEX "tracer_entries_action" ON "tracer_entries" USING btree ("user_action","seq");
--> statement-breakpoint
CREATE INDEX "tracer_entries_datasets" ON "tracer_entries" USING gin ("dataset_ids");
--> statement-breakpoint
CREATE TABLE "tracer_nodes" (
	"level" smallint NOT NULL,
	"idx" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "tracer_nodes_level_idx_pk" PRIMARY KEY("level","idx")
);
--> statement-breakpoint
CREATE TABLE "tracer_checkpoints" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" text NOT NULL,
	"timestamp" text NOT NULL,
	"origin" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
-- Rows are written once. Only a superuser who disables the trigger can rewrite history, and the
-- hash chain plus the signed checkpoints held outside the database make that visible.
CREATE FUNCTION "tracer_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the tracer log is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "tracer_entries_append_only" BEFORE UPDATE OR DELETE ON "tracer_entries" FOR EACH ROW EXECUTE FUNCTION "tracer_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "tracer_entries_no_truncate" BEFORE TRUNCATE ON "tracer_entries" FOR EACH STATEMENT EXECUTE FUNCTION "tracer_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "tracer_nodes_append_only" BEFORE UPDATE OR DELETE ON "tracer_nodes" FOR EACH ROW EXECUTE FUNCTION "tracer_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "tracer_nodes_no_truncate" BEFORE TRUNCATE ON "tracer_nodes" FOR EACH STATEMENT EXECUTE FUNCTION "tracer_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "tracer_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "tracer_checkpoints" FOR EACH ROW EXECUTE FUNCTION "tracer_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "tracer_checkpoints_no_truncate" BEFORE TRUNCATE ON "tracer_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION "tracer_refuse_change"();
--> statement-breakpoint
-- The role the hub's tracer should connect as in production: it may read and append, nothing else.
-- Roles are cluster-wide, so an existing one is reused (another database of the cluster made it).
-- Where roles cannot be created (PGlite runs as one user; a managed database may forbid it) the
-- migration says so with a NOTICE and goes on: the triggers above still refuse changes.
DO $$
BEGIN
	BEGIN
		CREATE ROLE "eucaim_tracer_writer" NOLOGIN;
	EXCEPTION WHEN duplicate_object OR unique_violation THEN
		NULL;
	END;
	REVOKE ALL ON "tracer_entries", "tracer_nodes", "tracer_checkpoints" FROM "eucaim_tracer_writer";
	GRANT SELECT, INSERT ON "tracer_entries", "tracer_nodes", "tracer_checkpoints" TO "eucaim_tracer_writer";
EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_object THEN
	RAISE NOTICE 'tracer: role eucaim_tracer_writer not set up (%); append-only rests on the triggers', SQLERRM;
END;
$$;
