#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <string.h>

#include "sluice-expr-private.h"

G_DEFINE_QUARK (sluice-expr-error-quark, sluice_expr_error)
G_DEFINE_BOXED_TYPE (SluiceExpr, sluice_expr, sluice_expr_ref, sluice_expr_unref)

/* A slot's rendering, made once and never changed: threads writing the
 * same tree at once (each a run of the gems) may both make one; the first
 * published stays, and a reader sees either none or a whole one. */
typedef struct
{
  gsize len;
  char  text[];
} Memo;

const char *
sluice_expr_get_memo (SluiceExpr *self,
                      guint       slot,
                      gsize      *len)
{
  Memo **memos = g_atomic_pointer_get (&self->memos);
  Memo *memo;

  g_return_val_if_fail (self->memory != NULL, NULL);
  g_return_val_if_fail (slot < SLUICE_EXPR_N_MEMOS, NULL);

  if (memos == NULL || (memo = g_atomic_pointer_get (&memos[slot])) == NULL)
    return NULL;
  *len = memo->len;
  return memo->text;
}

void
sluice_expr_set_memo (SluiceExpr *self,
                      guint       slot,
                      const char *text,
                      gsize       len)
{
  Memo **memos;
  Memo *memo;

  g_return_if_fail (self->memory != NULL);
  g_return_if_fail (slot < SLUICE_EXPR_N_MEMOS);

  memos = g_atomic_pointer_get (&self->memos);
  if (memos == NULL)
    {
      Memo **fresh = g_new0 (Memo *, SLUICE_EXPR_N_MEMOS);

      if (g_atomic_pointer_compare_and_exchange (&self->memos, NULL, fresh))
        memos = fresh;
      else
        {
          g_free (fresh);
          memos = g_atomic_pointer_get (&self->memos);
        }
    }
  memo = g_malloc (sizeof (Memo) + len + 1);
  memo->len = len;
  memcpy (memo->text, text, len);
  memo->text[len] = '\0';
  /* A tree renders the same in a slot every time: a memo already there is
   * kept. */
  if (!g_atomic_pointer_compare_and_exchange (&memos[slot], NULL, memo))
    g_free (memo);
}

SluiceExpr *
sluice_expr_ref (SluiceExpr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->memory != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sluice_expr_unref (SluiceExpr *self)
{
  SluiceExprBlock *block;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->memory != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->memos)
    {
      Memo **memos = self->memos;
      for (guint i = 0; i < SLUICE_EXPR_N_MEMOS; i++)
        g_free (memos[i]);
      g_free (memos);
    }
  /* The root is in one of the blocks: nothing of it is read after this. */
  block = self->memory;
  while (block)
    {
      SluiceExprBlock *next = block->next;
      g_free (block);
      block = next;
    }
}

const char *
sluice_expr_op_to_string (SluiceExprOp op)
{
  switch (op)
    {
    case SLUICE_OP_OR:           return "OR";
    case SLUICE_OP_AND:          return "AND";
    case SLUICE_OP_NOT:          return "NOT";
    case SLUICE_OP_EQ:           return "=";
    case SLUICE_OP_NULL_SAFE_EQ: return "<=>";
    case SLUICE_OP_NE:           return "<>";
    case SLUICE_OP_LT:           return "<";
    case SLUICE_OP_LE:           return "<=";
    case SLUICE_OP_GT:           return ">";
    case SLUICE_OP_GE:           return ">=";
    case SLUICE_OP_ADD:          return "+";
    case SLUICE_OP_SUB:          return "-";
    case SLUICE_OP_MUL:          return "*";
    case SLUICE_OP_DIV:          return "/";
    case SLUICE_OP_MOD:          return "%";
    case SLUICE_OP_INT_DIV:      return "DIV";
    case SLUICE_OP_CONCAT:       return "||";
    case SLUICE_OP_NEG:          return "-";
    case SLUICE_OP_PLUS:         return "+";
    case SLUICE_OP_LIKE:         return "LIKE";
    case SLUICE_OP_RLIKE:        return "RLIKE";
    case SLUICE_OP_NONE:
    default:                     return "";
    }
}

static void append_debug (GString *out, SluiceExpr *e);

static void
append_list (GString     *out,
             SluiceExpr **items,
             guint        n,
             guint        from)
{
  for (guint i = from; i < n; i++)
    {
      if (i > from)
        g_string_append (out, ", ");
      append_debug (out, items[i]);
    }
}

static void
append_quoted_name (GString    *out,
                    const char *name)
{
  g_string_append_c (out, '`');
  for (const char *c = name; *c; c++)
    {
      if (*c == '`')
        g_string_append_c (out, '`');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '`');
}

