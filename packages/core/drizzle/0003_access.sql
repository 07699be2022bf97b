CREATE TABLE "access_audit" (
	"workspace_id" uuid,
	"id" bigserial NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"outcome" text DEFAULT 'success' NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"user_id" uuid,
	"target" text,
	"ip" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "access_audit_id_pk" PRIMARY KEY("id")
);
--> statement-breakpoint
CREATE TABLE "login_challenge" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "record_share" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" uuid NOT NULL,
	"user_id" uuid,
	"team_id" uuid,
	"access" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_share_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "record_share_grantee_check" CHECK (("record_share"."user_id" is null) <> ("record_share"."team_id" is null)),
	CONSTRAINT "record_share_access_check" CHECK ("record_share"."access" in ('read', 'edit'))
);
--> statement-breakpoint
CREATE TABLE "role" (
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"labels" jsonb NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_workspace_id_key_pk" PRIMARY KEY("workspace_id","key")
);
--> statement-breakpoint
CREATE TABLE "team" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "team_member" (
	"workspace_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "team_member_workspace_id_team_id_user_id_pk" PRIMARY KEY("workspace_id","team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "user_mfa" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"enabled_at" timestamp with time zone,
	"recovery_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspace_member" ADD COLUMN "manager_id" uuid;--> statement-breakpoint
ALTER TABLE "workspace_member" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "role" ADD CONSTRAINT "role_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team" ADD CONSTRAINT "team_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_audit_workspace_idx" ON "access_audit" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "access_audit_action_idx" ON "access_audit" USING btree ("workspace_id","action","id");--> statement-breakpoint
CREATE INDEX "record_share_record_idx" ON "record_share" USING btree ("workspace_id","object","record_id");--> statement-breakpoint
CREATE INDEX "record_share_user_idx" ON "record_share" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE INDEX "record_share_team_idx" ON "record_share" USING btree ("workspace_id","team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_name_idx" ON "team" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE INDEX "team_member_user_idx" ON "team_member" USING btree ("workspace_id","user_id");--> statement-breakpoint
CREATE INDEX "workspace_member_manager_idx" ON "workspace_member" USING btree ("workspace_id","manager_id");--> statement-breakpoint
CREATE INDEX "company_owner_idx" ON "company" USING btree ("workspace_id","owner_id","id") WHERE "company"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "custom_record_owner_idx" ON "custom_record" USING btree ("workspace_id","object","owner_id","id") WHERE "custom_record"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "person_owner_idx" ON "person" USING btree ("workspace_id","owner_id","id") WHERE "person"."deleted_at" is null;--> statement-breakpoint
UPDATE "workspace_member" SET "role" = 'sales_rep' WHERE "role" = 'member';--> statement-breakpoint
UPDATE "api_key" SET "role" = 'sales_rep' WHERE "role" = 'member';--> statement-breakpoint
CREATE FUNCTION "access_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_audit is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "access_audit_append_only" BEFORE UPDATE OR DELETE ON "access_audit" FOR EACH ROW EXECUTE FUNCTION "access_audit_append_only"();
