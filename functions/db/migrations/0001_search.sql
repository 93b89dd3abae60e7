CREATE TABLE "search_audit" (
	"id" text PRIMARY KEY NOT NULL,
	"search_id" text NOT NULL,
	"subject" text NOT NULL,
	"query_hash" text NOT NULL,
	"deadline_seconds" integer NOT NULL,
	"nodes_asked" integer NOT NULL,
	"nodes_skipped" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_nodes" ALTER COLUMN "job_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "capabilities" jsonb;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "capabilities_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "search_nodes" ADD COLUMN "unsupported_keys" jsonb;--> statement-breakpoint
ALTER TABLE "searches" ADD COLUMN "query_hash" text;--> statement-breakpoint
CREATE INDEX "search_audit_subject" ON "search_audit" USING btree ("subject","created_at");--> statement-breakpoint
CREATE INDEX "search_audit_hash" ON "search_audit" USING btree ("query_hash");