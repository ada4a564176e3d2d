/* The expression parser, table by table: what it builds, and where it
 * says an expression is wrong. */
#include "config.h"

#include "sluice-expr.h"

typedef struct
{
  const char *text;
  const char *tree;
} GoodCase;

static const GoodCase good[] = {
  { "1", "1" },
  { "-5", "-5" },
  { "- 5", "(- 5)" },
  { "1.50", "1.50" },
  { "2.5e-3", "2.5e-3" },
  { "10L", "10" },
  { "1.5BD", "1.5" },
  { "'it''s'", "'its'" },
  { "'a\\'b\\\\c'", "'a\\'b\\\\c'" },
  { "\"double quoted\"", "'double quoted'" },
  { "'caf\\u00e9'", "'café'" },
  { "NULL", "NULL" },
  { "true AND FALSE", "(true AND false)" },
  { "amount", "`amount`" },
  { "in0.amount", "`in0`.`amount`" },
  { "`weird ``name`", "`weird ``name`" },
  { "in1.`order id`", "`in1`.`order id`" },
  { "a + b * 2", "(`a` + (`b` * 2))" },
  { "(a + b) * 2", "((`a` + `b`) * 2)" },
  { "a - b - c", "((`a` - `b`) - `c`)" },
  { "a || ' ' || b", "((`a` || ' ') || `b`)" },
  { "a DIV 2 % 3", "((`a` DIV 2) % 3)" },
  { "NOT a = 1 OR b > 2 AND c <= 3", "((NOT (`a` = 1)) OR ((`b` > 2) AND (`c` <= 3)))" },
  { "a <> 1 AND a != 2 AND a == 3 AND a <=> NULL",
    "((((`a` <> 1) AND (`a` <> 2)) AND (`a` = 3)) AND (`a` <=> NULL))" },
  { "status IN ('a', 'b')", "(`status` IN ('a', 'b'))" },
  { "status NOT IN (1)", "(`status` NOT IN (1))" },
  { "x BETWEEN 1 AND 10 AND y", "((`x` BETWEEN 1 AND 10) AND `y`)" },
  { "x NOT BETWEEN a + 1 AND b", "(`x` NOT BETWEEN (`a` + 1) AND `b`)" },
  { "name LIKE 'A%'", "(`name` LIKE 'A%')" },
  { "name NOT RLIKE '^[0-9]+$'", "(`name` NOT RLIKE '^[0-9]+$')" },
  { "email IS NOT NULL AND phone IS NULL", "((`email` IS NOT NULL) AND (`phone` IS NULL))" },
  { "order_date >= DATE '2024-01-01'", "(`order_date` >= DATE '2024-01-01')" },
  { "ts < TIMESTAMP'2024-01-01T10:20:30.5'", "(`ts` < TIMESTAMP '2024-01-01 10:20:30.5')" },
  { "date", "`date`" },
  { "CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END",
    "CASE WHEN (`a` > 1) THEN 'x' WHEN (`a` > 0) THEN 'y' ELSE 'z' END" },
  { "case segment when 'A' then 1 end", "CASE `segment` WHEN 'A' THEN 1 END" },
  { "CAST(amount AS DECIMAL(12, 2))", "CAST(`amount` AS decimal(12,2))" },
  { "cast(x as varchar(20))", "CAST(`x` AS string)" },
  { "CAST(x AS long) + CAST(y AS decimal)", "(CAST(`x` AS bigint) + CAST(`y` AS decimal(10,0)))" },
  { "concat(first_name, ' ', last_name)", "concat(`first_name`, ' ', `last_name`)" },
  { "COUNT(*)", "count(*)" },
  { "count(DISTINCT order_id)", "count(DISTINCT `order_id`)" },
  { "current_date()", "current_date()" },
  { "coalesce(discount, 0) * -1", "(coalesce(`discount`, 0) * -1)" },
  { "row_number() OVER (PARTITION BY category ORDER BY revenue DESC)",
    "row_number() OVER (PARTITION BY `category` ORDER BY `revenue` DESC)" },
  { "sum(x) over (order by d asc nulls last rows between unbounded preceding and current row)",
    "sum(`x`) OVER (ORDER BY `d` ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)" },
  { "avg(x) OVER (PARTITION BY a, b ROWS 3 PRECEDING)", "avg(`x`) OVER (PARTITION BY `a`, `b` ROWS 3 PRECEDING)" },
  { "lag(x, 1) OVER ()", "lag(`x`, 1) OVER ()" },
  { "  a  -- the comment\n + 1", "(`a` + 1)" },
  { "Zoë = 'ü'", "(`Zoë` = 'ü')" },
};

typedef struct
{
  const char *text;
  guint       start;
  guint       end;
  const char *message;
} BadCase;

