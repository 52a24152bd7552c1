CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`input_id` integer NOT NULL,
	`filename` text NOT NULL,
	`object_key` text NOT NULL,
	`format` text NOT NULL,
	`status` text NOT NULL,
	`content_hash` text,
	`upload_id` text,
	`bytes` integer DEFAULT 0 NOT NULL,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_accepted` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_message` text,
	`error_line` integer,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `imports_input_idx` ON `imports` (`input_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `imports_hash_idx` ON `imports` (`input_id`,`content_hash`);