CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `api_clients` (
	`id` integer PRIMARY KEY NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`client_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_clients_client_id_uq` ON `api_clients` (`client_id`);--> statement-breakpoint
CREATE TABLE `connection_counters` (
	`connection_id` integer NOT NULL,
	`hour` text NOT NULL,
	`inbound_batches` integer DEFAULT 0 NOT NULL,
	`inbound_events` integer DEFAULT 0 NOT NULL,
	`forwarded_batches` integer DEFAULT 0 NOT NULL,
	`forwarded_events` integer DEFAULT 0 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`errors_retryable` integer DEFAULT 0 NOT NULL,
	`errors_permanent` integer DEFAULT 0 NOT NULL,
	`dead_lettered` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`connection_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `connections` (
	`id` integer PRIMARY KEY NOT NULL,
	`input_id` integer NOT NULL,
	`output_id` integer NOT NULL,
	`status_development` text DEFAULT 'inactive' NOT NULL,
	`status_production` text DEFAULT 'inactive' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`input_id`) REFERENCES `inputs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`output_id`) REFERENCES `outputs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_input_output_uq` ON `connections` (`input_id`,`output_id`);--> statement-breakpoint
CREATE INDEX `connections_output_idx` ON `connections` (`output_id`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` integer,
	`input_id` integer,
	`output_id` integer,
	`workspace_id` integer,
	`batch_id` text,
	`reason` text NOT NULL,
	`attempts` integer NOT NULL,
	`status_code` integer,
	`response` text,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE INDEX `dead_letters_connection_idx` ON `dead_letters` (`connection_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `input_counters` (
	`input_id` integer NOT NULL,
	`hour` text NOT NULL,
	`batches` integer DEFAULT 0 NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`duplicate_batches` integer DEFAULT 0 NOT NULL,
	`duplicate_events` integer DEFAULT 0 NOT NULL,
	`limit_corrections` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`input_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `inputs` (
	`id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`kind` text NOT NULL,
	`platform` text NOT NULL,
	`name` text NOT NULL,
	`api_key` text NOT NULL,
	`secret_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inputs_api_key_uq` ON `inputs` (`api_key`);--> statement-breakpoint
CREATE INDEX `inputs_workspace_idx` ON `inputs` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outputs` (
	`id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`integration` text NOT NULL,
	`name` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`secret_settings` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outputs_workspace_idx` ON `outputs` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `request_dedupe` (
	`input_id` integer NOT NULL,
	`request_key` text NOT NULL,
	`batch_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`input_id`, `request_key`)
);
--> statement-breakpoint
CREATE INDEX `request_dedupe_received_idx` ON `request_dedupe` (`received_at`);--> statement-breakpoint
CREATE TABLE `system_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer,
	`connection_id` integer NOT NULL,
	`output_id` integer,
	`environment` text,
	`kind` text NOT NULL,
	`status_code` integer,
	`message` text NOT NULL,
	`response` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `system_alerts_connection_idx` ON `system_alerts` (`connection_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` integer PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`name` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
