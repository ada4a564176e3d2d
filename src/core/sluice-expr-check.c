#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-expr-check.h"
#include "sluice-function.h"

typedef struct
{
  const SluiceExprInput *inputs;
  guint                  n_inputs;
  SluiceExprCheckFlags   flags;
  GPtrArray             *problems;
  gboolean               in_aggregate;
} Check;

void
sluice_expr_problem_free (SluiceExprProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->message);
  g_free (problem);
}

static void
problem (Check      *c,
         SluiceExpr *at,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static void
problem (Check      *c,
         SluiceExpr *at,
         const char *format,
         ...)
{
  SluiceExprProblem *p = g_new0 (SluiceExprProblem, 1);
  va_list args;

  va_start (args, format);
  p->message = g_strdup_vprintf (format, args);
  va_end (args);
  p->start = at->start;
  p->end = at->end;
  g_ptr_array_add (c->problems, p);
}

#define UNKNOWN SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN)

static SluiceSqlType check (Check *c, SluiceExpr *e);

/* Levenshtein distance, for "did you mean" on misspelt columns. */
static guint
distance (const char *a,
          const char *b)
{
  guint la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (guint j = 0; j <= lb; j++)
    row[j] = j;
  for (guint i = 1; i <= la; i++)
    {
      guint prev = row[0], tmp;
      row[0] = i;
      for (guint j = 1; j <= lb; j++)
        {
          tmp = row[j];
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1),
                        prev + (g_ascii_tolower (a[i - 1]) != g_ascii_tolower (b[j - 1])));
          prev = tmp;
        }
    }
  return row[lb];
}


/* g_ascii_strcasecmp (a, b) == 0, inline: asked of every column of every
 * input for every column reference, and GLib's folds each character
 * through a call. */
static inline gboolean
same_name (const char *a,
           const char *b)
{
  for (;; a++, b++)
    {
      char x = *a, y = *b;

      if (x != y)
        {
          x = x >= 'A' && x <= 'Z' ? x + ('a' - 'A') : x;
          y = y >= 'A' && y <= 'Z' ? y + ('a' - 'A') : y;
          if (x != y)
            return FALSE;
        }
      if (x == '\0')
        return TRUE;
    }
}
static SluiceSqlType
check_column (Check      *c,
              SluiceExpr *e)
{
  const SluiceColumnRef *found = NULL;
  guint matches = 0;

  if (e->qualifier)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < c->n_inputs; i++)
        known |= g_ascii_strcasecmp (c->inputs[i].name, e->qualifier) == 0;
      if (!known)
        {
          g_autoptr(GString) names = g_string_new (NULL);
          for (guint i = 0; i < c->n_inputs; i++)
            g_string_append_printf (names, "%s%s", i ? ", " : "", c->inputs[i].name);
          problem (c, e, _("unknown input “%s” (this gem’s inputs: %s)"), e->qualifier,
                   names->len ? names->str : _("none"));
          return UNKNOWN;
        }
    }

  /* Spark resolves names without regard to case. Nothing is allocated or
   * compared beyond the names unless the column is missing or ambiguous:
   * every column reference of every gem comes through here. */
  for (guint i = 0; i < c->n_inputs; i++)
    {
      const SluiceExprInput *in = &c->inputs[i];

      if (e->qualifier && !same_name (in->name, e->qualifier))
        continue;
      for (guint k = 0; k < in->n_columns; k++)
        if (same_name (in->columns[k].name, e->text))
          {
            matches++;
            found = &in->columns[k];
            break;
          }
    }

  if (matches > 1)
    {
      g_autoptr(GString) where = g_string_new (NULL);

      for (guint i = 0; i < c->n_inputs; i++)
        {
          const SluiceExprInput *in = &c->inputs[i];

          if (e->qualifier && g_ascii_strcasecmp (in->name, e->qualifier) != 0)
            continue;
          for (guint k = 0; k < in->n_columns; k++)
            if (g_ascii_strcasecmp (in->columns[k].name, e->text) == 0)
              {
                g_string_append_printf (where, "%s%s", where->len ? _(" and ") : "", in->name);
                break;
              }
        }
      problem (c, e, _("ambiguous column “%s”: it is in %s; write %s.%s"), e->text, where->str,
               c->inputs[0].name, e->text);
      return UNKNOWN;
    }
  if (found == NULL)
    {
      const char *closest = NULL;
      guint best = G_MAXUINT;

      for (guint i = 0; i < c->n_inputs; i++)
        {
          const SluiceExprInput *in = &c->inputs[i];

          if (e->qualifier && g_ascii_strcasecmp (in->name, e->qualifier) != 0)
            continue;
          for (guint k = 0; k < in->n_columns; k++)
            {
              guint d = distance (in->columns[k].name, e->text);
              if (d < best)
                {
                  best = d;
                  closest = in->columns[k].name;
                }
            }
        }
      if (closest && best <= MAX (1u, strlen (e->text) / 3))
        problem (c, e, _("unknown column “%s”; did you mean “%s”?"), e->text, closest);
      else
        problem (c, e, _("unknown column “%s”"), e->text);
      return UNKNOWN;
    }
  return found->type;
}

