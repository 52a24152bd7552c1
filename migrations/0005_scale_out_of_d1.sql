DROP TABLE `request_dedupe`;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `events` integer;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `replay_of` text;