CREATE TABLE "plugin_secret" (
	"plugin_id" text NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plugin_secret_plugin_id_name_pk" PRIMARY KEY("plugin_id","name")
);