static SluiceSqlType
literal_type (SluiceExpr *e)
{
  switch (e->literal)
    {
    case SLUICE_LITERAL_NULL:      return SLUICE_SQL_TYPE (SLUICE_SQL_NULL);
    case SLUICE_LITERAL_BOOLEAN:   return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);
    case SLUICE_LITERAL_STRING:    return SLUICE_SQL_TYPE (SLUICE_SQL_STRING);
    case SLUICE_LITERAL_DATE:      return SLUICE_SQL_TYPE (SLUICE_SQL_DATE);
    case SLUICE_LITERAL_TIMESTAMP: return SLUICE_SQL_TYPE (SLUICE_SQL_TIMESTAMP);
    case SLUICE_LITERAL_DOUBLE:    return SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
    case SLUICE_LITERAL_INTEGER:
      {
        const char *digits = e->text + (e->text[0] == '-');
        gsize n = 0;
        gint64 v;

        /* Nine digits or fewer are an int: no strtoll (checks meet
         * literals by the ten thousand). */
        while (n <= 9 && g_ascii_isdigit (digits[n]))
          n++;
        if (n > 0 && n <= 9 && digits[n] == '\0')
          return SLUICE_SQL_TYPE (SLUICE_SQL_INT);
        errno = 0;
        v = g_ascii_strtoll (e->text, NULL, 10);
        if (errno == ERANGE)
          return (SluiceSqlType) { SLUICE_SQL_DECIMAL, MIN (strlen (e->text) - (e->text[0] == '-'), 38), 0 };
        return v >= G_MININT32 && v <= G_MAXINT32 ? SLUICE_SQL_TYPE (SLUICE_SQL_INT)
                                                  : SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT);
      }
    case SLUICE_LITERAL_DECIMAL:
      {
        /* 1.50 is decimal(3,2), as Spark reads it. */
        const char *dot = strchr (e->text, '.');
        guint digits = 0, scale = 0;
        for (const char *p = e->text; *p; p++)
          if (g_ascii_isdigit (*p))
            {
              digits++;
              if (dot && p > dot)
                scale++;
            }
        digits = MIN (MAX (digits, 1u), 38u);
        return (SluiceSqlType) { SLUICE_SQL_DECIMAL, digits, MIN (scale, digits) };
      }
    default:
      g_return_val_if_reached (UNKNOWN);
    }
}

static char *
type_name (SluiceSqlType t)
{
  return sluice_sql_type_to_string (t);
}

/* @role: a msgid (N_()), translated only for a problem: every AND and OR
 * is checked, and gettext is not free. */
static void
expect_boolean (Check      *c,
                SluiceExpr *e,
                SluiceSqlType t,
                const char *role)
{
  if (t.kind != SLUICE_SQL_BOOLEAN && t.kind != SLUICE_SQL_NULL && t.kind != SLUICE_SQL_UNKNOWN)
    {
      g_autofree char *got = type_name (t);
      problem (c, e, _("%s must be true or false, not %s"), _(role), got);
    }
}

