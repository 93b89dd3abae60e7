CREATE TABLE "negotiation_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"human_readable" text NOT NULL,
	"resources" jsonb NOT NULL,
	"query" jsonb,
	"negotiation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "negotiation_requests" ADD CONSTRAINT "negotiation_requests_negotiation_id_negotiations_id_fk" FOREIGN KEY ("negotiation_id") REFERENCES "public"."negotiations"("id") ON DELETE no action ON UPDATE no action;