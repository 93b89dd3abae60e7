CREATE TABLE "catalogue_dataset_versions" (
	"dataset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"state" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"change" text NOT NULL,
	"changed_by" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogue_dataset_versions_dataset_id_version_pk" PRIMARY KEY("dataset_id","version")
);
--> statement-breakpoint
CREATE TABLE "catalogue_datasets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"owner" text NOT NULL,
	"node_id" text,
	"source_id" text,
	"source_modified" text,
	"version" integer NOT NULL,
	"metadata" jsonb NOT NULL,
	"series_id" text NOT NULL,
	"title" text NOT NULL,
	"condition" text NOT NULL,
	"tier" text NOT NULL,
	"publisher" text NOT NULL,
	"modalities" text[] NOT NULL,
	"body_parts" text[] NOT NULL,
	"manufacturers" text[] NOT NULL,
	"access_conditions" text[] NOT NULL,
	"subjects" integer NOT NULL,
	"studies" integer NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', coalesce("metadata"->'keywords', '[]'::jsonb)), 'B') || setweight(to_tsvector('english', "publisher"), 'B') || setweight(to_tsvector('english', coalesce("metadata"->>'description', '')), 'C')) STORED,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text
);
--> statement-breakpoint
CREATE TABLE "catalogue_networks" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue_series" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"publisher" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue_dataset_versions" ADD CONSTRAINT "catalogue_dataset_versions_dataset_id_catalogue_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."catalogue_datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_datasets" ADD CONSTRAINT "catalogue_datasets_series_id_catalogue_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."catalogue_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_series" ADD CONSTRAINT "catalogue_series_network_id_catalogue_networks_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."catalogue_networks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalogue_datasets_search" ON "catalogue_datasets" USING gin ("search");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_modalities" ON "catalogue_datasets" USING gin ("modalities");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_body_parts" ON "catalogue_datasets" USING gin ("body_parts");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_manufacturers" ON "catalogue_datasets" USING gin ("manufacturers");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_access" ON "catalogue_datasets" USING gin ("access_conditions");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_condition" ON "catalogue_datasets" USING btree ("state","condition");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_tier" ON "catalogue_datasets" USING btree ("state","tier");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_publisher" ON "catalogue_datasets" USING btree ("state","publisher");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_series" ON "catalogue_datasets" USING btree ("series_id","state");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_title" ON "catalogue_datasets" USING btree ("state","title","id");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_modified" ON "catalogue_datasets" USING btree ("state","modified_at","id");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_subjects" ON "catalogue_datasets" USING btree ("state","subjects","id");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_state_studies" ON "catalogue_datasets" USING btree ("state","studies","id");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_node" ON "catalogue_datasets" USING btree ("node_id");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_source" ON "catalogue_datasets" USING btree ("source_id","state");--> statement-breakpoint
CREATE INDEX "catalogue_datasets_owner" ON "catalogue_datasets" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "catalogue_series_network" ON "catalogue_series" USING btree ("network_id");