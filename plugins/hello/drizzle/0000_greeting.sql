CREATE SCHEMA "plugin_hello";
--> statement-breakpoint
CREATE TABLE "plugin_hello"."greeting" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plugin_hello"."greeting_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workspace_id" uuid NOT NULL,
	"caller_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
