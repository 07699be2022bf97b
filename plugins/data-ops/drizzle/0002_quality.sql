CREATE TABLE "plugin_data_ops"."quality_alert" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"object" text NOT NULL,
	"metric" text NOT NULL,
	"field" text,
	"direction" text NOT NULL,
	"unit" text NOT NULL,
	"threshold" numeric NOT NULL,
	"breached" boolean,
	"last_value" numeric,
	"last_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plugin_data_ops"."quality_snapshot" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"day" date NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"taken_by" text NOT NULL,
	"metrics" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plugin_data_ops"."quality_tracking" (
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"started_by" text NOT NULL,
	"job_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "quality_alert_object_idx" ON "plugin_data_ops"."quality_alert" USING btree ("workspace_id","object");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_snapshot_day_idx" ON "plugin_data_ops"."quality_snapshot" USING btree ("workspace_id","object","day");--> statement-breakpoint
CREATE UNIQUE INDEX "quality_tracking_object_idx" ON "plugin_data_ops"."quality_tracking" USING btree ("workspace_id","object");