#define G_LOG_DOMAIN "sluice-function"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-function.h"

#define ANY G_MAXUINT8
#define SAME ""
#define NO NULL

/* spelling: { Spark, Snowflake, SQLite }. The SQLite ones that are not
 * built in (regexp_replace, date_trunc, …) are registered by the local
 * engine under the same names. */
static const SluiceFunction functions[] = {
  /* strings */
  { "concat", "string", SLUICE_FUNCTION_SCALAR, 1, ANY, "*", 'S', { SAME, "CONCAT($*)", "($|)" } },
  { "concat_ws", "string", SLUICE_FUNCTION_SCALAR, 2, ANY, "S*", 'S', { SAME, "CONCAT_WS($*)", "concat_ws($*)" } },
  { "upper", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "UPPER($1)", "upper($1)" } },
  { "lower", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "LOWER($1)", "lower($1)" } },
  { "trim", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "TRIM($1)", "trim($1)" } },
  { "ltrim", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "LTRIM($1)", "ltrim($1)" } },
  { "rtrim", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "RTRIM($1)", "rtrim($1)" } },
  { "length", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'I', { SAME, "LENGTH($1)", "length($1)" } },
  { "substring", "string", SLUICE_FUNCTION_SCALAR, 2, 3, "SII", 'S', { SAME, "SUBSTR($*)", "substr($*)" } },
  { "substr", "string", SLUICE_FUNCTION_SCALAR, 2, 3, "SII", 'S', { SAME, "SUBSTR($*)", "substr($*)" } },
  { "left", "string", SLUICE_FUNCTION_SCALAR, 2, 2, "SI", 'S', { SAME, "LEFT($1, $2)", "substr($1, 1, $2)" } },
  { "right", "string", SLUICE_FUNCTION_SCALAR, 2, 2, "SI", 'S', { SAME, "RIGHT($1, $2)", "\"right\"($1, $2)" } },
  { "replace", "string", SLUICE_FUNCTION_SCALAR, 3, 3, "SSS", 'S', { SAME, "REPLACE($1, $2, $3)", "replace($1, $2, $3)" } },
  { "lpad", "string", SLUICE_FUNCTION_SCALAR, 3, 3, "SIS", 'S', { SAME, "LPAD($1, $2, $3)", "lpad($1, $2, $3)" } },
  { "rpad", "string", SLUICE_FUNCTION_SCALAR, 3, 3, "SIS", 'S', { SAME, "RPAD($1, $2, $3)", "rpad($1, $2, $3)" } },
  { "initcap", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "INITCAP($1)", "initcap($1)" } },
  { "instr", "string", SLUICE_FUNCTION_SCALAR, 2, 2, "SS", 'I', { SAME, "POSITION($2, $1)", "instr($1, $2)" } },
  { "reverse", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'S', { SAME, "REVERSE($1)", "reverse($1)" } },
  { "repeat", "string", SLUICE_FUNCTION_SCALAR, 2, 2, "SI", 'S', { SAME, "REPEAT($1, $2)", "repeat($1, $2)" } },
  { "ascii", "string", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'I', { SAME, "ASCII($1)", "unicode($1)" } },
  { "regexp_replace", "string", SLUICE_FUNCTION_SCALAR, 3, 3, "SSS", 'S', { SAME, "REGEXP_REPLACE($1, $2, $3)", "regexp_replace($1, $2, $3)" } },
  { "regexp_extract", "string", SLUICE_FUNCTION_SCALAR, 2, 3, "SSI", 'S', { SAME, NO, "regexp_extract($*)" } },
  /* math */
  { "abs", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", '1', { SAME, "ABS($1)", "abs($1)" } },
  { "round", "math", SLUICE_FUNCTION_SCALAR, 1, 2, "NI", '1', { SAME, "ROUND($*)", "round($*)" } },
  { "floor", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'L', { SAME, "FLOOR($1)", "floor($1)" } },
  { "ceil", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'L', { SAME, "CEIL($1)", "ceil($1)" } },
  { "ceiling", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'L', { SAME, "CEIL($1)", "ceil($1)" } },
  { "sqrt", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'F', { SAME, "SQRT($1)", "sqrt($1)" } },
  { "power", "math", SLUICE_FUNCTION_SCALAR, 2, 2, "NN", 'F', { SAME, "POWER($1, $2)", "power($1, $2)" } },
  { "pow", "math", SLUICE_FUNCTION_SCALAR, 2, 2, "NN", 'F', { SAME, "POWER($1, $2)", "power($1, $2)" } },
  { "exp", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'F', { SAME, "EXP($1)", "exp($1)" } },
  { "ln", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'F', { SAME, "LN($1)", "ln($1)" } },
  { "log10", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'F', { SAME, "LOG(10, $1)", "log10($1)" } },
  { "mod", "math", SLUICE_FUNCTION_SCALAR, 2, 2, "NN", 'C', { SAME, "MOD($1, $2)", "mod($1, $2)" } },
  { "sign", "math", SLUICE_FUNCTION_SCALAR, 1, 1, "N", 'F', { SAME, "SIGN($1)", "sign($1)" } },
  { "greatest", "math", SLUICE_FUNCTION_SCALAR, 2, ANY, "*", 'C', { SAME, "GREATEST($*)", "max($*)" } },
  { "least", "math", SLUICE_FUNCTION_SCALAR, 2, ANY, "*", 'C', { SAME, "LEAST($*)", "min($*)" } },
  { "pi", "math", SLUICE_FUNCTION_SCALAR, 0, 0, "", 'F', { SAME, "PI()", "pi()" } },
  /* dates and times */
  { "current_date", "date", SLUICE_FUNCTION_SCALAR, 0, 0, "", 'D', { SAME, "CURRENT_DATE()", "date('now')" } },
  { "current_timestamp", "date", SLUICE_FUNCTION_SCALAR, 0, 0, "", 'T', { SAME, "CURRENT_TIMESTAMP()", "datetime('now')" } },
  { "date_add", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "DI", 'D', { SAME, "DATEADD(day, $2, $1)", "date($1, printf('%+d days', $2))" } },
  { "date_sub", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "DI", 'D', { SAME, "DATEADD(day, -($2), $1)", "date($1, printf('%+d days', -($2)))" } },
  { "datediff", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "DD", 'I', { SAME, "DATEDIFF(day, $2, $1)", "CAST(julianday(date($1)) - julianday(date($2)) AS INTEGER)" } },
  { "add_months", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "DI", 'D', { SAME, "ADD_MONTHS($1, $2)", "date($1, printf('%+d months', $2))" } },
  { "months_between", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "DD", 'F', { SAME, "MONTHS_BETWEEN($1, $2)", "months_between($1, $2)" } },
  { "last_day", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'D', { SAME, "LAST_DAY($1)", "date($1, 'start of month', '+1 month', '-1 day')" } },
  { "year", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "YEAR($1)", "CAST(strftime('%Y', $1) AS INTEGER)" } },
  { "quarter", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "QUARTER($1)", "((CAST(strftime('%m', $1) AS INTEGER) + 2) / 3)" } },
  { "month", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "MONTH($1)", "CAST(strftime('%m', $1) AS INTEGER)" } },
  { "dayofmonth", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "DAYOFMONTH($1)", "CAST(strftime('%d', $1) AS INTEGER)" } },
  { "day", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "DAY($1)", "CAST(strftime('%d', $1) AS INTEGER)" } },
  /* Spark: Sunday is 1; SQLite's %w makes Sunday 0. */
  { "dayofweek", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "DAYOFWEEKISO($1) % 7 + 1", "(CAST(strftime('%w', $1) AS INTEGER) + 1)" } },
  { "weekofyear", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "WEEKISO($1)", "weekofyear($1)" } },
  { "hour", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "HOUR($1)", "CAST(strftime('%H', $1) AS INTEGER)" } },
  { "minute", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "MINUTE($1)", "CAST(strftime('%M', $1) AS INTEGER)" } },
  { "second", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "D", 'I', { SAME, "SECOND($1)", "CAST(strftime('%S', $1) AS INTEGER)" } },
  { "to_date", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'D', { SAME, "TO_DATE($1)", "date($1)" } },
  { "to_timestamp", "date", SLUICE_FUNCTION_SCALAR, 1, 1, "S", 'T', { SAME, "TO_TIMESTAMP($1)", "datetime($1)" } },
  { "date_trunc", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "SD", 'T', { SAME, "DATE_TRUNC($1, $2)", "date_trunc($1, $2)" } },
  /* Format patterns differ between dialects: Snowflake's are not translated,
   * refused; the local engine interprets Spark's. */
  { "date_format", "date", SLUICE_FUNCTION_SCALAR, 2, 2, "DS", 'S', { SAME, NO, "date_format($1, $2)" } },
  /* conditional */
  { "coalesce", "conditional", SLUICE_FUNCTION_SCALAR, 1, ANY, "*", 'C', { SAME, "COALESCE($*)", "coalesce($*)" } },
  { "nvl", "conditional", SLUICE_FUNCTION_SCALAR, 2, 2, "**", 'C', { SAME, "NVL($1, $2)", "coalesce($1, $2)" } },
  { "ifnull", "conditional", SLUICE_FUNCTION_SCALAR, 2, 2, "**", 'C', { SAME, "IFNULL($1, $2)", "ifnull($1, $2)" } },
  { "nullif", "conditional", SLUICE_FUNCTION_SCALAR, 2, 2, "**", '1', { SAME, "NULLIF($1, $2)", "nullif($1, $2)" } },
  { "if", "conditional", SLUICE_FUNCTION_SCALAR, 3, 3, "B**", 'C', { SAME, "IFF($1, $2, $3)", "iif($1, $2, $3)" } },
  { "isnull", "conditional", SLUICE_FUNCTION_SCALAR, 1, 1, "*", 'B', { SAME, "($1 IS NULL)", "($1 IS NULL)" } },
  { "isnotnull", "conditional", SLUICE_FUNCTION_SCALAR, 1, 1, "*", 'B', { SAME, "($1 IS NOT NULL)", "($1 IS NOT NULL)" } },
  /* aggregates */
  { "count", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, ANY, "*", 'L', { SAME, "COUNT($*)", "count($*)" } },
  { "sum", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "N", 'U', { SAME, "SUM($1)", "sum($1)" } },
  { "avg", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "N", 'A', { SAME, "AVG($1)", "avg($1)" } },
  { "mean", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "N", 'A', { SAME, "AVG($1)", "avg($1)" } },
  { "min", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "*", '1', { SAME, "MIN($1)", "min($1)" } },
  { "max", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "*", '1', { SAME, "MAX($1)", "max($1)" } },
  { "stddev", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "N", 'F', { SAME, "STDDEV($1)", "stddev($1)" } },
  { "variance", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "N", 'F', { SAME, "VARIANCE($1)", "variance($1)" } },
  { "first", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "*", '1', { SAME, "ANY_VALUE($1)", "first($1)" } },
  { "any_value", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "*", '1', { SAME, "ANY_VALUE($1)", "first($1)" } },
  { "approx_count_distinct", "aggregate", SLUICE_FUNCTION_AGGREGATE, 1, 1, "*", 'L', { SAME, "APPROX_COUNT_DISTINCT($1)", "approx_count_distinct($1)" } },
  /* window */
  { "row_number", "window", SLUICE_FUNCTION_WINDOW, 0, 0, "", 'I', { SAME, "ROW_NUMBER()", "row_number()" } },
  { "rank", "window", SLUICE_FUNCTION_WINDOW, 0, 0, "", 'I', { SAME, "RANK()", "rank()" } },
  { "dense_rank", "window", SLUICE_FUNCTION_WINDOW, 0, 0, "", 'I', { SAME, "DENSE_RANK()", "dense_rank()" } },
  { "percent_rank", "window", SLUICE_FUNCTION_WINDOW, 0, 0, "", 'F', { SAME, "PERCENT_RANK()", "percent_rank()" } },
  { "cume_dist", "window", SLUICE_FUNCTION_WINDOW, 0, 0, "", 'F', { SAME, "CUME_DIST()", "cume_dist()" } },
  { "ntile", "window", SLUICE_FUNCTION_WINDOW, 1, 1, "I", 'I', { SAME, "NTILE($1)", "ntile($1)" } },
  { "lag", "window", SLUICE_FUNCTION_WINDOW, 1, 3, "*I*", '1', { SAME, "LAG($*)", "lag($*)" } },
  { "lead", "window", SLUICE_FUNCTION_WINDOW, 1, 3, "*I*", '1', { SAME, "LEAD($*)", "lead($*)" } },
  { "first_value", "window", SLUICE_FUNCTION_WINDOW, 1, 1, "*", '1', { SAME, "FIRST_VALUE($1)", "first_value($1)" } },
  { "last_value", "window", SLUICE_FUNCTION_WINDOW, 1, 1, "*", '1', { SAME, "LAST_VALUE($1)", "last_value($1)" } },
  { NULL }
};

