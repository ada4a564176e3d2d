#define G_LOG_DOMAIN "sluice-sql-type"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sluice-sql-type.h"

static const struct { const char *name; SluiceSqlKind kind; } names[] = {
  { "string", SLUICE_SQL_STRING },
  { "int", SLUICE_SQL_INT },
  { "bigint", SLUICE_SQL_BIGINT },
  { "double", SLUICE_SQL_DOUBLE },
  { "boolean", SLUICE_SQL_BOOLEAN },
  { "date", SLUICE_SQL_DATE },
  { "timestamp", SLUICE_SQL_TIMESTAMP },
};

gboolean
sluice_sql_type_parse (const char    *text,
                       SluiceSqlType *type)
{
  unsigned p, s;
  int consumed = 0;

  g_return_val_if_fail (type != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i].name))
      {
        *type = SLUICE_SQL_TYPE (names[i].kind);
        return TRUE;
      }
  if (sscanf (text, "decimal(%u,%u)%n", &p, &s, &consumed) == 2 && text[consumed] == '\0' &&
      strpbrk (text, " +-") == NULL && p >= 1 && p <= 38 && s <= p)
    {
      *type = (SluiceSqlType) { SLUICE_SQL_DECIMAL, p, s };
      return TRUE;
    }
  return FALSE;
}

char *
sluice_sql_type_to_string (SluiceSqlType type)
{
  switch (type.kind)
    {
    case SLUICE_SQL_DECIMAL: return g_strdup_printf ("decimal(%u,%u)", type.precision, type.scale);
    case SLUICE_SQL_NULL:    return g_strdup ("null");
    case SLUICE_SQL_UNKNOWN: return g_strdup ("unknown");
    default: break;
    }
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i].kind == type.kind)
      return g_strdup (names[i].name);
  g_return_val_if_reached (g_strdup ("unknown"));
}

gboolean
sluice_sql_type_equal (SluiceSqlType a,
                       SluiceSqlType b)
{
  return a.kind == b.kind && (a.kind != SLUICE_SQL_DECIMAL ||
                              (a.precision == b.precision && a.scale == b.scale));
}

gboolean
sluice_sql_type_is_numeric (SluiceSqlType type)
{
  return type.kind == SLUICE_SQL_INT || type.kind == SLUICE_SQL_BIGINT ||
         type.kind == SLUICE_SQL_DECIMAL || type.kind == SLUICE_SQL_DOUBLE;
}

gboolean
sluice_sql_type_is_integral (SluiceSqlType type)
{
  return type.kind == SLUICE_SQL_INT || type.kind == SLUICE_SQL_BIGINT;
}

gboolean
sluice_sql_type_is_datetime (SluiceSqlType type)
{
  return type.kind == SLUICE_SQL_DATE || type.kind == SLUICE_SQL_TIMESTAMP;
}

/* Integers as decimals, for widening: int is decimal(10,0), bigint decimal(20,0). */
static SluiceSqlType
as_decimal (SluiceSqlType t)
{
  if (t.kind == SLUICE_SQL_INT)
    return (SluiceSqlType) { SLUICE_SQL_DECIMAL, 10, 0 };
  if (t.kind == SLUICE_SQL_BIGINT)
    return (SluiceSqlType) { SLUICE_SQL_DECIMAL, 20, 0 };
  return t;
}

static SluiceSqlType
bounded_decimal (int precision,
                 int scale)
{
  /* Arithmetic results: when precision overflows 38, Spark keeps the integral
   * digits and at least 6 digits of scale (allowPrecisionLoss, its default). */
  if (precision > 38)
    {
      int integral = precision - scale;
      int min_scale = MIN (scale, 6);
      scale = MAX (38 - integral, min_scale);
      precision = 38;
    }
  return (SluiceSqlType) { SLUICE_SQL_DECIMAL, (guint8) precision, (guint8) MAX (scale, 0) };
}

static int
numeric_rank (SluiceSqlKind kind)
{
  switch (kind)
    {
    case SLUICE_SQL_INT:     return 1;
    case SLUICE_SQL_BIGINT:  return 2;
    case SLUICE_SQL_DECIMAL: return 3;
    case SLUICE_SQL_DOUBLE:  return 4;
    default:                 return 0;
    }
}

