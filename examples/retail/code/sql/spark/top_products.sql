-- Spark SQL for the pipeline top_products, written by Sluice from pipelines/top_products.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_top_products: Write top_products
INSERT OVERWRITE TABLE `retail`.`top_products`
WITH `orders` AS (
  -- Orders (Source)
  SELECT * FROM `retail`.`orders`
),
`products` AS (
  -- Products (Source)
  SELECT * FROM `retail`.`products`
),
`revenue_per_product` AS (
  -- Revenue per product (Aggregate)
  SELECT
    `product_id` AS `product_id`,
    sum(((`quantity` * `unit_price`) * (1 - coalesce(`discount`, 0)))) AS `revenue`
  FROM `orders`
  GROUP BY `product_id`
),
`with_products` AS (
  -- With products (Join)
  SELECT
    `in1`.`category` AS `category`,
    `in1`.`product_name` AS `product_name`,
    `in0`.`revenue` AS `revenue`
  FROM `revenue_per_product` AS `in0`
  INNER JOIN `products` AS `in1` ON (`in0`.`product_id` = `in1`.`product_id`)
),
`rank_in_category` AS (
  -- Rank in category (Window)
  SELECT
    *,
    row_number() OVER (PARTITION BY `category` ORDER BY `revenue` DESC) AS `rank`
  FROM `with_products`
),
`top_five` AS (
  -- Top five (Filter)
  SELECT * FROM `rank_in_category` WHERE (`rank` <= 5)
),
`at_most_100` AS (
  -- At most 100 (Limit)
  SELECT * FROM `top_five` LIMIT 100
)
SELECT * FROM `at_most_100`;