const SluiceFunction *
sluice_function_list (void)
{
  return functions;
}

const SluiceFunction *
sluice_function_lookup (const char *name)
{
  static GHashTable *index;

  if (g_once_init_enter (&index))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
      for (const SluiceFunction *f = functions; f->name; f++)
        g_hash_table_insert (table, (gpointer) f->name, (gpointer) f);
      g_once_init_leave (&index, table);
    }
  return name ? g_hash_table_lookup (index, name) : NULL;
}

const char *
sluice_dialect_name (SluiceDialect dialect)
{
  switch (dialect)
    {
    case SLUICE_DIALECT_SPARK:     return "Spark SQL";
    case SLUICE_DIALECT_SNOWFLAKE: return "Snowflake SQL";
    case SLUICE_DIALECT_SQLITE:    return "SQLite";
    default:                       g_return_val_if_reached ("?");
    }
}

static gboolean
fits (char          cls,
      SluiceSqlType t)
{
  if (t.kind == SLUICE_SQL_NULL || t.kind == SLUICE_SQL_UNKNOWN)
    return TRUE;
  switch (cls)
    {
    case '*': return TRUE;
    case 'S': return t.kind != SLUICE_SQL_BOOLEAN;   /* Spark casts atoms to string */
    case 'N': return sluice_sql_type_is_numeric (t) || t.kind == SLUICE_SQL_STRING;
    case 'I': return sluice_sql_type_is_integral (t);
    case 'D': return sluice_sql_type_is_datetime (t) || t.kind == SLUICE_SQL_STRING;
    case 'B': return t.kind == SLUICE_SQL_BOOLEAN;
    default:  g_return_val_if_reached (FALSE);
    }
}

