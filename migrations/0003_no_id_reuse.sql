-- Hand-edited (see docs/security.md "Ids and generations"). D1 ignores PRAGMA foreign_keys=OFF, so foreign key
-- checks are deferred to the end of this migration's transaction, and each table is rebuilt under its own name
-- (copy aside, drop, create with AUTOINCREMENT, copy back): the drop counts its children's references as deferred
-- violations and copying the rows back into the table of that name resolves them (a rename would not). No
-- foreign key here cascades, so the drops delete nothing else.
PRAGMA defer_foreign_keys = true;--> statement-breakpoint
CREATE TABLE `__old_accounts` AS SELECT * FROM `accounts`;--> statement-breakpoint
DROP TABLE `accounts`;--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `accounts`("id", "organization_id", "name", "created_at", "updated_at") SELECT "id", "organization_id", "name", "created_at", "updated_at" FROM `__old_accounts`;--> statement-breakpoint
DROP TABLE `__old_accounts`;--> statement-breakpoint
CREATE TABLE `__old_api_clients` AS SELECT * FROM `api_clients`;--> statement-breakpoint
DROP TABLE `api_clients`;--> statement-breakpoint
CREATE TABLE `api_clients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
INSERT INTO `api_clients`("id", "organization_id", "name", "client_id", "secret_hash", "revoked_at", "created_at", "updated_at") SELECT "id", "organization_id", "name", "client_id", "secret_hash", "revoked_at", "created_at", "updated_at" FROM `__old_api_clients`;--> statement-breakpoint
DROP TABLE `__old_api_clients`;--> statement-breakpoint
CREATE UNIQUE INDEX `api_clients_client_id_uq` ON `api_clients` (`client_id`);--> statement-breakpoint
CREATE TABLE `__old_apps` AS SELECT * FROM `apps`;--> statement-breakpoint
DROP TABLE `apps`;--> statement-breakpoint
CREATE TABLE `apps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `apps`("id", "workspace_id", "name", "created_at", "updated_at") SELECT "id", "workspace_id", "name", "created_at", "updated_at" FROM `__old_apps`;--> statement-breakpoint
DROP TABLE `__old_apps`;--> statement-breakpoint
CREATE INDEX `apps_workspace_idx` ON `apps` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `__old_connections` AS SELECT * FROM `connections`;--> statement-breakpoint
DROP TABLE `connections`;--> statement-breakpoint
CREATE TABLE `connections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`input_id` integer NOT NULL,
	`output_id` integer NOT NULL,
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
DROP TABLE `__old_connections`;--> statement-breakpoint
CREATE UNIQUE INDEX `connections_input_output_uq` ON `connections` (`input_id`,`output_id`);--> statement-breakpoint
CREATE INDEX `connections_output_idx` ON `connections` (`output_id`);--> statement-breakpoint
CREATE TABLE `__old_data_point_filters` AS SELECT * FROM `data_point_filters`;--> statement-breakpoint
DROP TABLE `data_point_filters`;--> statement-breakpoint
CREATE TABLE `data_point_filters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
INSERT INTO `data_point_filters`("id", "app_id", "integration", "type", "name", "event_type", "attribute_name", "enabled", "created_at", "updated_at") SELECT "id", "app_id", "integration", "type", "name", "event_type", "attribute_name", "enabled", "created_at", "updated_at" FROM `__old_data_point_filters`;--> statement-breakpoint
DROP TABLE `__old_data_point_filters`;--> statement-breakpoint
CREATE UNIQUE INDEX `data_point_filters_uq` ON `data_point_filters` (`app_id`,`integration`,`type`,`name`,`event_type`,`attribute_name`);--> statement-breakpoint
CREATE TABLE `__old_data_points` AS SELECT * FROM `data_points`;--> statement-breakpoint
DROP TABLE `data_points`;--> statement-breakpoint
CREATE TABLE `data_points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`app_id` integer NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`event_type` text DEFAULT '' NOT NULL,
	`attribute_name` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
INSERT INTO `data_points`("id", "app_id", "type", "name", "event_type", "attribute_name", "created_at", "updated_at") SELECT "id", "app_id", "type", "name", "event_type", "attribute_name", "created_at", "updated_at" FROM `__old_data_points`;--> statement-breakpoint
DROP TABLE `__old_data_points`;--> statement-breakpoint
CREATE UNIQUE INDEX `data_points_uq` ON `data_points` (`app_id`,`type`,`name`,`event_type`,`attribute_name`);--> statement-breakpoint
CREATE TABLE `__old_inputs` AS SELECT * FROM `inputs`;--> statement-breakpoint
DROP TABLE `inputs`;--> statement-breakpoint
CREATE TABLE `inputs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`kind` text NOT NULL,
	`platform` text NOT NULL,
	`app_id` integer,
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
INSERT INTO `inputs`("id", "workspace_id", "kind", "platform", "app_id", "name", "api_key", "secret_hash", "status", "settings", "created_at", "updated_at") SELECT "id", "workspace_id", "kind", "platform", "app_id", "name", "api_key", "secret_hash", "status", "settings", "created_at", "updated_at" FROM `__old_inputs`;--> statement-breakpoint
DROP TABLE `__old_inputs`;--> statement-breakpoint
CREATE UNIQUE INDEX `inputs_api_key_uq` ON `inputs` (`api_key`);--> statement-breakpoint
CREATE INDEX `inputs_workspace_idx` ON `inputs` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `__old_organizations` AS SELECT * FROM `organizations`;--> statement-breakpoint
DROP TABLE `organizations`;--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
INSERT INTO `organizations`("id", "name", "created_at", "updated_at") SELECT "id", "name", "created_at", "updated_at" FROM `__old_organizations`;--> statement-breakpoint
DROP TABLE `__old_organizations`;--> statement-breakpoint
CREATE TABLE `__old_outputs` AS SELECT * FROM `outputs`;--> statement-breakpoint
DROP TABLE `outputs`;--> statement-breakpoint
CREATE TABLE `outputs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
INSERT INTO `outputs`("id", "workspace_id", "integration", "name", "settings", "secret_settings", "created_at", "updated_at") SELECT "id", "workspace_id", "integration", "name", "settings", "secret_settings", "created_at", "updated_at" FROM `__old_outputs`;--> statement-breakpoint
DROP TABLE `__old_outputs`;--> statement-breakpoint
CREATE INDEX `outputs_workspace_idx` ON `outputs` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `__old_workspace_credentials` AS SELECT * FROM `workspace_credentials`;--> statement-breakpoint
DROP TABLE `workspace_credentials`;--> statement-breakpoint
CREATE TABLE `workspace_credentials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`key` text NOT NULL,
	`secret_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `workspace_credentials`("id", "workspace_id", "key", "secret_hash", "status", "created_at", "updated_at") SELECT "id", "workspace_id", "key", "secret_hash", "status", "created_at", "updated_at" FROM `__old_workspace_credentials`;--> statement-breakpoint
DROP TABLE `__old_workspace_credentials`;--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_credentials_key_uq` ON `workspace_credentials` (`key`);--> statement-breakpoint
CREATE INDEX `workspace_credentials_workspace_idx` ON `workspace_credentials` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `__old_workspaces` AS SELECT * FROM `workspaces`;--> statement-breakpoint
DROP TABLE `workspaces`;--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`name` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `workspaces`("id", "account_id", "name", "settings", "created_at", "updated_at") SELECT "id", "account_id", "name", "settings", "created_at", "updated_at" FROM `__old_workspaces`;--> statement-breakpoint
DROP TABLE `__old_workspaces`;