-- Snowflake SQL for the pipeline revenue_by_month, written by Sluice from pipelines/revenue_by_month.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_revenue_by_month: Write revenue_by_month
INSERT OVERWRITE INTO "RETAIL"."REVENUE_BY_MONTH"
WITH "ORDERS_ENRICHED" AS (
  -- Orders enriched (Source)
  SELECT * FROM "RETAIL"."ORDERS_ENRICHED"
),
"REVENUE_PER_SEGMENT" AS (
  -- Revenue per segment (Aggregate)
  SELECT
    "ORDER_MONTH" AS "ORDER_MONTH",
    SUM(CASE WHEN "SEGMENT" = 'Consumer' THEN "LINE_TOTAL" END) AS "CONSUMER",
    SUM(CASE WHEN "SEGMENT" = 'Corporate' THEN "LINE_TOTAL" END) AS "CORPORATE",
    SUM(CASE WHEN "SEGMENT" = 'Home Office' THEN "LINE_TOTAL" END) AS "HOME OFFICE"
  FROM "ORDERS_ENRICHED"
  GROUP BY "ORDER_MONTH"
),
"BY_MONTH" AS (
  -- By month (OrderBy)
  SELECT * FROM "REVENUE_PER_SEGMENT" ORDER BY "ORDER_MONTH" ASC
)
SELECT * FROM "BY_MONTH";
