CREATE TABLE "processing_node_health" (
	"node_id" text PRIMARY KEY NOT NULL,
	"report" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processing_node_tools" (
	"node_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"tool_version" text NOT NULL,
	"approved_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processing_node_tools_node_id_tool_id_tool_version_pk" PRIMARY KEY("node_id","tool_id","tool_version")
);
--> statement-breakpoint
CREATE TABLE "processing_run_nodes" (
	"run_id" text NOT NULL,
	"node_id" text NOT NULL,
	"job_id" text NOT NULL,
	"state" text NOT NULL,
	"datasets" jsonb NOT NULL,
	"outcome" jsonb,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processing_run_nodes_run_id_node_id_pk" PRIMARY KEY("run_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "processing_run_uploads" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"node_id" text NOT NULL,
	"kind" text NOT NULL,
	"path" text NOT NULL,
	"bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"stored_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "processing_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"tool_id" text NOT NULL,
	"tool_version" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"inputs" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancel_requested_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "processing_tools" (
	"id" text NOT NULL,
	"version" text NOT NULL,
	"approval" jsonb NOT NULL,
	"docs_url" text,
	"approved_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processing_tools_id_version_pk" PRIMARY KEY("id","version")
);
--> statement-breakpoint
ALTER TABLE "processing_node_health" ADD CONSTRAINT "processing_node_health_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processing_node_tools" ADD CONSTRAINT "processing_node_tools_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processing_run_nodes" ADD CONSTRAINT "processing_run_nodes_run_id_processing_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."processing_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processing_run_uploads" ADD CONSTRAINT "processing_run_uploads_run_id_processing_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."processing_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "processing_run_uploads_run" ON "processing_run_uploads" USING btree ("run_id","node_id");--> statement-breakpoint
CREATE INDEX "processing_runs_owner" ON "processing_runs" USING btree ("owner","created_at");