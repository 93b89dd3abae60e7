CREATE TABLE "hub_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"task" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_queue" (
	"job_id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"jws" text NOT NULL,
	"visible_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"receipt" text,
	"deliveries" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_representatives" (
	"dataset_id" text NOT NULL,
	"subject" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_representatives_dataset_id_subject_pk" PRIMARY KEY("dataset_id","subject")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'dispatched' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "node_admins" (
	"node_id" text NOT NULL,
	"subject" text NOT NULL,
	CONSTRAINT "node_admins_node_id_subject_pk" PRIMARY KEY("node_id","subject")
);
--> statement-breakpoint
CREATE TABLE "node_datasets" (
	"node_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "node_datasets_node_id_dataset_id_pk" PRIMARY KEY("node_id","dataset_id")
);
--> statement-breakpoint
CREATE TABLE "node_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"job_id" text,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"queue_url" text,
	"status" text DEFAULT 'active' NOT NULL,
	"last_seen_at" timestamp with time zone,
	"version" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "used_node_tokens" (
	"jti" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_nodes" (
	"search_id" text NOT NULL,
	"node_id" text NOT NULL,
	"job_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"result" jsonb,
	"error" jsonb,
	"answered_at" timestamp with time zone,
	CONSTRAINT "search_nodes_search_id_node_id_pk" PRIMARY KEY("search_id","node_id"),
	CONSTRAINT "search_nodes_job_id_unique" UNIQUE("job_id")
);
--> statement-breakpoint
CREATE TABLE "searches" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"query" jsonb NOT NULL,
	"client_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_admins" ADD CONSTRAINT "node_admins_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_datasets" ADD CONSTRAINT "node_datasets_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_reports" ADD CONSTRAINT "node_reports_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_nodes" ADD CONSTRAINT "search_nodes_search_id_searches_id_fk" FOREIGN KEY ("search_id") REFERENCES "public"."searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_tasks_run_at" ON "hub_tasks" USING btree ("run_at");--> statement-breakpoint
CREATE INDEX "job_queue_node_visible" ON "job_queue" USING btree ("node_id","visible_at");--> statement-breakpoint
CREATE INDEX "dataset_representatives_subject" ON "dataset_representatives" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "jobs_node_status" ON "jobs" USING btree ("node_id","status");--> statement-breakpoint
CREATE INDEX "node_admins_subject" ON "node_admins" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "node_reports_node" ON "node_reports" USING btree ("node_id","created_at");--> statement-breakpoint
CREATE INDEX "used_node_tokens_expiry" ON "used_node_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "searches_owner" ON "searches" USING btree ("owner","created_at");