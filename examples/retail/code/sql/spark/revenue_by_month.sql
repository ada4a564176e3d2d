-- Spark SQL for the pipeline revenue_by_month, written by Sluice from pipelines/revenue_by_month.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_revenue_by_month: Write revenue_by_month
INSERT OVERWRITE TABLE `retail`.`revenue_by_month`
WITH `orders_enriched` AS (
  -- Orders enriched (Source)
  SELECT * FROM `retail`.`orders_enriched`
),
`revenue_per_segment` AS (
  -- Revenue per segment (Aggregate)
  SELECT
    `order_month` AS `order_month`,
    sum(CASE WHEN `segment` = 'Consumer' THEN `line_total` END) AS `Consumer`,
    sum(CASE WHEN `segment` = 'Corporate' THEN `line_total` END) AS `Corporate`,
    sum(CASE WHEN `segment` = 'Home Office' THEN `line_total` END) AS `Home Office`
  FROM `orders_enriched`
  GROUP BY `order_month`
),
`by_month` AS (
  -- By month (OrderBy)
  SELECT * FROM `revenue_per_segment` ORDER BY `order_month` ASC
)
SELECT * FROM `by_month`;
