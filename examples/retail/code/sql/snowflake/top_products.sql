-- Snowflake SQL for the pipeline top_products, written by Sluice from pipelines/top_products.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_top_products: Write top_products
INSERT OVERWRITE INTO "RETAIL"."TOP_PRODUCTS"
WITH "ORDERS" AS (
  -- Orders (Source)
  SELECT * FROM "RETAIL"."ORDERS"
),
"PRODUCTS" AS (
  -- Products (Source)
  SELECT * FROM "RETAIL"."PRODUCTS"
),
"REVENUE_PER_PRODUCT" AS (
  -- Revenue per product (Aggregate)
  SELECT
    "PRODUCT_ID" AS "PRODUCT_ID",
    SUM((("QUANTITY" * "UNIT_PRICE") * (1 - COALESCE("DISCOUNT", 0)))) AS "REVENUE"
  FROM "ORDERS"
  GROUP BY "PRODUCT_ID"
),
"WITH_PRODUCTS" AS (
  -- With products (Join)
  SELECT
    "IN1"."CATEGORY" AS "CATEGORY",
    "IN1"."PRODUCT_NAME" AS "PRODUCT_NAME",
    "IN0"."REVENUE" AS "REVENUE"
  FROM "REVENUE_PER_PRODUCT" AS "IN0"
  INNER JOIN "PRODUCTS" AS "IN1" ON ("IN0"."PRODUCT_ID" = "IN1"."PRODUCT_ID")
),
"RANK_IN_CATEGORY" AS (
  -- Rank in category (Window)
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY "CATEGORY" ORDER BY "REVENUE" DESC) AS "RANK"
  FROM "WITH_PRODUCTS"
),
"TOP_FIVE" AS (
  -- Top five (Filter)
  SELECT * FROM "RANK_IN_CATEGORY" WHERE ("RANK" <= 5)
),
"AT_MOST_100" AS (
  -- At most 100 (Limit)
  SELECT * FROM "TOP_FIVE" LIMIT 100
)
SELECT * FROM "AT_MOST_100";
