CREATE TABLE `calculated_attributes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`draft_definition` text,
	`active_definition` text,
	`revision` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`last_modified_by` text,
	`activated_on` integer,
	`activated_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calculated_attributes_workspace_name_uq` ON `calculated_attributes` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `audience_counters` (
	`audience_id` integer NOT NULL,
	`hour` integer NOT NULL,
	`adds` integer DEFAULT 0 NOT NULL,
	`drops` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`audience_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `audience_set_versions` (
	`workspace_id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audience_workspaces` (
	`audience_id` integer NOT NULL,
	`workspace_id` integer NOT NULL,
	PRIMARY KEY(`audience_id`, `workspace_id`),
	FOREIGN KEY (`audience_id`) REFERENCES `audiences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audience_workspaces_ws` ON `audience_workspaces` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `audiences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`name` text NOT NULL,
	`external_name` text NOT NULL,
	`criteria` text NOT NULL,
	`is_calculated` integer DEFAULT false NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`sweep_id` text,
	`sweep_shards` integer DEFAULT 0 NOT NULL,
	`sweep_done` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`last_modified_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
