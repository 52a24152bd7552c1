CREATE TABLE `rule_attachments` (
	`kind` text NOT NULL,
	`target_id` integer NOT NULL,
	`position` integer NOT NULL,
	`rule_id` integer NOT NULL,
	PRIMARY KEY(`kind`, `target_id`, `position`),
	FOREIGN KEY (`rule_id`) REFERENCES `rules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rule_attachments_rule_idx` ON `rule_attachments` (`rule_id`);--> statement-breakpoint
CREATE TABLE `rule_counters` (
	`rule_id` integer NOT NULL,
	`hour` text NOT NULL,
	`invocations` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`throttles` integer DEFAULT 0 NOT NULL,
	`timeouts` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`dropped_batches` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`rule_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `rule_latency` (
	`rule_id` integer NOT NULL,
	`hour` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`rule_id`, `hour`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `rule_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rule_logs_rule_idx` ON `rule_logs` (`rule_id`,`id`);--> statement-breakpoint
CREATE TABLE `rule_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`version` integer NOT NULL,
	`locator` text NOT NULL,
	`failure_action` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`rule_id`) REFERENCES `rules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rule_versions_uq` ON `rule_versions` (`rule_id`,`version`);--> statement-breakpoint
CREATE TABLE `rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`failure_action` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`locator` text NOT NULL,
	`secret_sealed` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rules_workspace_idx` ON `rules` (`workspace_id`);