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
CREATE UNIQUE INDEX `calculated_attributes_workspace_name_uq` ON `calculated_attributes` (`workspace_id`,`name`);