CREATE TABLE "explorer_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"user" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_tasks" (
	"owner" text NOT NULL,
	"task_id" text NOT NULL,
	"search_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spot_tasks_owner_task_id_pk" PRIMARY KEY("owner","task_id")
);
--> statement-breakpoint
ALTER TABLE "spot_tasks" ADD CONSTRAINT "spot_tasks_search_id_searches_id_fk" FOREIGN KEY ("search_id") REFERENCES "public"."searches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "explorer_sessions_expiry" ON "explorer_sessions" USING btree ("expires_at");