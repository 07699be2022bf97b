CREATE SCHEMA "plugin_leads";
--> statement-breakpoint
CREATE TABLE "plugin_leads"."scored_workspace" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
