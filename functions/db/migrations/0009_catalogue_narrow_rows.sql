-- Browsing counts and facets visit every matching row: keep the rows narrow by storing the full
-- metadata (and the text vector) out of line, so a page of the table holds many datasets and a
-- count over thousands of matches reads few pages. The record is read only for one dataset at a
-- time or a page of twenty.
ALTER TABLE "catalogue_datasets" ALTER COLUMN "metadata" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "catalogue_datasets" SET (toast_tuple_target = 128);
