DROP INDEX "person_email_idx";--> statement-breakpoint
CREATE INDEX "company_phone_idx" ON "company" USING btree ("workspace_id","phone");--> statement-breakpoint
CREATE INDEX "person_phone_idx" ON "person" USING btree ("workspace_id","phone");--> statement-breakpoint
CREATE INDEX "person_email_idx" ON "person" USING btree ("workspace_id",(("email")::text));