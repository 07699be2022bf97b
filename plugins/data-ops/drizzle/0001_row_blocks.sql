ALTER TABLE "plugin_data_ops"."import_row" ADD COLUMN "block" text;--> statement-breakpoint
ALTER TABLE "plugin_data_ops"."import_row" ADD COLUMN "name" text;--> statement-breakpoint
CREATE INDEX "import_row_block_idx" ON "plugin_data_ops"."import_row" USING btree ("import_id","block");