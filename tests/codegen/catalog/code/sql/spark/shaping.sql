-- Spark SQL for the pipeline shaping, written by Sluice from pipelines/shaping.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- append_out: Append out
INSERT INTO `shop`.`sales_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`big_sales` AS (
  -- Big sales (Filter)
  SELECT * FROM `sales` WHERE (((`amount` > 50) AND (`channel` IN ('web', 'store'))) AND (`note` IS NULL))
)
SELECT * FROM `big_sales`;

-- write_pivoted: Write pivoted
INSERT INTO `shop`.`pivoted_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`pivoted` AS (
  -- Pivoted (Aggregate)
  SELECT
    `region_id` AS `region_id`,
    sum(CASE WHEN `channel` = 'web' THEN `amount` END) AS `web`,
    sum(CASE WHEN `channel` = 'store' THEN `amount` END) AS `store`
  FROM `sales`
  GROUP BY `region_id`
)
SELECT * FROM `pivoted`;

-- write_distinct_rows: Write distinct_rows
CREATE TABLE `shop`.`distinct_rows_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`distinct_rows` AS (
  -- Distinct rows (Deduplicate)
  SELECT DISTINCT * FROM `sales`
)
SELECT * FROM `distinct_rows`;

-- write_first_per_region: Write first_per_region
CREATE TABLE IF NOT EXISTS `shop`.`first_per_region_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`first_per_region` AS (
  -- First per region (Deduplicate)
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note`
  FROM (
    SELECT *, row_number() OVER (PARTITION BY `region_id` ORDER BY `sold_on` DESC NULLS LAST) AS `_sluice_row` FROM `sales`
  )
  WHERE `_sluice_row` = 1
)
SELECT * FROM `first_per_region`;

-- write_last_per_region: Write last_per_region
INSERT OVERWRITE TABLE `shop`.`last_per_region_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`last_per_region` AS (
  -- Last per region (Deduplicate)
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note`
  FROM (
    SELECT *, row_number() OVER (PARTITION BY `region_id` ORDER BY `sold_on` DESC) AS `_sluice_row` FROM `sales`
  )
  WHERE `_sluice_row` = 1
)
SELECT * FROM `last_per_region`;

-- write_sorted: Write sorted
INSERT INTO `shop`.`sorted_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`sorted` AS (
  -- Sorted (OrderBy)
  SELECT * FROM `sales` ORDER BY `amount` DESC NULLS FIRST, `sale_id` ASC NULLS LAST
)
SELECT * FROM `sorted`;

-- write_first_ten: Write first_ten
CREATE TABLE `shop`.`first_ten_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`first_ten` AS (
  -- First ten (Limit)
  SELECT * FROM `sales` LIMIT 10
)
SELECT * FROM `first_ten`;

-- write_reshaped: Write reshaped
CREATE TABLE IF NOT EXISTS `shop`.`reshaped_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`reshaped` AS (
  -- Reshaped (SchemaTransform)
  SELECT
    `sale_id` AS `sale_id`,
    CAST(`region_id` AS BIGINT) AS `region_id`,
    `sold_on` AS `sold_on`,
    `amount` AS `amount`,
    `channel` AS `sold_via`,
    (`amount` * 0.92) AS `amount_eur`
  FROM `sales`
)
SELECT * FROM `reshaped`;

-- write_running_total: Write running_total
INSERT OVERWRITE TABLE `shop`.`running_total_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`running_total` AS (
  -- Running total (Window)
  SELECT
    *,
    sum(`amount`) OVER (PARTITION BY `region_id` ORDER BY `sold_on` ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `running_total`,
    lag(`amount`, 1) OVER (PARTITION BY `region_id` ORDER BY `sold_on` ASC) AS `previous_amount`
  FROM `sales`
)
SELECT * FROM `running_total`;

-- write_computed: Write computed
INSERT INTO `shop`.`computed_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`computed` AS (
  -- Computed (Reformat)
  SELECT
    `sale_id` AS `sale_id`,
    year(`sold_on`) AS `year`,
    CASE WHEN (`amount` >= 100) THEN 'large' ELSE 'small' END AS `size`,
    upper(coalesce(`channel`, 'unknown')) AS `channel`
  FROM `sales`
)
SELECT * FROM `computed`;
