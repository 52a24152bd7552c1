-- Hand-edited (issue 20, docs/audience-outputs.md): audience connections are rows of `connections` (kind
-- "audience", no input), so they share its AUTOINCREMENT id space. Rebuilt as 0003 does (copy aside, drop,
-- create, copy back; foreign key checks deferred, nothing cascades). The drop loses the table's AUTOINCREMENT
-- high-water mark, so it is kept aside and restored by inserting and deleting a row with that id (no write to
-- sqlite_sequence itself): an id deleted before this migration is not handed out again either.
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
CREATE TABLE `__old_connections_seq` AS SELECT seq FROM sqlite_sequence WHERE name = 'connections';--> statement-breakpoint
CREATE TABLE `__old_connections` AS SELECT * FROM `connections`;--> statement-breakpoint
DROP TABLE `connections`;--> statement-breakpoint
CREATE TABLE `connections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`input_id` integer,
	`output_id` integer NOT NULL,
	`kind` text DEFAULT 'event' NOT NULL,
	`audience_id` integer,
	`fault` text,
	`status_development` text DEFAULT 'inactive' NOT NULL,
	`status_production` text DEFAULT 'inactive' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`is_visible` integer DEFAULT true NOT NULL,
	`consent_rules` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`input_id`) REFERENCES `inputs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`output_id`) REFERENCES `outputs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `connections`("id", "input_id", "output_id", "status_development", "status_production", "settings", "is_visible", "consent_rules", "created_at", "updated_at") SELECT "id", "input_id", "output_id", "status_development", "status_production", "settings", "is_visible", "consent_rules", "created_at", "updated_at" FROM `__old_connections`;--> statement-breakpoint
INSERT INTO `connections` ("id", "input_id", "output_id") SELECT seq, NULL, 0 FROM `__old_connections_seq` WHERE seq > (SELECT coalesce(max(id), 0) FROM `connections`);--> statement-breakpoint
DELETE FROM `connections` WHERE id IN (SELECT seq FROM `__old_connections_seq`) AND output_id = 0;--> statement-breakpoint
DROP TABLE `__old_connections`;--> statement-breakpoint
DROP TABLE `__old_connections_seq`;--> statement-breakpoint
CREATE UNIQUE INDEX `connections_input_output_uq` ON `connections` (`input_id`,`output_id`);--> statement-breakpoint
CREATE INDEX `connections_output_idx` ON `connections` (`output_id`);--> statement-breakpoint
CREATE INDEX `connections_audience_idx` ON `connections` (`audience_id`);--> statement-breakpoint
ALTER TABLE `connection_counters` ADD `audience_adds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `connection_counters` ADD `audience_removes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `connection_counters` ADD `audience_rows_rejected` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `connection_counters` ADD `audience_uploads` integer DEFAULT 0 NOT NULL;
