-- Snowflake SQL for the pipeline set_operations, written by Sluice from pipelines/set_operations.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_union_by_name: Write union_by_name
INSERT INTO "SHOP"."UNION_BY_NAME_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"ARCHIVE" AS (
  -- Archive (Source)
  SELECT * FROM "SHOP"."SALES_ARCHIVE"
),
"UNION_BY_NAME" AS (
  -- Union by name (SetOperation)
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE" FROM "SALES"
  UNION
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE" FROM "ARCHIVE"
)
SELECT * FROM "UNION_BY_NAME";

-- write_union_all_by_position: Write union_all_by_position
CREATE TABLE "SHOP"."UNION_ALL_BY_POSITION_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"ARCHIVE" AS (
  -- Archive (Source)
  SELECT * FROM "SHOP"."SALES_ARCHIVE"
),
"UNION_ALL_BY_POSITION" AS (
  -- Union all by position (SetOperation)
  SELECT * FROM "SALES"
  UNION ALL
  SELECT * FROM "ARCHIVE"
)
SELECT * FROM "UNION_ALL_BY_POSITION";

-- write_intersect_by_name: Write intersect_by_name
CREATE TABLE IF NOT EXISTS "SHOP"."INTERSECT_BY_NAME_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"ARCHIVE" AS (
  -- Archive (Source)
  SELECT * FROM "SHOP"."SALES_ARCHIVE"
),
"INTERSECT_BY_NAME" AS (
  -- Intersect by name (SetOperation)
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE" FROM "SALES"
  INTERSECT
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE" FROM "ARCHIVE"
)
SELECT * FROM "INTERSECT_BY_NAME";

-- write_except_by_name: Write except_by_name
INSERT OVERWRITE INTO "SHOP"."EXCEPT_BY_NAME_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"ARCHIVE" AS (
  -- Archive (Source)
  SELECT * FROM "SHOP"."SALES_ARCHIVE"
),
"EXCEPT_BY_NAME" AS (
  -- Except by name (SetOperation)
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE" FROM "SALES"
  EXCEPT
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE" FROM "ARCHIVE"
)
SELECT * FROM "EXCEPT_BY_NAME";
