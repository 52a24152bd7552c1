CREATE TABLE `drop_counters` (
	`input_id` integer NOT NULL,
	`hour` text NOT NULL,
	`reason` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`input_id`, `hour`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `dsr_callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`url` text NOT NULL,
	`body` text NOT NULL,
	`api_version` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `dsr_callbacks_due_idx` ON `dsr_callbacks` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `dsr_callbacks_request_idx` ON `dsr_callbacks` (`request_id`);--> statement-breakpoint
CREATE TABLE `dsr_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`subject_request_id` text NOT NULL,
	`api_version` text NOT NULL,
	`regulation` text,
	`request_type` text NOT NULL,
	`status` text NOT NULL,
	`group_id` text,
	`submitted_time` text,
	`identities` text DEFAULT '[]' NOT NULL,
	`mpids` text DEFAULT '[]' NOT NULL,
	`status_callback_urls` text DEFAULT '[]' NOT NULL,
	`partner_status` text DEFAULT '[]' NOT NULL,
	`skip_waiting_period` integer DEFAULT false NOT NULL,
	`encoded_request` text NOT NULL,
	`received_at` integer NOT NULL,
	`process_after` integer NOT NULL,
	`expected_completion_at` integer NOT NULL,
	`status_changed_at` integer NOT NULL,
	`completed_at` integer,
	`origin` text DEFAULT '' NOT NULL,
	`dedupe_key` text,
	`process_attempts` integer DEFAULT 0 NOT NULL,
	`last_attempt_at` integer,
	`results` text,
	`results_expires_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dsr_requests_subject_uq` ON `dsr_requests` (`workspace_id`,`subject_request_id`);--> statement-breakpoint
CREATE INDEX `dsr_requests_dedupe_idx` ON `dsr_requests` (`workspace_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `dsr_requests_group_idx` ON `dsr_requests` (`workspace_id`,`group_id`);--> statement-breakpoint
CREATE INDEX `dsr_requests_status_idx` ON `dsr_requests` (`status`,`process_after`);--> statement-breakpoint
CREATE TABLE `forwarding_stat_counters` (
	`input_id` integer NOT NULL,
	`hour` text NOT NULL,
	`module_id` integer NOT NULL,
	`message_type` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`input_id`, `hour`, `module_id`, `message_type`)
);
--> statement-breakpoint
CREATE TABLE `workspace_credentials` (
	`id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`key` text NOT NULL,
	`secret_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_credentials_key_uq` ON `workspace_credentials` (`key`);--> statement-breakpoint
CREATE INDEX `workspace_credentials_workspace_idx` ON `workspace_credentials` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `connections` ADD `consent_rules` text DEFAULT '[]' NOT NULL;