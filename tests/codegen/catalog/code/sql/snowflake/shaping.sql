-- Snowflake SQL for the pipeline shaping, written by Sluice from pipelines/shaping.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- append_out: Append out
INSERT INTO "SHOP"."SALES_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"BIG_SALES" AS (
  -- Big sales (Filter)
  SELECT * FROM "SALES" WHERE ((("AMOUNT" > 50) AND ("CHANNEL" IN ('web', 'store'))) AND ("NOTE" IS NULL))
)
SELECT * FROM "BIG_SALES";

-- write_pivoted: Write pivoted
INSERT INTO "SHOP"."PIVOTED_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"PIVOTED" AS (
  -- Pivoted (Aggregate)
  SELECT
    "REGION_ID" AS "REGION_ID",
    SUM(CASE WHEN "CHANNEL" = 'web' THEN "AMOUNT" END) AS "WEB",
    SUM(CASE WHEN "CHANNEL" = 'store' THEN "AMOUNT" END) AS "STORE"
  FROM "SALES"
  GROUP BY "REGION_ID"
)
SELECT * FROM "PIVOTED";

-- write_distinct_rows: Write distinct_rows
CREATE TABLE "SHOP"."DISTINCT_ROWS_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"DISTINCT_ROWS" AS (
  -- Distinct rows (Deduplicate)
  SELECT DISTINCT * FROM "SALES"
)
SELECT * FROM "DISTINCT_ROWS";

-- write_first_per_region: Write first_per_region
CREATE TABLE IF NOT EXISTS "SHOP"."FIRST_PER_REGION_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"FIRST_PER_REGION" AS (
  -- First per region (Deduplicate)
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE"
  FROM (
    SELECT *, row_number() OVER (PARTITION BY "REGION_ID" ORDER BY "SOLD_ON" DESC NULLS LAST) AS "_SLUICE_ROW" FROM "SALES"
  )
  WHERE "_SLUICE_ROW" = 1
)
SELECT * FROM "FIRST_PER_REGION";

-- write_last_per_region: Write last_per_region
INSERT OVERWRITE INTO "SHOP"."LAST_PER_REGION_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"LAST_PER_REGION" AS (
  -- Last per region (Deduplicate)
  SELECT "SALE_ID", "REGION_ID", "SOLD_ON", "AMOUNT", "CHANNEL", "NOTE"
  FROM (
    SELECT *, row_number() OVER (PARTITION BY "REGION_ID" ORDER BY "SOLD_ON" DESC) AS "_SLUICE_ROW" FROM "SALES"
  )
  WHERE "_SLUICE_ROW" = 1
)
SELECT * FROM "LAST_PER_REGION";

-- write_sorted: Write sorted
INSERT INTO "SHOP"."SORTED_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"SORTED" AS (
  -- Sorted (OrderBy)
  SELECT * FROM "SALES" ORDER BY "AMOUNT" DESC NULLS FIRST, "SALE_ID" ASC NULLS LAST
)
SELECT * FROM "SORTED";

-- write_first_ten: Write first_ten
CREATE TABLE "SHOP"."FIRST_TEN_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"FIRST_TEN" AS (
  -- First ten (Limit)
  SELECT * FROM "SALES" LIMIT 10
)
SELECT * FROM "FIRST_TEN";

-- write_reshaped: Write reshaped
CREATE TABLE IF NOT EXISTS "SHOP"."RESHAPED_OUT" AS
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"RESHAPED" AS (
  -- Reshaped (SchemaTransform)
  SELECT
    "SALE_ID" AS "SALE_ID",
    CAST("REGION_ID" AS BIGINT) AS "REGION_ID",
    "SOLD_ON" AS "SOLD_ON",
    "AMOUNT" AS "AMOUNT",
    "CHANNEL" AS "SOLD_VIA",
    ("AMOUNT" * 0.92) AS "AMOUNT_EUR"
  FROM "SALES"
)
SELECT * FROM "RESHAPED";

-- write_running_total: Write running_total
INSERT OVERWRITE INTO "SHOP"."RUNNING_TOTAL_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"RUNNING_TOTAL" AS (
  -- Running total (Window)
  SELECT
    *,
    SUM("AMOUNT") OVER (PARTITION BY "REGION_ID" ORDER BY "SOLD_ON" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "RUNNING_TOTAL",
    LAG("AMOUNT", 1) OVER (PARTITION BY "REGION_ID" ORDER BY "SOLD_ON" ASC) AS "PREVIOUS_AMOUNT"
  FROM "SALES"
)
SELECT * FROM "RUNNING_TOTAL";

-- write_computed: Write computed
INSERT INTO "SHOP"."COMPUTED_OUT"
WITH "SALES" AS (
  -- Sales (Source)
  SELECT * FROM "SHOP"."SALES"
),
"COMPUTED" AS (
  -- Computed (Reformat)
  SELECT
    "SALE_ID" AS "SALE_ID",
    YEAR("SOLD_ON") AS "YEAR",
    CASE WHEN ("AMOUNT" >= 100) THEN 'large' ELSE 'small' END AS "SIZE",
    UPPER(COALESCE("CHANNEL", 'unknown')) AS "CHANNEL"
  FROM "SALES"
)
SELECT * FROM "COMPUTED";
