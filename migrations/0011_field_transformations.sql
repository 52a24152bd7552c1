CREATE TABLE `field_transformations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`ft_id` text NOT NULL,
	`name` text NOT NULL,
	`destination_type` text NOT NULL,
	`mappings` text NOT NULL,
	`generation` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`deleted_at` integer,
	`created_by` text,
	`last_modified_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `field_transformations_workspace_ft_uq` ON `field_transformations` (`workspace_id`,`ft_id`);--> statement-breakpoint
ALTER TABLE `imports` ADD `transformation_id` text;