-- Spark SQL for the pipeline orders_enriched, written by Sluice from pipelines/orders_enriched.json.
-- Edit the pipeline, not this file: Sluice rewrites it on save.

-- write_orders_enriched: Write orders_enriched
INSERT OVERWRITE TABLE `retail`.`orders_enriched`
WITH `orders` AS (
  -- Orders (Source)
  SELECT * FROM `retail`.`orders`
),
`customers` AS (
  -- Customers (Source)
  SELECT * FROM `retail`.`customers`
),
`products` AS (
  -- Products (Source)
  SELECT * FROM `retail`.`products`
),
`completed_orders` AS (
  -- Completed orders (Filter)
  SELECT * FROM `orders` WHERE (`status` = 'completed')
),
`join_customers_products` AS (
  -- Join customers and products (Join)
  SELECT
    `in0`.`order_id` AS `order_id`,
    `in0`.`line_no` AS `line_no`,
    `in0`.`order_date` AS `order_date`,
    `in0`.`customer_id` AS `customer_id`,
    `in1`.`first_name` AS `first_name`,
    `in1`.`last_name` AS `last_name`,
    `in1`.`segment` AS `segment`,
    `in1`.`country` AS `country`,
    `in0`.`product_id` AS `product_id`,
    `in2`.`product_name` AS `product_name`,
    `in2`.`category` AS `category`,
    `in0`.`quantity` AS `quantity`,
    `in0`.`unit_price` AS `unit_price`,
    `in0`.`discount` AS `discount`
  FROM `completed_orders` AS `in0`
  LEFT JOIN `customers` AS `in1` ON (`in0`.`customer_id` = `in1`.`customer_id`)
  LEFT JOIN `products` AS `in2` ON (`in0`.`product_id` = `in2`.`product_id`)
),
`line_totals` AS (
  -- Line totals (Reformat)
  SELECT
    `order_id` AS `order_id`,
    `line_no` AS `line_no`,
    `order_date` AS `order_date`,
    to_date(date_trunc('MONTH', `order_date`)) AS `order_month`,
    `customer_id` AS `customer_id`,
    concat(`first_name`, ' ', `last_name`) AS `customer_name`,
    `segment` AS `segment`,
    `country` AS `country`,
    `product_id` AS `product_id`,
    `product_name` AS `product_name`,
    `category` AS `category`,
    `quantity` AS `quantity`,
    ((`quantity` * `unit_price`) * (1 - coalesce(`discount`, 0))) AS `line_total`
  FROM `join_customers_products`
)
SELECT * FROM `line_totals`;
