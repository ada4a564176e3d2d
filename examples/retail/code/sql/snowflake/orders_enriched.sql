-- Snowflake SQL for the pipeline orders_enriched, written by Sluice from pipelines/orders_enriched.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_orders_enriched: Write orders_enriched
INSERT OVERWRITE INTO "RETAIL"."ORDERS_ENRICHED"
WITH "ORDERS" AS (
  -- Orders (Source)
  SELECT * FROM "RETAIL"."ORDERS"
),
"CUSTOMERS" AS (
  -- Customers (Source)
  SELECT * FROM "RETAIL"."CUSTOMERS"
),
"PRODUCTS" AS (
  -- Products (Source)
  SELECT * FROM "RETAIL"."PRODUCTS"
),
"COMPLETED_ORDERS" AS (
  -- Completed orders (Filter)
  SELECT * FROM "ORDERS" WHERE ("STATUS" = 'completed')
),
"JOIN_CUSTOMERS_PRODUCTS" AS (
  -- Join customers and products (Join)
  SELECT
    "IN0"."ORDER_ID" AS "ORDER_ID",
    "IN0"."LINE_NO" AS "LINE_NO",
    "IN0"."ORDER_DATE" AS "ORDER_DATE",
    "IN0"."CUSTOMER_ID" AS "CUSTOMER_ID",
    "IN1"."FIRST_NAME" AS "FIRST_NAME",
    "IN1"."LAST_NAME" AS "LAST_NAME",
    "IN1"."SEGMENT" AS "SEGMENT",
    "IN1"."COUNTRY" AS "COUNTRY",
    "IN0"."PRODUCT_ID" AS "PRODUCT_ID",
    "IN2"."PRODUCT_NAME" AS "PRODUCT_NAME",
    "IN2"."CATEGORY" AS "CATEGORY",
    "IN0"."QUANTITY" AS "QUANTITY",
    "IN0"."UNIT_PRICE" AS "UNIT_PRICE",
    "IN0"."DISCOUNT" AS "DISCOUNT"
  FROM "COMPLETED_ORDERS" AS "IN0"
  LEFT JOIN "CUSTOMERS" AS "IN1" ON ("IN0"."CUSTOMER_ID" = "IN1"."CUSTOMER_ID")
  LEFT JOIN "PRODUCTS" AS "IN2" ON ("IN0"."PRODUCT_ID" = "IN2"."PRODUCT_ID")
),
"LINE_TOTALS" AS (
  -- Line totals (Reformat)
  SELECT
    "ORDER_ID" AS "ORDER_ID",
    "LINE_NO" AS "LINE_NO",
    "ORDER_DATE" AS "ORDER_DATE",
    TO_DATE(DATE_TRUNC('MONTH', "ORDER_DATE")) AS "ORDER_MONTH",
    "CUSTOMER_ID" AS "CUSTOMER_ID",
    CONCAT("FIRST_NAME", ' ', "LAST_NAME") AS "CUSTOMER_NAME",
    "SEGMENT" AS "SEGMENT",
    "COUNTRY" AS "COUNTRY",
    "PRODUCT_ID" AS "PRODUCT_ID",
    "PRODUCT_NAME" AS "PRODUCT_NAME",
    "CATEGORY" AS "CATEGORY",
    "QUANTITY" AS "QUANTITY",
    (("QUANTITY" * "UNIT_PRICE") * (1 - COALESCE("DISCOUNT", 0))) AS "LINE_TOTAL"
  FROM "JOIN_CUSTOMERS_PRODUCTS"
)
SELECT * FROM "LINE_TOTALS";