static const char *
class_name (char cls)
{
  switch (cls)
    {
    case 'S': return _("a string");
    case 'N': return _("a number");
    case 'I': return _("an integer");
    case 'D': return _("a date or timestamp");
    case 'B': return _("a boolean");
    default:  return _("a value");
    }
}

gboolean
sluice_function_check (const SluiceFunction *f,
                       const SluiceSqlType  *types,
                       guint                 n,
                       SluiceSqlType        *result,
                       guint                *bad_arg,
                       char                **reason)
{
  guint n_classes = strlen (f->args);

  *bad_arg = G_MAXUINT;
  if (n < f->min_args || (f->max_args != ANY && n > f->max_args))
    {
      if (f->min_args == f->max_args)
        *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "takes %u argument, not %u",
                                                "takes %u arguments, not %u", f->min_args), f->min_args, n);
      else if (f->max_args == ANY)
        *reason = g_strdup_printf (_("takes at least %u arguments, not %u"), f->min_args, n);
      else
        *reason = g_strdup_printf (_("takes %u to %u arguments, not %u"), f->min_args, f->max_args, n);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      char cls = n_classes == 0 ? '*' : f->args[MIN (i, n_classes - 1)];
      if (!fits (cls, types[i]))
        {
          g_autofree char *got = sluice_sql_type_to_string (types[i]);
          *bad_arg = i;
          *reason = g_strdup_printf (_("argument %u must be %s, not %s"), i + 1, class_name (cls), got);
          return FALSE;
        }
    }

  switch (f->returns)
    {
    case 'S': *result = SLUICE_SQL_TYPE (SLUICE_SQL_STRING); break;
    case 'I': *result = SLUICE_SQL_TYPE (SLUICE_SQL_INT); break;
    case 'L': *result = SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT); break;
    case 'F': *result = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE); break;
    case 'B': *result = SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN); break;
    case 'D': *result = SLUICE_SQL_TYPE (SLUICE_SQL_DATE); break;
    case 'T': *result = SLUICE_SQL_TYPE (SLUICE_SQL_TIMESTAMP); break;
    case '1': *result = n > 0 ? types[0] : SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN); break;
    case 'C':
      {
        /* if(cond, a, b) unifies its branches, not its condition. */
        guint first = g_str_equal (f->name, "if") ? 1 : 0;
        SluiceSqlType common = SLUICE_SQL_TYPE (SLUICE_SQL_NULL);

        for (guint i = first; i < n; i++)
          if (!sluice_sql_type_common (common, types[i], &common))
            {
              g_autofree char *a = sluice_sql_type_to_string (common);
              g_autofree char *b = sluice_sql_type_to_string (types[i]);
              *bad_arg = i;
              *reason = g_strdup_printf (_("argument %u is %s, which does not mix with %s"), i + 1, b, a);
              return FALSE;
            }
        *result = common;
      }
      break;
    case 'U':
      /* Spark: sum of integers is bigint, of decimal(p,s) decimal(p+10,s). */
      if (sluice_sql_type_is_integral (types[0]))
        *result = SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT);
      else if (types[0].kind == SLUICE_SQL_DECIMAL)
        *result = (SluiceSqlType) { SLUICE_SQL_DECIMAL, MIN (types[0].precision + 10, 38), types[0].scale };
      else
        *result = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
      break;
    case 'A':
      /* Spark: avg of decimal(p,s) is decimal(p+4,s+4), else double. */
      if (types[0].kind == SLUICE_SQL_DECIMAL)
        *result = (SluiceSqlType) { SLUICE_SQL_DECIMAL, MIN (types[0].precision + 4, 38),
                                    MIN (types[0].scale + 4, MIN (types[0].precision + 4, 38)) };
      else
        *result = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  return TRUE;
}

char *
sluice_function_render (const SluiceFunction *f,
                        SluiceDialect         dialect,
                        const char * const   *args,
                        guint                 n_args)
{
  const char *t = f->spelling[dialect];
  GString *out;

  if (t == NULL)
    return NULL;
  out = g_string_new (NULL);
  if (*t == '\0')
    {
      /* @args need not be NULL-terminated: join exactly n_args of them. */
      g_string_append_printf (out, "%s(", f->name);
      for (guint i = 0; i < n_args; i++)
        g_string_append_printf (out, "%s%s", i ? ", " : "", args[i]);
      g_string_append_c (out, ')');
      return g_string_free (out, FALSE);
    }

  for (const char *p = t; *p; p++)
    {
      if (p[0] == '$' && p[1] >= '1' && p[1] <= '9')
        {
          guint i = p[1] - '1';
          g_string_append (out, i < n_args ? args[i] : "NULL");
          p++;
        }
      else if (p[0] == '$' && (p[1] == '*' || p[1] == '|'))
        {
          for (guint i = 0; i < n_args; i++)
            {
              if (i > 0)
                g_string_append (out, p[1] == '*' ? ", " : " || ");
              g_string_append (out, args[i]);
            }
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
