CREATE TABLE `apps` (
	`id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `apps_workspace_idx` ON `apps` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `data_point_filters` (
	`id` integer PRIMARY KEY NOT NULL,
	`app_id` integer NOT NULL,
	`integration` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`event_type` text DEFAULT '' NOT NULL,
	`attribute_name` text DEFAULT '' NOT NULL,
	`enabled` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_point_filters_uq` ON `data_point_filters` (`app_id`,`integration`,`type`,`name`,`event_type`,`attribute_name`);--> statement-breakpoint
CREATE TABLE `data_points` (
	`id` integer PRIMARY KEY NOT NULL,
	`app_id` integer NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`event_type` text DEFAULT '' NOT NULL,
	`attribute_name` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_points_uq` ON `data_points` (`app_id`,`type`,`name`,`event_type`,`attribute_name`);--> statement-breakpoint
CREATE TABLE `service_filters` (
	`app_id` integer NOT NULL,
	`integration` text NOT NULL,
	`send_new_data_points` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`app_id`, `integration`)
);
--> statement-breakpoint
ALTER TABLE `connection_counters` ADD `filtered_events` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `connection_counters` ADD `consent_dropped_events` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `connections` ADD `is_visible` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `input_counters` ADD `unknown_users_dropped` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `inputs` ADD `app_id` integer;--> statement-breakpoint
CREATE INDEX `dead_letters_workspace_idx` ON `dead_letters` (`workspace_id`,`created_at`);--> statement-breakpoint
-- Backfill: every existing platform input becomes an app of its own (same id, same name).
INSERT INTO `apps` (`id`, `workspace_id`, `name`) SELECT `id`, `workspace_id`, `name` FROM `inputs` WHERE `kind` = 'platform' AND `app_id` IS NULL;--> statement-breakpoint
UPDATE `inputs` SET `app_id` = `id` WHERE `kind` = 'platform' AND `app_id` IS NULL;