gboolean
sluice_sql_type_common (SluiceSqlType  a,
                        SluiceSqlType  b,
                        SluiceSqlType *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  if (a.kind == SLUICE_SQL_UNKNOWN || b.kind == SLUICE_SQL_UNKNOWN)
    {
      *result = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
      return TRUE;
    }
  if (a.kind == SLUICE_SQL_NULL)
    {
      *result = b;
      return TRUE;
    }
  if (b.kind == SLUICE_SQL_NULL || sluice_sql_type_equal (a, b))
    {
      *result = a;
      return TRUE;
    }
  if (sluice_sql_type_is_numeric (a) && sluice_sql_type_is_numeric (b))
    {
      if (a.kind == SLUICE_SQL_DOUBLE || b.kind == SLUICE_SQL_DOUBLE)
        *result = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
      else if (a.kind == SLUICE_SQL_DECIMAL || b.kind == SLUICE_SQL_DECIMAL)
        {
          SluiceSqlType x = as_decimal (a), y = as_decimal (b);
          int scale = MAX (x.scale, y.scale);
          int integral = MAX (x.precision - x.scale, y.precision - y.scale);
          /* Widening caps precision and scale at 38 (Spark's DecimalType.bounded);
           * only arithmetic trades scale for integral digits. */
          *result = (SluiceSqlType) { SLUICE_SQL_DECIMAL, MIN (integral + scale, 38), MIN (scale, 38) };
        }
      else
        *result = numeric_rank (a.kind) >= numeric_rank (b.kind) ? a : b;
      return TRUE;
    }
  if (sluice_sql_type_is_datetime (a) && sluice_sql_type_is_datetime (b))
    {
      *result = SLUICE_SQL_TYPE (SLUICE_SQL_TIMESTAMP);
      return TRUE;
    }
  /* Spark compares strings with numbers and dates by casting the string. */
  if (a.kind == SLUICE_SQL_STRING && (sluice_sql_type_is_numeric (b) || sluice_sql_type_is_datetime (b)))
    {
      *result = b;
      return TRUE;
    }
  if (b.kind == SLUICE_SQL_STRING && (sluice_sql_type_is_numeric (a) || sluice_sql_type_is_datetime (a)))
    {
      *result = a;
      return TRUE;
    }
  return FALSE;
}

gboolean
sluice_sql_type_can_coerce (SluiceSqlType from,
                            SluiceSqlType to)
{
  if (from.kind == SLUICE_SQL_NULL || from.kind == SLUICE_SQL_UNKNOWN || to.kind == SLUICE_SQL_UNKNOWN)
    return TRUE;
  if (sluice_sql_type_equal (from, to))
    return TRUE;
  if (sluice_sql_type_is_numeric (from) && sluice_sql_type_is_numeric (to))
    return numeric_rank (from.kind) <= numeric_rank (to.kind);
  if (from.kind == SLUICE_SQL_DATE && to.kind == SLUICE_SQL_TIMESTAMP)
    return TRUE;
  /* Strings are read as numbers, dates and timestamps where one is needed,
   * and every atomic type is written as a string where one is needed. */
  if (from.kind == SLUICE_SQL_STRING &&
      (sluice_sql_type_is_numeric (to) || sluice_sql_type_is_datetime (to)))
    return TRUE;
  if (to.kind == SLUICE_SQL_STRING && from.kind != SLUICE_SQL_BOOLEAN)
    return TRUE;
  return FALSE;
}

SluiceSqlType
sluice_sql_type_arithmetic (char          op,
                            SluiceSqlType a,
                            SluiceSqlType b)
{
  SluiceSqlType x, y;

  if (a.kind == SLUICE_SQL_UNKNOWN || b.kind == SLUICE_SQL_UNKNOWN)
    return SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
  if (a.kind == SLUICE_SQL_NULL)
    a = b.kind == SLUICE_SQL_NULL ? SLUICE_SQL_TYPE (SLUICE_SQL_INT) : b;
  if (b.kind == SLUICE_SQL_NULL)
    b = a;
  /* Strings in arithmetic are read as doubles, as Spark does. */
  if (a.kind == SLUICE_SQL_STRING)
    a = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
  if (b.kind == SLUICE_SQL_STRING)
    b = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);

  if (a.kind == SLUICE_SQL_DOUBLE || b.kind == SLUICE_SQL_DOUBLE)
    return SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);

  if (a.kind != SLUICE_SQL_DECIMAL && b.kind != SLUICE_SQL_DECIMAL)
    {
      /* Integer division in Spark's "/" gives a double. */
      if (op == '/')
        return SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
      return numeric_rank (a.kind) >= numeric_rank (b.kind) ? a : b;
    }

  x = as_decimal (a);
  y = as_decimal (b);
  switch (op)
    {
    case '+':
    case '-':
      {
        int scale = MAX (x.scale, y.scale);
        return bounded_decimal (MAX (x.precision - x.scale, y.precision - y.scale) + scale + 1, scale);
      }
    case '*':
      return bounded_decimal (x.precision + y.precision + 1, x.scale + y.scale);
    case '/':
      {
        int scale = MAX (6, x.scale + y.precision + 1);
        return bounded_decimal (x.precision - x.scale + y.scale + scale, scale);
      }
    case '%':
      {
        int scale = MAX (x.scale, y.scale);
        return bounded_decimal (MIN (x.precision - x.scale, y.precision - y.scale) + scale, scale);
      }
    default:
      g_return_val_if_reached (SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN));
    }
}
