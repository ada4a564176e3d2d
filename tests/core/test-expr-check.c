/* Type-checking expressions against a gem's inputs: types, and problems
 * with the exact characters at fault. */
#include "config.h"

#include "sluice-expr-check.h"

static const SluiceColumnRef orders[] = {
  { "order_id", { SLUICE_SQL_BIGINT } },
  { "customer_id", { SLUICE_SQL_BIGINT } },
  { "amount", { SLUICE_SQL_DECIMAL, 10, 2 } },
  { "quantity", { SLUICE_SQL_INT } },
  { "order_date", { SLUICE_SQL_DATE } },
  { "status", { SLUICE_SQL_STRING } },
};

static const SluiceColumnRef customers[] = {
  { "customer_id", { SLUICE_SQL_BIGINT } },
  { "Name", { SLUICE_SQL_STRING } },
  { "vip", { SLUICE_SQL_BOOLEAN } },
};

static const SluiceExprInput inputs[] = {
  { "in0", orders, G_N_ELEMENTS (orders) },
  { "in1", customers, G_N_ELEMENTS (customers) },
};

typedef struct
{
  const char           *text;
  SluiceExprCheckFlags  flags;
  const char           *type;      /* expected type, or NULL when a problem is expected */
  const char           *problem;   /* "start-end: message" of the first problem */
} Case;

#define AGG SLUICE_EXPR_ALLOW_AGGREGATES
#define WIN SLUICE_EXPR_ALLOW_WINDOWS

static const Case cases[] = {
  { "amount * quantity", 0, "decimal(21,2)", NULL },
  { "amount * 1.2", 0, "decimal(13,3)", NULL },
  { "quantity * unit", 0, NULL, "11-15: unknown column “unit”" },
  { "quantitty + 1", 0, NULL, "0-9: unknown column “quantitty”; did you mean “quantity”?" },
  { "name", 0, "string", NULL },
  { "NAME || status", 0, "string", NULL },
  { "customer_id", 0, NULL, "0-11: ambiguous column “customer_id”: it is in in0 and in1; write in0.customer_id" },
  { "in1.customer_id = in0.customer_id", 0, "boolean", NULL },
  { "in2.x", 0, NULL, "0-5: unknown input “in2” (this gem’s inputs: in0, in1)" },
  { "status = 'open' AND vip", 0, "boolean", NULL },
  { "status AND vip", 0, NULL, "0-6: each side of AND must be true or false, not string" },
  { "order_date >= DATE '2024-01-01'", 0, "boolean", NULL },
  { "order_date >= '2024-01-01'", 0, "boolean", NULL },
  { "vip = 1", 0, NULL, "0-7: cannot compare boolean with int" },
  { "order_date + 7", 0, "date", NULL },
  { "status - 1", 0, "double", NULL },
  { "vip * 2", 0, NULL, "0-3: “*” needs numbers, not boolean" },
  { "coalesce(amount, 0)", 0, "decimal(12,2)", NULL },
  { "upper(vip)", 0, NULL, "6-9: upper: argument 1 must be a string, not boolean" },
  { "frob(amount)", 0, NULL, "0-12: unknown function “frob”" },
  { "sum(amount)", AGG, "decimal(20,2)", NULL },
  { "sum(amount)", 0, NULL, "0-11: “sum” aggregates rows: use it in an Aggregate gem" },
  { "sum(max(amount))", AGG, NULL, "4-15: “max” cannot be used inside another aggregate" },
  { "count(*)", AGG, "bigint", NULL },
  { "count(DISTINCT order_id)", AGG, "bigint", NULL },
  { "upper(*)", 0, NULL, "6-7: * is only allowed in count(*)" },
  { "row_number()", WIN, NULL, "0-12: “row_number” is a window function: it needs OVER (…)" },
  { "row_number() OVER (PARTITION BY status ORDER BY amount DESC)", WIN, "int", NULL },
  { "rank() OVER (ORDER BY nope)", WIN, NULL, "22-26: unknown column “nope”" },
  { "sum(amount) OVER (PARTITION BY status)", WIN, "decimal(20,2)", NULL },
  { "lag(amount) OVER (ORDER BY order_date)", 0, NULL, "0-38: window functions belong in a Window gem" },
  { "CASE WHEN vip THEN amount ELSE 0 END", 0, "decimal(12,2)", NULL },
  { "CASE WHEN amount THEN 1 END", 0, NULL, "10-16: a WHEN condition must be true or false, not decimal(10,2)" },
  { "CASE WHEN vip THEN 'a' ELSE vip END", 0, NULL, "28-31: CASE mixes string with boolean" },
  { "CASE status WHEN 'open' THEN 1 WHEN 'closed' THEN 2 END", 0, "int", NULL },
  { "CAST(amount AS bigint)", 0, "bigint", NULL },
  { "CAST(vip AS date)", 0, NULL, "0-17: cannot cast boolean to date" },
  { "status IN ('a', 'b')", 0, "boolean", NULL },
  { "quantity IN (1, vip)", 0, NULL, "16-19: IN mixes int with boolean" },
  { "quantity BETWEEN 1 AND 10", 0, "boolean", NULL },
  { "status LIKE 'A%'", 0, "boolean", NULL },
  { "NOT vip", 0, "boolean", NULL },
  { "-amount", 0, "decimal(10,2)", NULL },
  { "2147483648", 0, "bigint", NULL },
  { "99999999999999999999", 0, "decimal(20,0)", NULL },
  { "date_add(order_date, quantity)", 0, "date", NULL },
  { "date_add(order_date, 1.5)", 0, NULL, "21-24: date_add: argument 2 must be an integer, not decimal(2,1)" },
};

static void
test_types_and_problems (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceExpr) e = sluice_expr_parse (c->text, NULL, NULL, &error);
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_problem_free);
      SluiceSqlType t;

      g_test_message ("%s", c->text);
      g_assert_no_error (error);
      t = sluice_expr_check (e, inputs, G_N_ELEMENTS (inputs), c->flags, problems);
      if (c->type)
        {
          g_autofree char *got = sluice_sql_type_to_string (t);
          if (problems->len)
            g_test_message ("unexpected: %s", ((SluiceExprProblem *) g_ptr_array_index (problems, 0))->message);
          g_assert_cmpuint (problems->len, ==, 0);
          g_assert_cmpstr (got, ==, c->type);
        }
      else
        {
          SluiceExprProblem *p;
          g_autofree char *got = NULL;

          g_assert_cmpuint (problems->len, >, 0);
          p = g_ptr_array_index (problems, 0);
          got = g_strdup_printf ("%u-%u: %s", p->start, p->end, p->message);
          g_assert_cmpstr (got, ==, c->problem);
        }
    }
}

static void
test_one_pass_reports_every_problem (void)
{
  g_autoptr(SluiceExpr) e = sluice_expr_parse ("nope1 + upper(vip) + nope2", NULL, NULL, NULL);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_problem_free);

  sluice_expr_check (e, inputs, G_N_ELEMENTS (inputs), 0, problems);
  g_assert_cmpuint (problems->len, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/expr-check/types-and-problems", test_types_and_problems);
  g_test_add_func ("/sluice/core/expr-check/one-pass-reports-every-problem", test_one_pass_reports_every_problem);

  return g_test_run ();
}