static SluiceSqlType
check_call (Check      *c,
            SluiceExpr *e)
{
  const SluiceFunction *f = e->function;
  SluiceSqlType stack_types[8];
  g_autofree SluiceSqlType *heap_types = NULL;
  SluiceSqlType *types;
  g_autofree char *reason = NULL;
  gboolean was_in_aggregate = c->in_aggregate;
  SluiceSqlType result = UNKNOWN;
  guint bad;

  if (f == NULL)
    {
      problem (c, e, _("unknown function “%s”"), e->text);
      for (guint i = 0; i < e->n_args; i++)
        check (c, e->args[i]);
      return UNKNOWN;
    }

  if (f->kind == SLUICE_FUNCTION_AGGREGATE && e->window == NULL &&
      !(c->flags & SLUICE_EXPR_IMPLICIT_WINDOW))
    {
      if (!(c->flags & SLUICE_EXPR_ALLOW_AGGREGATES))
        problem (c, e, _("“%s” aggregates rows: use it in an Aggregate gem"), f->name);
      else if (c->in_aggregate)
        problem (c, e, _("“%s” cannot be used inside another aggregate"), f->name);
      c->in_aggregate = TRUE;
    }
  if (f->kind == SLUICE_FUNCTION_WINDOW && e->window == NULL && !(c->flags & SLUICE_EXPR_IMPLICIT_WINDOW))
    problem (c, e, _("“%s” is a window function: it needs OVER (…)"), f->name);
  if (e->window != NULL && !(c->flags & SLUICE_EXPR_ALLOW_WINDOWS))
    problem (c, e, _("window functions belong in a Window gem"));
  if (e->window != NULL && f->kind == SLUICE_FUNCTION_SCALAR)
    problem (c, e, _("“%s” is not a window or aggregate function, so it cannot take OVER"), f->name);
  if (e->distinct && f->kind != SLUICE_FUNCTION_AGGREGATE)
    problem (c, e, _("DISTINCT only applies to aggregate functions"));

  /* Calls nearly always have a few arguments: no allocation for those. */
  types = e->n_args <= G_N_ELEMENTS (stack_types) ? stack_types : (heap_types = g_new0 (SluiceSqlType, e->n_args));
  for (guint i = 0; i < e->n_args; i++)
    {
      SluiceExpr *arg = e->args[i];

      if (arg->kind == SLUICE_EXPR_STAR)
        {
          if (!g_str_equal (f->name, "count") || e->n_args != 1)
            problem (c, arg, _("* is only allowed in count(*)"));
          types[i] = SLUICE_SQL_TYPE (SLUICE_SQL_NULL);
          continue;
        }
      types[i] = check (c, arg);
    }
  c->in_aggregate = was_in_aggregate;

  if (e->window)
    {
      for (guint i = 0; i < e->window->n_partition_by; i++)
        check (c, e->window->partition_by[i]);
      for (guint i = 0; i < e->window->n_order_by; i++)
        check (c, e->window->order_by[i].expr);
    }

  if (!sluice_function_check (f, types, e->n_args, &result, &bad, &reason))
    {
      SluiceExpr *at = bad < e->n_args ? e->args[bad] : e;
      problem (c, at, "%s: %s", f->name, reason);
      return UNKNOWN;
    }
  return result;
}

static SluiceSqlType
common_of (Check       *c,
           SluiceExpr  *e,
           SluiceExpr **items,
           guint        n_items,
           guint        from,
           const char  *what)
{
  SluiceSqlType common = SLUICE_SQL_TYPE (SLUICE_SQL_NULL);

  for (guint i = from; i < n_items; i++)
    {
      SluiceExpr *item = items[i];
      SluiceSqlType t = check (c, item);

      if (!sluice_sql_type_common (common, t, &common))
        {
          g_autofree char *a = type_name (common);
          g_autofree char *b = type_name (t);
          problem (c, item, _("%s mixes %s with %s"), what, a, b);
          return UNKNOWN;
        }
    }
  return common;
}

