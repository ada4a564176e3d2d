-- Snowflake SQL for the pipeline customer_cleanup, written by Sluice from pipelines/customer_cleanup.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_customers_by_country: Write customers_by_country
INSERT OVERWRITE INTO "RETAIL"."CUSTOMERS_BY_COUNTRY"
WITH "CUSTOMERS" AS (
  -- Customers (Source)
  SELECT * FROM "RETAIL"."CUSTOMERS"
),
"LEGACY_CUSTOMERS" AS (
  -- Legacy customers (Source)
  SELECT * FROM "RETAIL"."LEGACY_CUSTOMERS"
),
"ALL_CUSTOMERS" AS (
  -- All customers (SetOperation)
  SELECT "CUSTOMER_ID", "FIRST_NAME", "LAST_NAME", "EMAIL", "SEGMENT", "COUNTRY", "CITY", "SIGNUP_DATE", "NEWSLETTER", "NOTE" FROM "CUSTOMERS"
  UNION ALL
  SELECT "CUSTOMER_ID", "FIRST_NAME", "LAST_NAME", "EMAIL", "SEGMENT", "COUNTRY", "CITY", "SIGNUP_DATE", "NEWSLETTER", "NOTE" FROM "LEGACY_CUSTOMERS"
),
"LATEST_PER_EMAIL" AS (
  -- Latest per e-mail (Deduplicate)
  SELECT "CUSTOMER_ID", "FIRST_NAME", "LAST_NAME", "EMAIL", "SEGMENT", "COUNTRY", "CITY", "SIGNUP_DATE", "NEWSLETTER", "NOTE"
  FROM (
    SELECT *, row_number() OVER (PARTITION BY "EMAIL" ORDER BY "SIGNUP_DATE" DESC) AS "_SLUICE_ROW" FROM "ALL_CUSTOMERS"
  )
  WHERE "_SLUICE_ROW" = 1
),
"TIDY_COLUMNS" AS (
  -- Tidy columns (SchemaTransform)
  SELECT
    CAST("CUSTOMER_ID" AS VARCHAR) AS "CUSTOMER_ID",
    "FIRST_NAME" AS "FIRST_NAME",
    "LAST_NAME" AS "LAST_NAME",
    "EMAIL" AS "EMAIL",
    "SEGMENT" AS "SEGMENT",
    "COUNTRY" AS "COUNTRY",
    "CITY" AS "CITY",
    "SIGNUP_DATE" AS "SIGNUP_DATE",
    "NEWSLETTER" AS "SUBSCRIBED"
  FROM "LATEST_PER_EMAIL"
),
"COUNT_PER_COUNTRY" AS (
  -- Count per country (SQLStatement)
  WITH "CUSTOMERS" AS (SELECT * FROM "TIDY_COLUMNS")
  SELECT country, count(*) AS customers
FROM customers
GROUP BY country
)
SELECT * FROM "COUNT_PER_COUNTRY";
