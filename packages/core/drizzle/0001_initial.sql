CREATE TABLE "audit_entry" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"changes" jsonb NOT NULL,
	CONSTRAINT "audit_entry_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "field_value_index" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"field" text NOT NULL,
	"record_id" uuid NOT NULL,
	"value_text" text,
	"value_num" numeric,
	"value_time" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "field_value_unique" (
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"field" text NOT NULL,
	"value" text NOT NULL,
	"record_id" uuid NOT NULL,
	CONSTRAINT "field_value_unique_workspace_id_object_field_value_pk" PRIMARY KEY("workspace_id","object","field","value")
);
--> statement-breakpoint
CREATE TABLE "record_link" (
	"workspace_id" uuid NOT NULL,
	"field" text NOT NULL,
	"source_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" bigserial NOT NULL,
	CONSTRAINT "record_link_workspace_id_field_source_id_target_id_pk" PRIMARY KEY("workspace_id","field","source_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "api_key" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_key_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "app_user" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" "citext" NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deactivated_at" timestamp with time zone,
	CONSTRAINT "app_user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "session" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_member" (
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_member_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_key" (
	"workspace_id" uuid NOT NULL,
	"actor_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"response" jsonb,
	"headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_key_workspace_id_actor_id_key_pk" PRIMARY KEY("workspace_id","actor_id","key")
);
--> statement-breakpoint
CREATE TABLE "field_definition" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"object" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "field_definition_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "metadata_override" (
	"workspace_id" uuid NOT NULL,
	"entity_key" text NOT NULL,
	"patch" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metadata_override_workspace_id_entity_key_pk" PRIMARY KEY("workspace_id","entity_key")
);
--> statement-breakpoint
CREATE TABLE "metadata_version" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "object_definition" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "object_definition_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "outbox_delivery" (
	"subscriber" text NOT NULL,
	"event_id" uuid NOT NULL,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_delivery_subscriber_event_id_pk" PRIMARY KEY("subscriber","event_id")
);
--> statement-breakpoint
CREATE TABLE "outbox_event" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" text NOT NULL,
	"object" text,
	"record_id" uuid,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "outbox_event_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "company" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"owner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"name" text NOT NULL,
	"domain" text,
	"industry" text,
	"employees" integer,
	"annual_revenue" jsonb,
	"address" jsonb,
	"phone" text,
	CONSTRAINT "company_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "custom_record" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"owner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"object" text NOT NULL,
	CONSTRAINT "custom_record_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "person" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"owner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_name" text,
	"last_name" text NOT NULL,
	"email" "citext",
	"phone" text,
	"job_title" text,
	"company_id" uuid,
	"address" jsonb,
	"consent_status" text DEFAULT 'unknown' NOT NULL,
	"opt_in_at" timestamp with time zone,
	CONSTRAINT "person_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "search_entry" (
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" uuid NOT NULL,
	"field" text NOT NULL,
	"text" text NOT NULL,
	"document" "tsvector" NOT NULL,
	CONSTRAINT "search_entry_workspace_id_object_record_id_field_pk" PRIMARY KEY("workspace_id","object","record_id","field")
);
--> statement-breakpoint
CREATE TABLE "workspace" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_member" ADD CONSTRAINT "workspace_member_workspace_id_workspace_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspace"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_member" ADD CONSTRAINT "workspace_member_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_workspace_id_company_id_company_workspace_id_id_fk" FOREIGN KEY ("workspace_id","company_id") REFERENCES "public"."company"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_entry_record_idx" ON "audit_entry" USING btree ("workspace_id","object","record_id","id");--> statement-breakpoint
CREATE INDEX "field_value_index_text_idx" ON "field_value_index" USING btree ("workspace_id","object","field","value_text","record_id");--> statement-breakpoint
CREATE INDEX "field_value_index_num_idx" ON "field_value_index" USING btree ("workspace_id","object","field","value_num","record_id");--> statement-breakpoint
CREATE INDEX "field_value_index_time_idx" ON "field_value_index" USING btree ("workspace_id","object","field","value_time","record_id");--> statement-breakpoint
CREATE INDEX "field_value_index_record_idx" ON "field_value_index" USING btree ("workspace_id","record_id");--> statement-breakpoint
CREATE INDEX "field_value_unique_record_idx" ON "field_value_unique" USING btree ("workspace_id","record_id");--> statement-breakpoint
CREATE INDEX "record_link_target_idx" ON "record_link" USING btree ("workspace_id","field","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_token_hash_idx" ON "api_key" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "workspace_member_user_idx" ON "workspace_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idempotency_key_created_idx" ON "idempotency_key" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "field_definition_name_idx" ON "field_definition" USING btree ("workspace_id","object","name");--> statement-breakpoint
CREATE UNIQUE INDEX "field_definition_key_idx" ON "field_definition" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "object_definition_name_idx" ON "object_definition" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "object_definition_key_idx" ON "object_definition" USING btree ("workspace_id","key");--> statement-breakpoint
CREATE INDEX "outbox_event_pending_idx" ON "outbox_event" USING btree ("seq") WHERE "outbox_event"."delivered_at" is null;--> statement-breakpoint
CREATE INDEX "company_live_idx" ON "company" USING btree ("workspace_id","id") WHERE "company"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "company_name_idx" ON "company" USING btree ("workspace_id","name","id");--> statement-breakpoint
CREATE INDEX "company_domain_idx" ON "company" USING btree ("workspace_id","domain");--> statement-breakpoint
CREATE INDEX "company_created_idx" ON "company" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "custom_record_live_idx" ON "custom_record" USING btree ("workspace_id","object","id") WHERE "custom_record"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "custom_record_created_idx" ON "custom_record" USING btree ("workspace_id","object","created_at","id");--> statement-breakpoint
CREATE INDEX "person_live_idx" ON "person" USING btree ("workspace_id","id") WHERE "person"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "person_last_name_idx" ON "person" USING btree ("workspace_id","last_name","id");--> statement-breakpoint
CREATE INDEX "person_email_idx" ON "person" USING btree ("workspace_id","email");--> statement-breakpoint
CREATE INDEX "person_company_idx" ON "person" USING btree ("workspace_id","company_id");--> statement-breakpoint
CREATE INDEX "person_created_idx" ON "person" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "search_entry_document_idx" ON "search_entry" USING gin ("workspace_id","document");