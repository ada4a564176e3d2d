/* Types and Spark's rules for mixing them; the function catalog. */
#include "config.h"

#include "sluice-function.h"
#include "sluice-sql-type.h"

static SluiceSqlType
T (const char *text)
{
  SluiceSqlType t;

  if (g_str_equal (text, "null"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_NULL);
  g_assert_true (sluice_sql_type_parse (text, &t));
  return t;
}

static void
test_parse_and_print (void)
{
  const char *good[] = { "string", "int", "bigint", "double", "boolean", "date", "timestamp",
                         "decimal(10,2)", "decimal(38,38)", "decimal(1,0)" };
  const char *bad[] = { "", "varchar", "decimal", "decimal(0,0)", "decimal(39,2)", "decimal(5,6)",
                        "decimal(10, 2)", "decimal(-1,0)", "decimal(10,2)x", "INT", "money" };
  SluiceSqlType t;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *back = sluice_sql_type_to_string (T (good[i]));
      g_assert_cmpstr (back, ==, good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (sluice_sql_type_parse (bad[i], &t));
    }
}

static void
test_common_types (void)
{
  struct { const char *a, *b, *common; } cases[] = {
    { "int", "bigint", "bigint" },
    { "int", "double", "double" },
    { "int", "decimal(5,2)", "decimal(12,2)" },
    { "bigint", "decimal(10,4)", "decimal(24,4)" },
    { "decimal(10,2)", "decimal(5,4)", "decimal(12,4)" },
    { "decimal(38,10)", "decimal(38,30)", "decimal(38,30)" },
    { "date", "timestamp", "timestamp" },
    { "string", "int", "int" },
    { "date", "string", "date" },
    { "null", "boolean", "boolean" },
    { "string", "string", "string" },
  };
  SluiceSqlType r;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = NULL;
      g_assert_true (sluice_sql_type_common (T (cases[i].a), T (cases[i].b), &r));
      got = sluice_sql_type_to_string (r);
      g_test_message ("%s + %s", cases[i].a, cases[i].b);
      g_assert_cmpstr (got, ==, cases[i].common);
    }
  g_assert_false (sluice_sql_type_common (T ("boolean"), T ("int"), &r));
  g_assert_false (sluice_sql_type_common (T ("date"), T ("double"), &r));
}

