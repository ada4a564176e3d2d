#pragma once

#include <glib.h>

#include "sluice-expr.h"
#include "sluice-sql-type.h"

G_BEGIN_DECLS

/* Type-checking an expression against the columns its gem can see. */

typedef struct
{
  const char    *name;
  SluiceSqlType  type;
} SluiceColumnRef;

/* One input of a gem: its port name (the qualifier, "in0" or "orders") and
 * its columns. */
typedef struct
{
  const char            *name;
  const SluiceColumnRef *columns;
  guint                  n_columns;
} SluiceExprInput;

typedef enum {
  SLUICE_EXPR_ALLOW_AGGREGATES = 1 << 0,   /* Aggregate gems */
  SLUICE_EXPR_ALLOW_WINDOWS    = 1 << 1,   /* Window gems */
  SLUICE_EXPR_IMPLICIT_WINDOW  = 1 << 2,   /* the gem supplies the window: no OVER needed */
} SluiceExprCheckFlags;

typedef struct
{
  guint  start;     /* characters, [start, end) */
  guint  end;
  char  *message;
} SluiceExprProblem;

void sluice_expr_problem_free (SluiceExprProblem *problem);

/* The expression's type; problems are appended to @problems (of
 * SluiceExprProblem) and make parts of the result SLUICE_SQL_UNKNOWN rather
 * than stop the check, so one pass reports everything. */
SluiceSqlType sluice_expr_check (SluiceExpr            *expr,
                                 const SluiceExprInput *inputs,
                                 guint                  n_inputs,
                                 SluiceExprCheckFlags   flags,
                                 GPtrArray             *problems);

G_END_DECLS
