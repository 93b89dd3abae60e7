CREATE TABLE "access_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"negotiation_id" text NOT NULL,
	"dataset_id" uuid NOT NULL,
	"user_sub" text NOT NULL,
	"access" text NOT NULL,
	"conditions" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"jws" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "negotiation_datasets" (
	"negotiation_id" text NOT NULL,
	"dataset_id" uuid NOT NULL,
	"state" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "negotiation_datasets_negotiation_id_dataset_id_pk" PRIMARY KEY("negotiation_id","dataset_id")
);
--> statement-breakpoint
CREATE TABLE "negotiation_events" (
	"id" text PRIMARY KEY NOT NULL,
	"negotiation_id" text NOT NULL,
	"dataset_id" uuid,
	"event" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "negotiations" (
	"id" text PRIMARY KEY NOT NULL,
	"author" text NOT NULL,
	"state" text NOT NULL,
	"form_id" text NOT NULL,
	"form_version" integer NOT NULL,
	"answers" jsonb NOT NULL,
	"human_readable" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_negotiation_id_negotiations_id_fk" FOREIGN KEY ("negotiation_id") REFERENCES "public"."negotiations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_datasets" ADD CONSTRAINT "negotiation_datasets_negotiation_id_negotiations_id_fk" FOREIGN KEY ("negotiation_id") REFERENCES "public"."negotiations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_datasets" ADD CONSTRAINT "negotiation_datasets_dataset_id_catalogue_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."catalogue_datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negotiation_events" ADD CONSTRAINT "negotiation_events_negotiation_id_negotiations_id_fk" FOREIGN KEY ("negotiation_id") REFERENCES "public"."negotiations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_grants_user" ON "access_grants" USING btree ("user_sub");--> statement-breakpoint
CREATE INDEX "access_grants_negotiation" ON "access_grants" USING btree ("negotiation_id","dataset_id");--> statement-breakpoint
CREATE INDEX "negotiation_datasets_dataset" ON "negotiation_datasets" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "negotiation_events_negotiation" ON "negotiation_events" USING btree ("negotiation_id","id");--> statement-breakpoint
CREATE INDEX "negotiations_author" ON "negotiations" USING btree ("author","created_at");