static const BadCase bad[] = {
  { "", 0, 1, "the expression is empty" },
  { "   ", 0, 1, "the expression is empty" },
  { "a +", 3, 4, "expected a value, a column or a function, found the end of the expression" },
  { "(a + 1", 6, 7, "expected “)”" },
  { "a + 1)", 5, 6, "unexpected “)” after the end of the expression" },
  { "a b", 2, 3, "unexpected “b” after the end of the expression" },
  { "'open", 0, 5, "unterminated string" },
  { "`open", 0, 5, "unterminated `quoted name`" },
  { "``", 0, 2, "empty `quoted name`" },
  { "a # b", 2, 3, "unexpected character “#”" },
  { "concat(a, b", 11, 12, "expected “,” or “)” in the call of “concat”, found the end of the expression" },
  { "concat(a,, b)", 9, 10, "expected a value, a column or a function" },
  { "CAST(a AS money)", 10, 15, "unknown type “money”" },
  { "CAST(a AS decimal(40, 2))", 10, 24, "decimal(40,2) is out of range" },
  { "CAST(a decimal)", 7, 14, "expected “AS”, found “decimal”" },
  { "CASE a END", 7, 10, "expected “WHEN”, found “END”" },
  { "CASE WHEN a THEN b", 18, 19, "expected “END”" },
  { "DATE '2024-13-01'", 5, 17, "“2024-13-01” is not a date (YYYY-MM-DD)" },
  { "TIMESTAMP '2024-01-01 25:00:00'", 10, 31, "is not a timestamp" },
  { "a NOT = 1", 2, 5, "unexpected “NOT” after the end of the expression" },
  { "x IS 1", 5, 6, "expected “NULL”, found a number" },
  { "x IN 1", 5, 6, "expected “(” after IN" },
  { "x BETWEEN 1 OR 2", 12, 14, "expected “AND”, found “OR”" },
  { "12abc", 0, 3, "unexpected letter after a number" },
  { "in0.", 4, 5, "expected a column name after “.”" },
  { "'\\u12'", 1, 3, "four hexadecimal digits" },
  { "'\\u0000'", 1, 7, "is not a character" },
  { "AND", 0, 3, "expected a value, a column or a function, found “AND”" },
  { "sum(x) OVER (ORDER BY y NULLS MAYBE)", 30, 35, "expected “FIRST” or “LAST”" },
  { "sum(x) OVER (ROWS BETWEEN 1 AND 2)", 28, 31, "expected “PRECEDING” or “FOLLOWING”" },
  { "é +", 3, 4, "expected a value" },
};

static void
test_parses_what_analysts_type (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceExpr) e = sluice_expr_parse (good[i].text, NULL, NULL, &error);
      g_autofree char *tree = NULL;

      g_test_message ("%s", good[i].text);
      g_assert_no_error (error);
      tree = sluice_expr_to_debug_string (e);
      g_assert_cmpstr (tree, ==, good[i].tree);
    }
}

static void
test_errors_carry_their_range (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint start = 99, end = 99;
      g_autoptr(SluiceExpr) e = sluice_expr_parse (bad[i].text, &start, &end, &error);

      g_test_message ("%s → %s", bad[i].text, error ? error->message : "(parsed)");
      g_assert_null (e);
      g_assert_error (error, SLUICE_EXPR_ERROR, SLUICE_EXPR_ERROR_SYNTAX);
      g_assert_nonnull (strstr (error->message, bad[i].message));
      g_assert_cmpuint (start, ==, bad[i].start);
      g_assert_cmpuint (end, ==, bad[i].end);
    }
}

static void
test_ranges_cover_the_text (void)
{
  const char *text = "coalesce(in0.amount, 0) * (1 - discount)";
  g_autoptr(SluiceExpr) e = sluice_expr_parse (text, NULL, NULL, NULL);
  SluiceExpr *call, *paren, *column;

  g_assert_cmpuint (e->start, ==, 0);
  g_assert_cmpuint (e->end, ==, strlen (text));
  call = e->args[0];
  g_assert_cmpuint (call->start, ==, 0);
  g_assert_cmpuint (call->end, ==, 23);
  column = call->args[0];
  g_assert_cmpstr (column->qualifier, ==, "in0");
  g_assert_cmpuint (column->start, ==, 9);
  g_assert_cmpuint (column->end, ==, 19);
  paren = e->args[1];
  g_assert_cmpuint (paren->start, ==, 26);
  g_assert_cmpuint (paren->end, ==, 40);
}

static void
test_deep_nesting_is_an_error (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) nots = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(SluiceExpr) e = NULL;
  g_autoptr(SluiceExpr) e2 = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '(');
  e = sluice_expr_parse (deep->str, NULL, NULL, &error);
  g_assert_null (e);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));

  for (guint i = 0; i < 50000; i++)
    g_string_append (nots, "NOT ");
  for (guint i = 0; i < 50000; i++)
    g_string_append (nots, "- ");
  g_string_append (nots, "1");
  e2 = sluice_expr_parse (nots->str, NULL, NULL, &error2);
  g_assert_null (e2);
  g_assert_nonnull (strstr (error2->message, "nested too deeply"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/expr/parses-what-analysts-type", test_parses_what_analysts_type);
  g_test_add_func ("/sluice/core/expr/errors-carry-their-range", test_errors_carry_their_range);
  g_test_add_func ("/sluice/core/expr/ranges-cover-the-text", test_ranges_cover_the_text);
  g_test_add_func ("/sluice/core/expr/deep-nesting-is-an-error", test_deep_nesting_is_an_error);

  return g_test_run ();
}
