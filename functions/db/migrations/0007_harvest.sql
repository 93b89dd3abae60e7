CREATE TABLE "harvest_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"message" text,
	"report" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "harvest_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"interval_minutes" integer,
	"next_run_at" timestamp with time zone,
	"running_until" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"last_run_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "harvest_runs" ADD CONSTRAINT "harvest_runs_source_id_harvest_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."harvest_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "harvest_runs_source" ON "harvest_runs" USING btree ("source_id","started_at");--> statement-breakpoint
CREATE INDEX "harvest_sources_next_run" ON "harvest_sources" USING btree ("next_run_at");