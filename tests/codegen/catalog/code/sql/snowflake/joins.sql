-- Snowflake SQL for the pipeline joins, written by Sluice from pipelines/joins.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_right_join: Write right_join
INSERT OVERWRITE INTO "SHOP"."RIGHT_JOIN_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"REGIONS" AS (
  -- Regions (Source)
  SELECT * FROM "SHOP"."REGIONS"
),
"RIGHT_JOIN" AS (
  -- Right join (Join)
  SELECT
    "IN0"."SALE_ID" AS "SALE_ID",
    "IN1"."REGION" AS "REGION"
  FROM "SALES" AS "IN0"
  RIGHT JOIN "REGIONS" AS "IN1" ON ("IN0"."REGION_ID" = "IN1"."REGION_ID")
)
SELECT * FROM "RIGHT_JOIN";

-- write_full_join: Write full_join
INSERT INTO "SHOP"."FULL_JOIN_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"REGIONS" AS (
  -- Regions (Source)
  SELECT * FROM "SHOP"."REGIONS"
),
"FULL_JOIN" AS (
  -- Full join (Join)
  SELECT
    "IN0"."SALE_ID" AS "SALE_ID",
    "IN1"."REGION" AS "REGION"
  FROM "SALES" AS "IN0"
  FULL OUTER JOIN "REGIONS" AS "IN1" ON ("IN0"."REGION_ID" = "IN1"."REGION_ID")
)
SELECT * FROM "FULL_JOIN";

-- write_semi_join: Write semi_join
CREATE TABLE "SHOP"."SEMI_JOIN_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"REGIONS" AS (
  -- Regions (Source)
  SELECT * FROM "SHOP"."REGIONS"
),
"SEMI_JOIN" AS (
  -- Semi join (Join)
  SELECT
    "IN0".*
  FROM "SALES" AS "IN0"
  WHERE EXISTS (SELECT 1 FROM "REGIONS" AS "IN1" WHERE ("IN0"."REGION_ID" = "IN1"."REGION_ID"))
)
SELECT * FROM "SEMI_JOIN";

-- write_anti_join: Write anti_join
CREATE TABLE IF NOT EXISTS "SHOP"."ANTI_JOIN_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"REGIONS" AS (
  -- Regions (Source)
  SELECT * FROM "SHOP"."REGIONS"
),
"ANTI_JOIN" AS (
  -- Anti join (Join)
  SELECT
    "IN0".*
  FROM "SALES" AS "IN0"
  WHERE NOT EXISTS (SELECT 1 FROM "REGIONS" AS "IN1" WHERE ("IN0"."REGION_ID" = "IN1"."REGION_ID"))
)
SELECT * FROM "ANTI_JOIN";

-- write_three_way: Write three_way
INSERT OVERWRITE INTO "SHOP"."THREE_WAY_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"REGIONS" AS (
  -- Regions (Source)
  SELECT * FROM "SHOP"."REGIONS"
),
"ARCHIVE" AS (
  -- Archive (Source)
  SELECT * FROM "SHOP"."SALES_ARCHIVE"
),
"THREE_WAY" AS (
  -- Three way (Join)
  SELECT
    "IN0"."SALE_ID" AS "SALE_ID",
    "IN1"."MANAGER" AS "MANAGER",
    "IN2"."AMOUNT" AS "ARCHIVED_AMOUNT"
  FROM "SALES" AS "IN0"
  LEFT JOIN "REGIONS" AS "IN1" ON ("IN0"."REGION_ID" = "IN1"."REGION_ID")
  INNER JOIN "ARCHIVE" AS "IN2" ON ("IN0"."SALE_ID" = "IN2"."SALE_ID")
)
SELECT * FROM "THREE_WAY";
