DROP INDEX "search_entry_document_idx";--> statement-breakpoint
CREATE INDEX "search_entry_prefix_idx" ON "search_entry" USING btree ("workspace_id","text" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "search_entry_document_idx" ON "search_entry" USING gin ("document");