static void
append_string_literal (GString    *out,
                       const char *s)
{
  g_string_append_c (out, '\'');
  for (const char *p = s; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static void
append_debug (GString    *out,
              SluiceExpr *e)
{
  switch (e->kind)
    {
    case SLUICE_EXPR_LITERAL:
      switch (e->literal)
        {
        case SLUICE_LITERAL_NULL:      g_string_append (out, "NULL"); break;
        case SLUICE_LITERAL_STRING:    append_string_literal (out, e->text); break;
        case SLUICE_LITERAL_DATE:      g_string_append (out, "DATE "); append_string_literal (out, e->text); break;
        case SLUICE_LITERAL_TIMESTAMP: g_string_append (out, "TIMESTAMP "); append_string_literal (out, e->text); break;
        default:                       g_string_append (out, e->text); break;
        }
      break;
    case SLUICE_EXPR_COLUMN:
      if (e->qualifier)
        {
          append_quoted_name (out, e->qualifier);
          g_string_append_c (out, '.');
        }
      append_quoted_name (out, e->text);
      break;
    case SLUICE_EXPR_STAR:
      g_string_append_c (out, '*');
      break;
    case SLUICE_EXPR_UNARY:
      /* "(- 5)", not "(-5)": the latter reads back as the literal -5. */
      g_string_append_printf (out, "(%s ", sluice_expr_op_to_string (e->op));
      append_debug (out, e->args[0]);
      g_string_append_c (out, ')');
      break;
    case SLUICE_EXPR_BINARY:
      g_string_append_c (out, '(');
      append_debug (out, e->args[0]);
      g_string_append_printf (out, " %s ", sluice_expr_op_to_string (e->op));
      append_debug (out, e->args[1]);
      g_string_append_c (out, ')');
      break;
    case SLUICE_EXPR_CALL:
      g_string_append_printf (out, "%s(%s", e->text, e->distinct ? "DISTINCT " : "");
      append_list (out, e->args, e->n_args, 0);
      g_string_append_c (out, ')');
      if (e->window)
        {
          gboolean space = FALSE;

          g_string_append (out, " OVER (");
          if (e->window->n_partition_by)
            {
              g_string_append (out, "PARTITION BY ");
              append_list (out, e->window->partition_by, e->window->n_partition_by, 0);
              space = TRUE;
            }
          if (e->window->n_order_by)
            {
              g_string_append (out, space ? " ORDER BY " : "ORDER BY ");
              for (guint i = 0; i < e->window->n_order_by; i++)
                {
                  SluiceSortKey *k = &e->window->order_by[i];
                  if (i)
                    g_string_append (out, ", ");
                  append_debug (out, k->expr);
                  g_string_append (out, k->descending ? " DESC" : " ASC");
                  if (k->nulls)
                    g_string_append (out, k->nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
                }
              space = TRUE;
            }
          if (e->window->frame)
            g_string_append_printf (out, "%s%s", space ? " " : "", e->window->frame);
          g_string_append_c (out, ')');
        }
      break;
    case SLUICE_EXPR_CASE:
      g_string_append (out, "CASE");
      if (e->operand)
        {
          g_string_append_c (out, ' ');
          append_debug (out, e->operand);
        }
      for (guint i = 0; i + 1 < e->n_args; i += 2)
        {
          g_string_append (out, " WHEN ");
          append_debug (out, e->args[i]);
          g_string_append (out, " THEN ");
          append_debug (out, e->args[i + 1]);
        }
      if (e->otherwise)
        {
          g_string_append (out, " ELSE ");
          append_debug (out, e->otherwise);
        }
      g_string_append (out, " END");
      break;
    case SLUICE_EXPR_CAST:
      g_string_append (out, "CAST(");
      append_debug (out, e->args[0]);
      g_string_append_printf (out, " AS %s)", e->text);
      break;
    case SLUICE_EXPR_IN:
      g_string_append_c (out, '(');
      append_debug (out, e->args[0]);
      g_string_append (out, e->negated ? " NOT IN (" : " IN (");
      append_list (out, e->args, e->n_args, 1);
      g_string_append (out, "))");
      break;
    case SLUICE_EXPR_BETWEEN:
      g_string_append_c (out, '(');
      append_debug (out, e->args[0]);
      g_string_append (out, e->negated ? " NOT BETWEEN " : " BETWEEN ");
      append_debug (out, e->args[1]);
      g_string_append (out, " AND ");
      append_debug (out, e->args[2]);
      g_string_append_c (out, ')');
      break;
    case SLUICE_EXPR_IS_NULL:
      g_string_append_c (out, '(');
      append_debug (out, e->args[0]);
      g_string_append (out, e->negated ? " IS NOT NULL)" : " IS NULL)");
      break;
    case SLUICE_EXPR_LIKE:
      g_string_append_c (out, '(');
      append_debug (out, e->args[0]);
      g_string_append_printf (out, " %s%s ", e->negated ? "NOT " : "", sluice_expr_op_to_string (e->op));
      append_debug (out, e->args[1]);
      g_string_append_c (out, ')');
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
sluice_expr_to_debug_string (SluiceExpr *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  append_debug (out, self);
  return g_string_free (out, FALSE);
}
