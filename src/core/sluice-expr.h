#pragma once

#include <glib-object.h>

#include "sluice-core-types.h"
#include "sluice-function.h"

G_BEGIN_DECLS

/* Spark SQL expressions as analysts type them, parsed into a tree. Every
 * node knows its character range in the source text, so a problem found
 * later (unknown column, type mismatch) can be underlined exactly. */

#define SLUICE_EXPR_ERROR (sluice_expr_error_quark ())

typedef enum {
  SLUICE_EXPR_ERROR_FAILED,
  SLUICE_EXPR_ERROR_SYNTAX,
} SluiceExprError;

GQuark sluice_expr_error_quark (void);

typedef enum {
  SLUICE_EXPR_LITERAL,
  SLUICE_EXPR_COLUMN,    /* text = name, qualifier = "in0" or NULL */
  SLUICE_EXPR_STAR,      /* the * of count(*) */
  SLUICE_EXPR_UNARY,     /* op, args[0] */
  SLUICE_EXPR_BINARY,    /* op, args[0], args[1] */
  SLUICE_EXPR_CALL,      /* text = lower-case name, args; distinct; window (nullable) */
  SLUICE_EXPR_CASE,      /* operand (nullable), args = when, then, when, then…, otherwise (nullable) */
  SLUICE_EXPR_CAST,      /* args[0], text = target type as written, normalised */
  SLUICE_EXPR_IN,        /* args[0] [NOT] IN (args[1..]) */
  SLUICE_EXPR_BETWEEN,   /* args[0] [NOT] BETWEEN args[1] AND args[2] */
  SLUICE_EXPR_IS_NULL,   /* args[0] IS [NOT] NULL */
  SLUICE_EXPR_LIKE,      /* args[0] [NOT] LIKE|RLIKE args[1]; op says which */
} SluiceExprKind;

typedef enum {
  SLUICE_LITERAL_NULL,
  SLUICE_LITERAL_BOOLEAN,    /* text "true"/"false" */
  SLUICE_LITERAL_INTEGER,    /* text: digits; fits int or bigint (see suffix) */
  SLUICE_LITERAL_DECIMAL,    /* text: digits.digits (Spark reads 1.5 as decimal) */
  SLUICE_LITERAL_DOUBLE,     /* text: with exponent or D suffix */
  SLUICE_LITERAL_STRING,     /* text: the value, escapes resolved */
  SLUICE_LITERAL_DATE,       /* text: YYYY-MM-DD */
  SLUICE_LITERAL_TIMESTAMP,  /* text: YYYY-MM-DD HH:MM:SS[.ffffff] */
} SluiceLiteralKind;

typedef enum {
  SLUICE_OP_NONE,
  SLUICE_OP_OR,
  SLUICE_OP_AND,
  SLUICE_OP_NOT,
  SLUICE_OP_EQ,
  SLUICE_OP_NULL_SAFE_EQ,
  SLUICE_OP_NE,
  SLUICE_OP_LT,
  SLUICE_OP_LE,
  SLUICE_OP_GT,
  SLUICE_OP_GE,
  SLUICE_OP_ADD,
  SLUICE_OP_SUB,
  SLUICE_OP_MUL,
  SLUICE_OP_DIV,
  SLUICE_OP_MOD,
  SLUICE_OP_INT_DIV,
  SLUICE_OP_CONCAT,
  SLUICE_OP_NEG,
  SLUICE_OP_PLUS,
  SLUICE_OP_LIKE,
  SLUICE_OP_RLIKE,
} SluiceExprOp;

typedef struct _SluiceExpr       SluiceExpr;
typedef struct _SluiceWindowSpec SluiceWindowSpec;

/* A tree lives in one block of memory owned by its root (the expression
 * sluice_expr_parse() returned): its nodes, strings and arrays are freed
 * with the root, and only the root is referenced or unreferenced. One
 * allocation per expression instead of a dozen: code generation parses
 * tens of thousands. */

typedef struct
{
  SluiceExpr *expr;
  gboolean    descending;
  int         nulls;         /* 0 default, 1 first, 2 last */
} SluiceSortKey;

struct _SluiceWindowSpec
{
  SluiceExpr   **partition_by;
  guint          n_partition_by;
  SluiceSortKey *order_by;
  guint          n_order_by;
  const char    *frame;      /* NULL, or the frame clause as normalised text */
};

struct _SluiceExpr
{
  SluiceExprKind     kind;
  guint              start;         /* character offsets in the source, [start, end) */
  guint              end;
  SluiceExprOp       op;
  SluiceLiteralKind  literal;
  gboolean           negated;       /* NOT IN, NOT BETWEEN, IS NOT NULL, NOT LIKE */
  gboolean           distinct;      /* count(DISTINCT …) */
  gboolean           quoted;        /* a `backticked` column */
  const char        *text;          /* see SluiceExprKind */
  const char        *qualifier;     /* nullable */
  SluiceExpr       **args;          /* n_args of them; NULL when none */
  guint              n_args;
  SluiceExpr        *operand;       /* CASE operand (nullable) */
  SluiceExpr        *otherwise;     /* CASE ELSE (nullable) */
  SluiceWindowSpec  *window;        /* OVER (…) (nullable) */
  /* CALL: sluice_function_lookup (text), looked up once for the checker
   * and every writer; NULL for an unknown function. */
  const SluiceFunction *function;
  /* The root's only: */
  const char        *source;        /* a copy of the text it was parsed from */
  gatomicrefcount    ref_count;
  gpointer           memory;        /* owned: the tree's blocks (see sluice-expr.c) */
  gpointer           memos;         /* owned, nullable: see sluice_expr_get_memo() */
};

#define SLUICE_TYPE_EXPR (sluice_expr_get_type ())
GType       sluice_expr_get_type    (void) G_GNUC_CONST;

/* Parses one expression. On failure @error_start and @error_end (character
 * offsets, end exclusive) mark what is wrong. */
SluiceExpr *sluice_expr_parse       (const char  *text,
                                     guint       *error_start,
                                     guint       *error_end,
                                     GError     **error);
/* Of a root only (see above). */
SluiceExpr *sluice_expr_ref         (SluiceExpr  *self);
void        sluice_expr_unref       (SluiceExpr  *self);
/* What a code generator wrote for a root tree, kept with it: a tree never
 * changes once parsed, and the resolver shares one between every gem with
 * the same text, so each rendering need only be made once. @slot is the
 * generator's (below SLUICE_EXPR_N_MEMOS); NULL when none was kept.
 * Threads may use the memos of one tree at once (see
 * sluice_resolver_begin_shared()): a slot's memo, once set, stays. */
#define SLUICE_EXPR_N_MEMOS 8
const char *sluice_expr_get_memo    (SluiceExpr  *self,
                                     guint        slot,
                                     gsize       *len);
void        sluice_expr_set_memo    (SluiceExpr  *self,
                                     guint        slot,
                                     const char  *text,
                                     gsize        len);
/* A canonical, fully parenthesised rendering, for tests and debugging. */
char       *sluice_expr_to_debug_string (SluiceExpr *self);
const char *sluice_expr_op_to_string    (SluiceExprOp op);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceExpr, sluice_expr_unref)

G_END_DECLS
