-- Spark SQL for the pipeline set_operations, written by Sluice from pipelines/set_operations.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_union_by_name: Write union_by_name
INSERT INTO `shop`.`union_by_name_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`archive` AS (
  -- Archive (Source)
  SELECT * FROM `shop`.`sales_archive`
),
`union_by_name` AS (
  -- Union by name (SetOperation)
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note` FROM `sales`
  UNION
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note` FROM `archive`
)
SELECT * FROM `union_by_name`;

-- write_union_all_by_position: Write union_all_by_position
CREATE TABLE `shop`.`union_all_by_position_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`archive` AS (
  -- Archive (Source)
  SELECT * FROM `shop`.`sales_archive`
),
`union_all_by_position` AS (
  -- Union all by position (SetOperation)
  SELECT * FROM `sales`
  UNION ALL
  SELECT * FROM `archive`
)
SELECT * FROM `union_all_by_position`;

-- write_intersect_by_name: Write intersect_by_name
CREATE TABLE IF NOT EXISTS `shop`.`intersect_by_name_out` AS
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`archive` AS (
  -- Archive (Source)
  SELECT * FROM `shop`.`sales_archive`
),
`intersect_by_name` AS (
  -- Intersect by name (SetOperation)
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note` FROM `sales`
  INTERSECT
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note` FROM `archive`
)
SELECT * FROM `intersect_by_name`;

-- write_except_by_name: Write except_by_name
INSERT OVERWRITE TABLE `shop`.`except_by_name_out`
WITH `sales` AS (
  -- Sales (Source)
  SELECT * FROM `shop`.`sales`
),
`archive` AS (
  -- Archive (Source)
  SELECT * FROM `shop`.`sales_archive`
),
`except_by_name` AS (
  -- Except by name (SetOperation)
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note` FROM `sales`
  EXCEPT
  SELECT `sale_id`, `region_id`, `sold_on`, `amount`, `channel`, `note` FROM `archive`
)
SELECT * FROM `except_by_name`;
