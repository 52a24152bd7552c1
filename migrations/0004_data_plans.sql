CREATE TABLE `data_catalog` (
	`workspace_id` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`environment` text NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `kind`, `name`, `environment`)
);
--> statement-breakpoint
CREATE TABLE `data_plan_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_row_id` integer NOT NULL,
	`version` integer NOT NULL,
	`description` text,
	`activated_environment` text DEFAULT 'none' NOT NULL,
	`blocking` text NOT NULL,
	`quarantine_connection_id` integer,
	`document` text NOT NULL,
	`created_by` text,
	`last_modified_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`plan_row_id`) REFERENCES `data_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_plan_versions_plan_version_uq` ON `data_plan_versions` (`plan_row_id`,`version`);--> statement-breakpoint
CREATE TABLE `data_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`plan_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`generation` text NOT NULL,
	`created_by` text,
	`last_modified_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_plans_workspace_plan_uq` ON `data_plans` (`workspace_id`,`plan_id`);--> statement-breakpoint
CREATE TABLE `plan_validation_counts` (
	`version_row_id` integer NOT NULL,
	`hour` text NOT NULL,
	`data_point` text NOT NULL,
	`error_type` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`version_row_id`, `hour`, `data_point`, `error_type`)
);
--> statement-breakpoint
CREATE TABLE `plan_validation_examples` (
	`version_row_id` integer PRIMARY KEY NOT NULL,
	`examples` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `input_counters` ADD `data_plan_not_found` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Data migration (hand-written): plans stored in workspaces.settings.dataPlans move to data_plans / data_plan_versions.
INSERT INTO `data_plans` (`workspace_id`, `plan_id`, `name`, `description`, `generation`)
SELECT w.`id`, p.key, coalesce(json_extract(p.value, '$.data_plan_name'), p.key), json_extract(p.value, '$.data_plan_description'), lower(hex(randomblob(16)))
FROM `workspaces` w, json_each(w.`settings`, '$.dataPlans') p
WHERE json_type(w.`settings`, '$.dataPlans') = 'object';
--> statement-breakpoint
INSERT INTO `data_plan_versions` (`plan_row_id`, `version`, `description`, `activated_environment`, `blocking`, `document`)
SELECT dp.`id`, CAST(v.key AS INTEGER), json_extract(v.value, '$.version_description'), coalesce(json_extract(v.value, '$.activated_environment'), 'none'),
  json_object('ev', json(CASE WHEN json_extract(v.value, '$.blocking.ev') THEN 'true' ELSE 'false' END), 'ea', json(CASE WHEN json_extract(v.value, '$.blocking.ea') THEN 'true' ELSE 'false' END),
              'ua', json(CASE WHEN json_extract(v.value, '$.blocking.ua') THEN 'true' ELSE 'false' END), 'id', json(CASE WHEN json_extract(v.value, '$.blocking.id') THEN 'true' ELSE 'false' END)),
  coalesce(json_extract(v.value, '$.version_document'), '{"data_points":[]}')
FROM `workspaces` w, json_each(w.`settings`, '$.dataPlans') p
JOIN `data_plans` dp ON dp.`workspace_id` = w.`id` AND dp.`plan_id` = p.key, json_each(p.value, '$.versions') v
WHERE json_type(w.`settings`, '$.dataPlans') = 'object';
--> statement-breakpoint
UPDATE `workspaces` SET `settings` = json_remove(`settings`, '$.dataPlans') WHERE json_type(`settings`, '$.dataPlans') IS NOT NULL;
