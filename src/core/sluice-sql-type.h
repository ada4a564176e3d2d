#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The column types Sluice knows, and Spark's rules for mixing them. */
typedef enum {
  SLUICE_SQL_UNKNOWN,     /* not determined (an earlier error) */
  SLUICE_SQL_NULL,        /* the type of a bare NULL: fits anywhere */
  SLUICE_SQL_STRING,
  SLUICE_SQL_INT,
  SLUICE_SQL_BIGINT,
  SLUICE_SQL_DECIMAL,
  SLUICE_SQL_DOUBLE,
  SLUICE_SQL_BOOLEAN,
  SLUICE_SQL_DATE,
  SLUICE_SQL_TIMESTAMP,
} SluiceSqlKind;

typedef struct
{
  SluiceSqlKind kind;
  guint8        precision;   /* DECIMAL only, 1..38 */
  guint8        scale;       /* DECIMAL only, 0..precision */
} SluiceSqlType;

#define SLUICE_SQL_TYPE(k) ((SluiceSqlType) { (k), 0, 0 })

/* "decimal(10,2)", "string", …; FALSE for anything else. */
gboolean      sluice_sql_type_parse        (const char    *text,
                                            SluiceSqlType *type);
/* (transfer full): the canonical spelling */
char         *sluice_sql_type_to_string    (SluiceSqlType  type);
gboolean      sluice_sql_type_equal        (SluiceSqlType  a,
                                            SluiceSqlType  b);
gboolean      sluice_sql_type_is_numeric   (SluiceSqlType  type);
gboolean      sluice_sql_type_is_integral  (SluiceSqlType  type);
gboolean      sluice_sql_type_is_datetime  (SluiceSqlType  type);
/* Whether Spark converts @from to @to without an explicit CAST. */
gboolean      sluice_sql_type_can_coerce   (SluiceSqlType  from,
                                            SluiceSqlType  to);
/* The type both widen to (CASE branches, COALESCE, IN lists, comparisons);
 * FALSE when there is none. */
gboolean      sluice_sql_type_common       (SluiceSqlType  a,
                                            SluiceSqlType  b,
                                            SluiceSqlType *result);
/* The result of + - * / % on two numeric types, Spark's decimal rules
 * included (precision capped at 38). */
SluiceSqlType sluice_sql_type_arithmetic   (char           op,
                                            SluiceSqlType  a,
                                            SluiceSqlType  b);

G_END_DECLS