static SluiceSqlType
check (Check      *c,
       SluiceExpr *e)
{
  switch (e->kind)
    {
    case SLUICE_EXPR_LITERAL:
      return literal_type (e);

    case SLUICE_EXPR_COLUMN:
      return check_column (c, e);

    case SLUICE_EXPR_STAR:
      problem (c, e, _("* is only allowed in count(*)"));
      return UNKNOWN;

    case SLUICE_EXPR_UNARY:
      {
        SluiceExpr *operand = e->args[0];
        SluiceSqlType t = check (c, operand);

        if (e->op == SLUICE_OP_NOT)
          {
            expect_boolean (c, operand, t, N_("the operand of NOT"));
            return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);
          }
        if (!sluice_sql_type_is_numeric (t) && t.kind != SLUICE_SQL_NULL && t.kind != SLUICE_SQL_UNKNOWN)
          {
            g_autofree char *got = type_name (t);
            problem (c, operand, _("a sign needs a number, not %s"), got);
            return UNKNOWN;
          }
        return t;
      }

    case SLUICE_EXPR_BINARY:
      {
        SluiceExpr *l = e->args[0], *r = e->args[1];
        SluiceSqlType a = check (c, l), b = check (c, r), common;

        switch (e->op)
          {
          case SLUICE_OP_AND:
          case SLUICE_OP_OR:
            expect_boolean (c, l, a, e->op == SLUICE_OP_AND ? N_("each side of AND") : N_("each side of OR"));
            expect_boolean (c, r, b, e->op == SLUICE_OP_AND ? N_("each side of AND") : N_("each side of OR"));
            return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);

          case SLUICE_OP_EQ:
          case SLUICE_OP_NULL_SAFE_EQ:
          case SLUICE_OP_NE:
          case SLUICE_OP_LT:
          case SLUICE_OP_LE:
          case SLUICE_OP_GT:
          case SLUICE_OP_GE:
            if (!sluice_sql_type_common (a, b, &common))
              {
                g_autofree char *x = type_name (a), *y = type_name (b);
                problem (c, e, _("cannot compare %s with %s"), x, y);
              }
            return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);

          case SLUICE_OP_CONCAT:
            return SLUICE_SQL_TYPE (SLUICE_SQL_STRING);

          default:
            break;
          }

        /* Arithmetic; date ± days as Spark allows. */
        if ((e->op == SLUICE_OP_ADD || e->op == SLUICE_OP_SUB) && a.kind == SLUICE_SQL_DATE &&
            sluice_sql_type_is_integral (b))
          return a;
        for (guint side = 0; side < 2; side++)
          {
            SluiceSqlType t = side ? b : a;
            if (!sluice_sql_type_is_numeric (t) && t.kind != SLUICE_SQL_STRING &&
                t.kind != SLUICE_SQL_NULL && t.kind != SLUICE_SQL_UNKNOWN)
              {
                g_autofree char *got = type_name (t);
                problem (c, side ? r : l, _("“%s” needs numbers, not %s"), sluice_expr_op_to_string (e->op), got);
                return UNKNOWN;
              }
          }
        if (e->op == SLUICE_OP_INT_DIV)
          return SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT);
        return sluice_sql_type_arithmetic (e->op == SLUICE_OP_ADD ? '+' : e->op == SLUICE_OP_SUB ? '-'
                                           : e->op == SLUICE_OP_MUL ? '*' : e->op == SLUICE_OP_DIV ? '/' : '%',
                                           a, b);
      }

    case SLUICE_EXPR_CALL:
      return check_call (c, e);

    case SLUICE_EXPR_CASE:
      {
        g_autoptr(GPtrArray) results = g_ptr_array_new ();
        SluiceSqlType operand = e->operand ? check (c, e->operand) : UNKNOWN;

        for (guint i = 0; i + 1 < e->n_args; i += 2)
          {
            SluiceExpr *when = e->args[i];
            SluiceSqlType t = check (c, when), common;

            if (e->operand == NULL)
              expect_boolean (c, when, t, N_("a WHEN condition"));
            else if (!sluice_sql_type_common (operand, t, &common))
              {
                g_autofree char *x = type_name (operand), *y = type_name (t);
                problem (c, when, _("cannot compare %s with %s"), x, y);
              }
            g_ptr_array_add (results, e->args[i + 1]);
          }
        if (e->otherwise)
          g_ptr_array_add (results, e->otherwise);
        return common_of (c, e, (SluiceExpr **) results->pdata, results->len, 0, _("CASE"));
      }

    case SLUICE_EXPR_CAST:
      {
        SluiceSqlType target, from = check (c, e->args[0]);

        if (!sluice_sql_type_parse (e->text, &target))
          return UNKNOWN;
        if ((from.kind == SLUICE_SQL_BOOLEAN && sluice_sql_type_is_datetime (target)) ||
            (sluice_sql_type_is_datetime (from) && (target.kind == SLUICE_SQL_BOOLEAN)))
          {
            g_autofree char *x = type_name (from);
            problem (c, e, _("cannot cast %s to %s"), x, e->text);
          }
        return target;
      }

    case SLUICE_EXPR_IN:
      common_of (c, e, e->args, e->n_args, 0, _("IN"));
      return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);

    case SLUICE_EXPR_BETWEEN:
      common_of (c, e, e->args, e->n_args, 0, _("BETWEEN"));
      return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);

    case SLUICE_EXPR_IS_NULL:
      check (c, e->args[0]);
      return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);

    case SLUICE_EXPR_LIKE:
      for (guint i = 0; i < 2; i++)
        {
          SluiceExpr *side = e->args[i];
          SluiceSqlType t = check (c, side);
          if (t.kind == SLUICE_SQL_BOOLEAN)
            problem (c, side, _("%s needs text, not boolean"), sluice_expr_op_to_string (e->op));
        }
      return SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);

    default:
      g_return_val_if_reached (UNKNOWN);
    }
}

SluiceSqlType
sluice_expr_check (SluiceExpr            *expr,
                   const SluiceExprInput *inputs,
                   guint                  n_inputs,
                   SluiceExprCheckFlags   flags,
                   GPtrArray             *problems)
{
  Check c = { inputs, n_inputs, flags, problems, FALSE };

  g_return_val_if_fail (expr != NULL, UNKNOWN);
  g_return_val_if_fail (problems != NULL, UNKNOWN);

  return check (&c, expr);
}
