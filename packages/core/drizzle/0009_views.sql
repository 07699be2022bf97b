CREATE TABLE "saved_view" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"object" text NOT NULL,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"filter" jsonb,
	"sort" text,
	"group_by" text,
	"visibility" text NOT NULL,
	"team_id" uuid,
	"owner_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_view_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "saved_view_visibility_check" CHECK ("saved_view"."visibility" in ('private', 'team', 'workspace')),
	CONSTRAINT "saved_view_team_check" CHECK (("saved_view"."visibility" = 'team') = ("saved_view"."team_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "saved_view" ADD CONSTRAINT "saved_view_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_view_object_idx" ON "saved_view" USING btree ("workspace_id","object");