CREATE TABLE "desk_articles" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"sender" text NOT NULL,
	"author" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desk_customers" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "desk_customers_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "desk_tickets" (
	"id" serial PRIMARY KEY NOT NULL,
	"group" text NOT NULL,
	"title" text NOT NULL,
	"customer_id" integer NOT NULL,
	"state" text DEFAULT 'new' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"to" text NOT NULL,
	"from" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expressions_of_interest" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"form" jsonb NOT NULL,
	"ticket_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_articles" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"from" text NOT NULL,
	"body" text NOT NULL,
	"external_id" text,
	"delivery" text DEFAULT 'sent' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helpdesk_rate_limits" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "helpdesk_rate_limits_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "helpdesk_tickets" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text,
	"customer_email" text NOT NULL,
	"customer_name" text,
	"kind" text NOT NULL,
	"group" text NOT NULL,
	"title" text NOT NULL,
	"context" jsonb NOT NULL,
	"delivery" text DEFAULT 'queued' NOT NULL,
	"external_id" text,
	"number" text,
	"state" text DEFAULT 'new' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "node_outage_tickets" (
	"node_id" text NOT NULL,
	"silent_since" timestamp with time zone NOT NULL,
	"ticket_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "node_outage_tickets_node_id_silent_since_pk" PRIMARY KEY("node_id","silent_since")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"link" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "desk_articles" ADD CONSTRAINT "desk_articles_ticket_id_desk_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."desk_tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_tickets" ADD CONSTRAINT "desk_tickets_customer_id_desk_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."desk_customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helpdesk_articles" ADD CONSTRAINT "helpdesk_articles_ticket_id_helpdesk_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."helpdesk_tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "desk_articles_ticket" ON "desk_articles" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "desk_tickets_customer" ON "desk_tickets" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "desk_tickets_updated" ON "desk_tickets" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "mail_outbox_created" ON "mail_outbox" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "helpdesk_articles_ticket" ON "helpdesk_articles" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "helpdesk_articles_external" ON "helpdesk_articles" USING btree ("ticket_id","external_id");--> statement-breakpoint
CREATE INDEX "helpdesk_tickets_owner" ON "helpdesk_tickets" USING btree ("owner","created_at");--> statement-breakpoint
CREATE INDEX "helpdesk_tickets_queued" ON "helpdesk_tickets" USING btree ("delivery","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "helpdesk_tickets_external" ON "helpdesk_tickets" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "notifications_subject" ON "notifications" USING btree ("subject","created_at");