static void
test_coercion_and_arithmetic (void)
{
  struct { char op; const char *a, *b, *result; } ops[] = {
    { '+', "int", "int", "int" },
    { '+', "int", "bigint", "bigint" },
    { '/', "int", "int", "double" },
    { '*', "int", "double", "double" },
    { '+', "decimal(10,2)", "decimal(10,2)", "decimal(11,2)" },
    { '*', "decimal(10,2)", "decimal(4,2)", "decimal(15,4)" },
    { '/', "decimal(10,2)", "decimal(4,2)", "decimal(17,7)" },
    { '*', "int", "decimal(10,2)", "decimal(21,2)" },
    { '%', "decimal(10,2)", "int", "decimal(10,2)" },
    { '-', "string", "int", "double" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *got = sluice_sql_type_to_string (sluice_sql_type_arithmetic (ops[i].op, T (ops[i].a), T (ops[i].b)));
      g_test_message ("%s %c %s", ops[i].a, ops[i].op, ops[i].b);
      g_assert_cmpstr (got, ==, ops[i].result);
    }

  g_assert_true (sluice_sql_type_can_coerce (T ("int"), T ("bigint")));
  g_assert_false (sluice_sql_type_can_coerce (T ("bigint"), T ("int")));
  g_assert_true (sluice_sql_type_can_coerce (T ("date"), T ("timestamp")));
  g_assert_true (sluice_sql_type_can_coerce (T ("string"), T ("date")));
  g_assert_true (sluice_sql_type_can_coerce (T ("double"), T ("string")));
  g_assert_false (sluice_sql_type_can_coerce (T ("boolean"), T ("string")));
  g_assert_false (sluice_sql_type_can_coerce (T ("timestamp"), T ("int")));
  g_assert_true (sluice_sql_type_can_coerce (T ("null"), T ("boolean")));
}

static void
test_catalog_covers_the_categories (void)
{
  guint n = 0, by_kind[3] = { 0 };
  g_autoptr(GHashTable) categories = g_hash_table_new (g_str_hash, g_str_equal);

  for (const SluiceFunction *f = sluice_function_list (); f->name; f++, n++)
    {
      g_assert_true (sluice_function_lookup (f->name) == f);
      g_assert_cmpuint (f->min_args, <=, f->max_args);
      g_assert_nonnull (f->spelling[SLUICE_DIALECT_SPARK]);
      g_assert_true (strchr ("SILFBDT1CUA", f->returns) != NULL);
      by_kind[f->kind]++;
      g_hash_table_add (categories, (gpointer) f->category);
    }
  g_assert_cmpuint (n, >=, 60);
  g_assert_cmpuint (by_kind[SLUICE_FUNCTION_AGGREGATE], >=, 8);
  g_assert_cmpuint (by_kind[SLUICE_FUNCTION_WINDOW], >=, 8);
  g_assert_cmpuint (g_hash_table_size (categories), ==, 6);
  g_assert_null (sluice_function_lookup ("frobnicate"));
}

static void
test_function_types (void)
{
  struct { const char *fn; const char *args[4]; const char *result; const char *reason; } cases[] = {
    { "concat", { "string", "int", "string" }, "string", NULL },
    { "upper", { "boolean" }, NULL, "argument 1 must be a string, not boolean" },
    { "upper", { "string", "string" }, NULL, "takes 1 argument, not 2" },
    { "substring", { "string", "int" }, "string", NULL },
    { "substring", { "string" }, NULL, "takes 2 to 3 arguments, not 1" },
    { "coalesce", { "int", "decimal(5,2)", "null" }, "decimal(12,2)", NULL },
    { "coalesce", { "int", "boolean" }, NULL, "argument 2 is boolean, which does not mix with int" },
    { "greatest", { "int" }, NULL, "takes at least 2 arguments, not 1" },
    { "if", { "boolean", "int", "double" }, "double", NULL },
    { "if", { "int", "int", "int" }, NULL, "argument 1 must be a boolean, not int" },
    { "date_add", { "date", "int" }, "date", NULL },
    { "date_add", { "date", "double" }, NULL, "argument 2 must be an integer, not double" },
    { "sum", { "int" }, "bigint", NULL },
    { "sum", { "decimal(10,2)" }, "decimal(20,2)", NULL },
    { "avg", { "decimal(10,2)" }, "decimal(14,6)", NULL },
    { "avg", { "bigint" }, "double", NULL },
    { "count", { "string" }, "bigint", NULL },
    { "max", { "date" }, "date", NULL },
    { "row_number", { NULL }, "int", NULL },
    { "lag", { "decimal(10,2)", "int" }, "decimal(10,2)", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SluiceFunction *f = sluice_function_lookup (cases[i].fn);
      SluiceSqlType types[4];
      guint n = 0, bad;
      SluiceSqlType result;
      g_autofree char *reason = NULL;
      gboolean ok;

      for (; n < 4 && cases[i].args[n]; n++)
        types[n] = T (cases[i].args[n]);
      g_test_message ("%s/%u", cases[i].fn, n);
      ok = sluice_function_check (f, types, n, &result, &bad, &reason);
      if (cases[i].result)
        {
          g_autofree char *got = NULL;
          g_assert_true (ok);
          got = sluice_sql_type_to_string (result);
          g_assert_cmpstr (got, ==, cases[i].result);
        }
      else
        {
          g_assert_false (ok);
          g_assert_cmpstr (reason, ==, cases[i].reason);
        }
    }
}

static void
test_rendering_per_dialect (void)
{
  struct { const char *fn; const char *args[3]; const char *spark, *snowflake, *sqlite; } cases[] = {
    { "concat", { "a", "' '", "b" }, "concat(a, ' ', b)", "CONCAT(a, ' ', b)", "(a || ' ' || b)" },
    { "date_add", { "d", "7" }, "date_add(d, 7)", "DATEADD(day, 7, d)", "date(d, printf('%+d days', 7))" },
    { "instr", { "s", "'x'" }, "instr(s, 'x')", "POSITION('x', s)", "instr(s, 'x')" },
    { "if", { "c", "1", "2" }, "if(c, 1, 2)", "IFF(c, 1, 2)", "iif(c, 1, 2)" },
    { "current_date", { NULL }, "current_date()", "CURRENT_DATE()", "date('now')" },
    /* registered by the local engine (src/engines/sluice-sqlite.c) */
    { "lpad", { "s", "5", "'0'" }, "lpad(s, 5, '0')", "LPAD(s, 5, '0')", "lpad(s, 5, '0')" },
    { "right", { "s", "2" }, "right(s, 2)", "RIGHT(s, 2)", "\"right\"(s, 2)" },
    { "date_format", { "d", "'yyyy'" }, "date_format(d, 'yyyy')", NULL, "date_format(d, 'yyyy')" },
    { "regexp_extract", { "s", "'(a)'", "1" }, "regexp_extract(s, '(a)', 1)", NULL, "regexp_extract(s, '(a)', 1)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SluiceFunction *f = sluice_function_lookup (cases[i].fn);
      const char *expected[] = { cases[i].spark, cases[i].snowflake, cases[i].sqlite };
      guint n = 0;

      while (n < 3 && cases[i].args[n])
        n++;
      for (guint d = 0; d < SLUICE_N_DIALECTS; d++)
        {
          g_autofree char *got = sluice_function_render (f, d, cases[i].args, n);
          g_test_message ("%s in %s", cases[i].fn, sluice_dialect_name (d));
          g_assert_cmpstr (got, ==, expected[d]);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/sql-type/parse-and-print", test_parse_and_print);
  g_test_add_func ("/sluice/core/sql-type/common-types", test_common_types);
  g_test_add_func ("/sluice/core/sql-type/coercion-and-arithmetic", test_coercion_and_arithmetic);
  g_test_add_func ("/sluice/core/function/catalog-covers-the-categories", test_catalog_covers_the_categories);
  g_test_add_func ("/sluice/core/function/types", test_function_types);
  g_test_add_func ("/sluice/core/function/rendering-per-dialect", test_rendering_per_dialect);

  return g_test_run ();
}
