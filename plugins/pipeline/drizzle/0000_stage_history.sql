CREATE SCHEMA "plugin_pipeline";
--> statement-breakpoint
CREATE TABLE "plugin_pipeline"."stage_change" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text,
	"actor_id" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "stage_change_opportunity_idx" ON "plugin_pipeline"."stage_change" USING btree ("workspace_id","opportunity_id","at");