#pragma once

#include "sluice-expr.h"

G_BEGIN_DECLS

/* Shared by the files of SluiceExpr: sluice-expr.c (references, printing)
 * and sluice-expr-parser.c (which allocates trees). */

/* One block of a tree's memory; what it holds follows the header. A root's
 * memory is the list of its blocks, newest first. */
typedef struct _SluiceExprBlock SluiceExprBlock;
struct _SluiceExprBlock
{
  SluiceExprBlock *next;     /* owned, nullable */
};

G_END_DECLS
