CREATE SCHEMA "plugin_data_ops";
--> statement-breakpoint
CREATE TABLE "plugin_data_ops"."import" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"created_by" text NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"delimiter" text,
	"headers" jsonb NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"settings" jsonb NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"job_id" text,
	"lease_until" timestamp with time zone,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plugin_data_ops"."import_related" (
	"import_id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" uuid NOT NULL,
	CONSTRAINT "import_related_import_id_object_record_id_pk" PRIMARY KEY("import_id","object","record_id")
);
--> statement-breakpoint
CREATE TABLE "plugin_data_ops"."import_row" (
	"import_id" uuid NOT NULL,
	"row_no" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"record_id" uuid,
	"previous" jsonb,
	"reason" text,
	"match" jsonb,
	"keys" text[],
	CONSTRAINT "import_row_import_id_row_no_pk" PRIMARY KEY("import_id","row_no")
);
--> statement-breakpoint
CREATE TABLE "plugin_data_ops"."import_template" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plugin_data_ops"."import_related" ADD CONSTRAINT "import_related_import_id_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "plugin_data_ops"."import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plugin_data_ops"."import_row" ADD CONSTRAINT "import_row_import_id_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "plugin_data_ops"."import"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_workspace_idx" ON "plugin_data_ops"."import" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "import_status_idx" ON "plugin_data_ops"."import" USING btree ("status","lease_until");--> statement-breakpoint
CREATE INDEX "import_row_status_idx" ON "plugin_data_ops"."import_row" USING btree ("import_id","status","row_no");--> statement-breakpoint
CREATE INDEX "import_row_keys_idx" ON "plugin_data_ops"."import_row" USING gin ("keys");--> statement-breakpoint
CREATE UNIQUE INDEX "import_template_name_idx" ON "plugin_data_ops"."import_template" USING btree ("workspace_id","object","name");