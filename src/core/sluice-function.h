#pragma once

#include <glib.h>

#include "sluice-sql-type.h"

G_BEGIN_DECLS

/* The Spark SQL functions Sluice understands: their argument and result
 * types, and how each dialect spells them. A dialect whose template is NULL
 * cannot express the function, and the compiler says so rather than write
 * wrong SQL. */

typedef enum {
  SLUICE_FUNCTION_SCALAR,
  SLUICE_FUNCTION_AGGREGATE,
  SLUICE_FUNCTION_WINDOW,
} SluiceFunctionKind;

typedef enum {
  SLUICE_DIALECT_SPARK,       /* Spark SQL and PySpark's expr() */
  SLUICE_DIALECT_SNOWFLAKE,
  SLUICE_DIALECT_SQLITE,      /* the local engine */
  SLUICE_N_DIALECTS
} SluiceDialect;

typedef struct
{
  const char         *name;       /* lower case, as Spark spells it */
  const char         *category;   /* string, math, date, conditional, aggregate, window */
  SluiceFunctionKind  kind;
  guint8              min_args;
  guint8              max_args;   /* G_MAXUINT8: any number */
  /* One letter per argument, the last one repeating: S string, N numeric,
   * I integral, D date/timestamp, B boolean, * anything. */
  const char         *args;
  /* S string, I int, L bigint, F double, B boolean, D date, T timestamp,
   * 1 the first argument's type, C the common type of all arguments,
   * U sum's widening, A avg's. */
  char                returns;
  /* Per dialect: NULL not expressible; "" the Spark spelling, name(args);
   * else a template where $1…$9 are arguments, $* all of them separated by
   * commas and $| all of them separated by " || ". */
  const char         *spelling[SLUICE_N_DIALECTS];
} SluiceFunction;

/* (nullable) */
const SluiceFunction *sluice_function_lookup    (const char      *name);
/* Ended by an entry whose name is NULL. */
const SluiceFunction *sluice_function_list      (void);
const char           *sluice_dialect_name       (SluiceDialect    dialect);
/* The result type for arguments of @types, or FALSE and a reason (one
 * sentence, without the function's name). */
gboolean              sluice_function_check     (const SluiceFunction *function,
                                                 const SluiceSqlType  *types,
                                                 guint                 n_types,
                                                 SluiceSqlType        *result,
                                                 guint                *bad_arg,
                                                 char                **reason);
/* Fills the dialect's template with already rendered arguments; NULL when
 * the dialect cannot express the function. */
char                 *sluice_function_render    (const SluiceFunction *function,
                                                 SluiceDialect         dialect,
                                                 const char * const   *args,
                                                 guint                 n_args);

G_END_DECLS
