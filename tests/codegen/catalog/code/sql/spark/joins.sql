-- Spark SQL for the pipeline joins, written by Sluice from pipelines/joins.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_right_join: Write right_join
INSERT OVERWRITE TABLE `shop`.`right_join_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`regions` AS (
  -- Regions (Source)
  SELECT * FROM `shop`.`regions`
),
`right_join` AS (
  -- Right join (Join)
  SELECT
    `in0`.`sale_id` AS `sale_id`,
    `in1`.`region` AS `region`
  FROM `sales` AS `in0`
  RIGHT JOIN `regions` AS `in1` ON (`in0`.`region_id` = `in1`.`region_id`)
)
SELECT * FROM `right_join`;

-- write_full_join: Write full_join
INSERT INTO `shop`.`full_join_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`regions` AS (
  -- Regions (Source)
  SELECT * FROM `shop`.`regions`
),
`full_join` AS (
  -- Full join (Join)
  SELECT
    `in0`.`sale_id` AS `sale_id`,
    `in1`.`region` AS `region`
  FROM `sales` AS `in0`
  FULL OUTER JOIN `regions` AS `in1` ON (`in0`.`region_id` = `in1`.`region_id`)
)
SELECT * FROM `full_join`;

-- write_semi_join: Write semi_join
CREATE TABLE `shop`.`semi_join_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`regions` AS (
  -- Regions (Source)
  SELECT * FROM `shop`.`regions`
),
`semi_join` AS (
  -- Semi join (Join)
  SELECT
    `in0`.*
  FROM `sales` AS `in0`
  WHERE EXISTS (SELECT 1 FROM `regions` AS `in1` WHERE (`in0`.`region_id` = `in1`.`region_id`))
)
SELECT * FROM `semi_join`;

-- write_anti_join: Write anti_join
CREATE TABLE IF NOT EXISTS `shop`.`anti_join_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`regions` AS (
  -- Regions (Source)
  SELECT * FROM `shop`.`regions`
),
`anti_join` AS (
  -- Anti join (Join)
  SELECT
    `in0`.*
  FROM `sales` AS `in0`
  WHERE NOT EXISTS (SELECT 1 FROM `regions` AS `in1` WHERE (`in0`.`region_id` = `in1`.`region_id`))
)
SELECT * FROM `anti_join`;

-- write_three_way: Write three_way
INSERT OVERWRITE TABLE `shop`.`three_way_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`regions` AS (
  -- Regions (Source)
  SELECT * FROM `shop`.`regions`
),
`archive` AS (
  -- Archive (Source)
  SELECT * FROM `shop`.`sales_archive`
),
`three_way` AS (
  -- Three way (Join)
  SELECT
    `in0`.`sale_id` AS `sale_id`,
    `in1`.`manager` AS `manager`,
    `in2`.`amount` AS `archived_amount`
  FROM `sales` AS `in0`
  LEFT JOIN `regions` AS `in1` ON (`in0`.`region_id` = `in1`.`region_id`)
  INNER JOIN `archive` AS `in2` ON (`in0`.`sale_id` = `in2`.`sale_id`)
)
SELECT * FROM `three_way`;
