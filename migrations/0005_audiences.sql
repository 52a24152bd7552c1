PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audience_set_versions` (
	`workspace_id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_audience_set_versions`("workspace_id", "version") SELECT "workspace_id", "version" FROM `audience_set_versions`;--> statement-breakpoint
DROP TABLE `audience_set_versions`;--> statement-breakpoint
ALTER TABLE `__new_audience_set_versions` RENAME TO `audience_set_versions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;