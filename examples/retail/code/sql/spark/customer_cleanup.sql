-- Spark SQL for the pipeline customer_cleanup, written by Sluice from pipelines/customer_cleanup.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_customers_by_country: Write customers_by_country
INSERT OVERWRITE TABLE `retail`.`customers_by_country`
WITH `customers` AS (
  -- Customers (Source)
  SELECT * FROM `retail`.`customers`
),
`legacy_customers` AS (
  -- Legacy customers (Source)
  SELECT * FROM `retail`.`legacy_customers`
),
`all_customers` AS (
  -- All customers (SetOperation)
  SELECT `customer_id`, `first_name`, `last_name`, `email`, `segment`, `country`, `city`, `signup_date`, `newsletter`, `note` FROM `customers`
  UNION ALL
  SELECT `customer_id`, `first_name`, `last_name`, `email`, `segment`, `country`, `city`, `signup_date`, `newsletter`, `note` FROM `legacy_customers`
),
`latest_per_email` AS (
  -- Latest per e-mail (Deduplicate)
  SELECT `customer_id`, `first_name`, `last_name`, `email`, `segment`, `country`, `city`, `signup_date`, `newsletter`, `note`
  FROM (
    SELECT *, row_number() OVER (PARTITION BY `email` ORDER BY `signup_date` DESC) AS `_sluice_row` FROM `all_customers`
  )
  WHERE `_sluice_row` = 1
),
`tidy_columns` AS (
  -- Tidy columns (SchemaTransform)
  SELECT
    CAST(`customer_id` AS STRING) AS `customer_id`,
    `first_name` AS `first_name`,
    `last_name` AS `last_name`,
    `email` AS `email`,
    `segment` AS `segment`,
    `country` AS `country`,
    `city` AS `city`,
    `signup_date` AS `signup_date`,
    `newsletter` AS `subscribed`
  FROM `latest_per_email`
),
`count_per_country` AS (
  -- Count per country (SQLStatement)
  WITH `customers` AS (SELECT * FROM `tidy_columns`)
  SELECT country, count(*) AS customers
FROM customers
GROUP BY country
)
SELECT * FROM `count_per_country`;
