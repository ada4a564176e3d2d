#define G_LOG_DOMAIN "sluice-sql-writer"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-codegen-error.h"
#include "sluice-codegen-private.h"
#include "sluice-sql-writer.h"

void
sluice_sql_append_identifier (GString       *out,
                              SluiceDialect  dialect,
                              const char    *name)
{
  char quote = dialect == SLUICE_DIALECT_SPARK ? '`' : '"';
  g_autofree char *folded = NULL;
  gsize at = out->len, n = strlen (name);
  const char *p;
  char *w;

  /* Names are nearly always plain ASCII without a quote: copied (folded
   * for Snowflake) straight into room made for them, in one pass that
   * gives up, and takes back what it wrote, at anything else; Unicode
   * case folding and quote doubling, with their cost, are for the rest. */
  if (at + n + 2 >= out->allocated_len)
    g_string_set_size (out, at + n + 2);
  w = out->str + at;
  *w++ = quote;
  if (dialect == SLUICE_DIALECT_SNOWFLAKE)
    for (p = name; *p; p++)
      {
        char c = *p;   /* g_ascii_toupper (), without a call per character */
        if ((guchar) c >= 0x80 || c == quote)
          goto not_plain;
        *w++ = c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
      }
  else
    for (p = name; *p; p++)
      {
        if ((guchar) *p >= 0x80 || *p == quote)
          goto not_plain;
        *w++ = *p;
      }
  *w++ = quote;
  *w = '\0';
  out->len = w - out->str;
  return;

not_plain:
  out->len = at;
  out->str[at] = '\0';
  for (p = name; *p && (guchar) *p < 0x80; p++)
    ;
  if (*p && dialect == SLUICE_DIALECT_SNOWFLAKE)
    name = folded = g_utf8_strup (name, -1);

  g_string_append_c (out, quote);
  for (p = name; *p; p++)
    {
      if (*p == quote)
        g_string_append_c (out, quote);
      g_string_append_c (out, folded == NULL && dialect == SLUICE_DIALECT_SNOWFLAKE ? g_ascii_toupper (*p) : *p);
    }
  g_string_append_c (out, quote);
}

char *
sluice_sql_quote_identifier (SluiceDialect  dialect,
                             const char    *name)
{
  GString *out = g_string_sized_new (strlen (name) + 2);

  sluice_sql_append_identifier (out, dialect, name);
  return g_string_free (out, FALSE);
}

void
sluice_sql_append_string (GString       *out,
                          SluiceDialect  dialect,
                          const char    *value)
{
  g_string_append_c (out, '\'');

  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      if (dialect == SLUICE_DIALECT_SQLITE)
        {
          /* SQLite: only the quote is special; everything else is literal. */
          if (*p == '\'')
            g_string_append_c (out, '\'');
          g_string_append_c (out, *p);
          continue;
        }
      switch (*p)
        {
        case '\'': _sluice_append (out, "\\'"); break;
        case '\\': _sluice_append (out, "\\\\"); break;
        case '\n': _sluice_append (out, "\\n"); break;
        case '\r': _sluice_append (out, "\\r"); break;
        case '\t': _sluice_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04X", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '\'');
}

char *
sluice_sql_quote_string (SluiceDialect  dialect,
                         const char    *value)
{
  GString *out = g_string_new (NULL);

  sluice_sql_append_string (out, dialect, value);
  return g_string_free (out, FALSE);
}

void
sluice_python_append_string (GString    *out,
                             const char *value)
{
  g_string_append_c (out, '\'');

  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      gunichar c = (guchar) *p;
      const char *run = p;

      /* Printable ASCII but the quote and backslash: as is, a run at once. */
      while (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\')
        c = (guchar) *++p;
      if (p > run)
        _sluice_append_len (out, run, p - run);
      if (*p == '\0')
        break;
      c = g_utf8_get_char (p);

      switch (c)
        {
        case '\'': _sluice_append (out, "\\'"); break;
        case '\\': _sluice_append (out, "\\\\"); break;
        case '\n': _sluice_append (out, "\\n"); break;
        case '\r': _sluice_append (out, "\\r"); break;
        case '\t': _sluice_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7F)
            g_string_append_printf (out, "\\x%02x", c);
          else if (!g_unichar_isprint (c) || (c >= 0x2028 && c <= 0x2029))
            g_string_append_printf (out, c > 0xFFFF ? "\\U%08x" : "\\u%04x", c);
          else
            g_string_append_unichar (out, c);
        }
    }
  g_string_append_c (out, '\'');
}

char *
sluice_python_quote_string (const char *value)
{
  GString *out = g_string_new (NULL);

  sluice_python_append_string (out, value);
  return g_string_free (out, FALSE);
}

typedef struct
{
  SluiceDialect       dialect;
  SluiceQualifierMap  qualify;
  gpointer            user_data;
  const char         *aggregate_filter;
  const char         *window;
  const char         *frame;
  GError             *error;
} Writer;

static void write_expr (Writer *w, GString *out, SluiceExpr *e);

static void
unsupported (Writer     *w,
             const char *what)
{
  if (w->error == NULL)
    w->error = g_error_new (SLUICE_CODEGEN_ERROR, SLUICE_CODEGEN_ERROR_UNSUPPORTED,
                            _("%s cannot express %s"), sluice_dialect_name (w->dialect), what);
}

static const char *
type_in (SluiceDialect  dialect,
         const char    *type,
         char          *buf,
         gsize          size)
{
  unsigned p = 10, s = 0;

  if (g_str_has_prefix (type, "decimal"))
    {
      sscanf (type, "decimal(%u,%u)", &p, &s);
      g_snprintf (buf, size, dialect == SLUICE_DIALECT_SNOWFLAKE ? "NUMBER(%u, %u)"
                           : dialect == SLUICE_DIALECT_SQLITE ? "NUMERIC" : "DECIMAL(%u, %u)", p, s);
      return buf;
    }
  if (dialect == SLUICE_DIALECT_SPARK)
    {
      g_snprintf (buf, size, "%s", type);
      for (char *c = buf; *c; c++)
        *c = g_ascii_toupper (*c);
      return buf;
    }
  if (dialect == SLUICE_DIALECT_SNOWFLAKE)
    return g_str_equal (type, "string") ? "VARCHAR" : g_str_equal (type, "int") ? "INTEGER"
         : g_str_equal (type, "bigint") ? "BIGINT" : g_str_equal (type, "double") ? "DOUBLE"
         : g_str_equal (type, "boolean") ? "BOOLEAN" : g_str_equal (type, "date") ? "DATE" : "TIMESTAMP_NTZ";
  return g_str_equal (type, "string") || g_str_equal (type, "date") || g_str_equal (type, "timestamp") ? "TEXT"
       : g_str_equal (type, "double") ? "REAL" : "INTEGER";
}

char *
sluice_sql_type_name (SluiceDialect  dialect,
                      const char    *type)
{
  char buf[64];
  return g_strdup (type_in (dialect, type, buf, sizeof buf));
}

static void
write_list (Writer      *w,
            GString     *out,
            SluiceExpr **items,
            guint        n_items,
            guint        from)
{
  for (guint i = from; i < n_items; i++)
    {
      if (i > from)
        _sluice_append (out, ", ");
      write_expr (w, out, items[i]);
    }
}

static void
write_literal (Writer     *w,
               GString    *out,
               SluiceExpr *e)
{
  switch (e->literal)
    {
    case SLUICE_LITERAL_NULL:
      _sluice_append (out, "NULL");
      break;
    case SLUICE_LITERAL_BOOLEAN:
      if (w->dialect == SLUICE_DIALECT_SQLITE)
        _sluice_append (out, g_str_equal (e->text, "true") ? "1" : "0");
      else
        _sluice_append (out, g_str_equal (e->text, "true") ? "TRUE" : "FALSE");
      break;
    case SLUICE_LITERAL_INTEGER:
    case SLUICE_LITERAL_DECIMAL:
    case SLUICE_LITERAL_DOUBLE:
      _sluice_append (out, e->text);
      break;
    case SLUICE_LITERAL_STRING:
      sluice_sql_append_string (out, w->dialect, e->text);
      break;
    case SLUICE_LITERAL_DATE:
    case SLUICE_LITERAL_TIMESTAMP:
      /* ISO text is SQLite's date */
      if (w->dialect != SLUICE_DIALECT_SQLITE)
        _sluice_append (out, e->literal == SLUICE_LITERAL_DATE ? "DATE " : "TIMESTAMP ");
      sluice_sql_append_string (out, w->dialect, e->text);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Argument @i of the call @e as the dialect's spelling uses it. */
static void
write_arg (Writer               *w,
           GString              *out,
           const SluiceFunction *f,
           SluiceExpr           *e,
           guint                 i)
{
  SluiceExpr *arg = e->args[i];
  /* Pivoting: each aggregate sees only its pivot value's rows. */
  gboolean filtered = w->aggregate_filter && f->kind == SLUICE_FUNCTION_AGGREGATE && e->window == NULL;

  if (i == 0 && e->distinct)
    _sluice_append (out, "DISTINCT ");
  if (filtered)
    {
      _sluice_append (out, "CASE WHEN ");
      _sluice_append (out, w->aggregate_filter);
      _sluice_append (out, " THEN ");
      if (arg->kind == SLUICE_EXPR_STAR)
        g_string_append_c (out, '1');
      else
        write_expr (w, out, arg);
      _sluice_append (out, " END");
    }
  else if (arg->kind == SLUICE_EXPR_STAR)
    g_string_append_c (out, '*');
  else
    write_expr (w, out, arg);
}

/* What sluice_function_render() makes of the rendered arguments, written
 * straight into @out: "$N" is argument N, "$*" all of them with commas,
 * "$|" all of them with ||, and an empty spelling is name(args). */
static void
write_call_spelling (Writer               *w,
                     GString              *out,
                     const SluiceFunction *f,
                     SluiceExpr           *e,
                     const char           *t)
{
  guint n_args = e->n_args;

  if (*t == '\0')
    {
      _sluice_append (out, f->name);
      g_string_append_c (out, '(');
      for (guint i = 0; i < n_args; i++)
        {
          if (i)
            _sluice_append (out, ", ");
          write_arg (w, out, f, e, i);
        }
      g_string_append_c (out, ')');
      return;
    }
  for (const char *p = t; *p; p++)
    {
      if (p[0] == '$' && p[1] >= '1' && p[1] <= '9')
        {
          guint i = p[1] - '1';
          if (i < n_args)
            write_arg (w, out, f, e, i);
          else
            _sluice_append (out, "NULL");
          p++;
        }
      else if (p[0] == '$' && (p[1] == '*' || p[1] == '|'))
        {
          for (guint i = 0; i < n_args; i++)
            {
              if (i > 0)
                _sluice_append (out, p[1] == '*' ? ", " : " || ");
              write_arg (w, out, f, e, i);
            }
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
}

static void
write_call (Writer     *w,
            GString    *out,
            SluiceExpr *e)
{
  const SluiceFunction *f = e->function;

  if (f == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("the unknown function “%s”"), e->text);
      unsupported (w, what);
      return;
    }
  if (f->spelling[w->dialect] != NULL)
    write_call_spelling (w, out, f, e, f->spelling[w->dialect]);
  if (f->spelling[w->dialect] == NULL || w->error)
    {
      /* The spelling may use arguments out of order, or not at all: report
       * the first problem among them in their order, as the text reads,
       * and only then that the function itself is not expressible. (The
       * output is dropped on any error.) */
      g_autoptr(GString) scratch = g_string_new (NULL);

      g_clear_error (&w->error);
      for (guint i = 0; i < e->n_args; i++)
        write_arg (w, scratch, f, e, i);
      if (w->error == NULL)
        {
          g_autofree char *what = g_strdup_printf (_("the function “%s”"), f->name);
          unsupported (w, what);
        }
      return;
    }

  /* Ranking and offset functions define their own frame: only aggregates
   * take the gem's (Spark rejects a frame on lag() or row_number()). */
  if (e->window == NULL && w->window && f->kind != SLUICE_FUNCTION_SCALAR)
    {
      gboolean framed = w->frame && f->kind == SLUICE_FUNCTION_AGGREGATE;
      g_string_append_printf (out, " OVER (%s%s%s)", w->window, framed && *w->window ? " " : "",
                              framed ? w->frame : "");
    }
  if (e->window)
    {
      gboolean space = FALSE;

      _sluice_append (out, " OVER (");
      if (e->window->n_partition_by)
        {
          _sluice_append (out, "PARTITION BY ");
          write_list (w, out, e->window->partition_by, e->window->n_partition_by, 0);
          space = TRUE;
        }
      if (e->window->n_order_by)
        {
          _sluice_append (out, space ? " ORDER BY " : "ORDER BY ");
          for (guint i = 0; i < e->window->n_order_by; i++)
            {
              SluiceSortKey *k = &e->window->order_by[i];
              if (i)
                _sluice_append (out, ", ");
              write_expr (w, out, k->expr);
              _sluice_append (out, k->descending ? " DESC" : " ASC");
              if (k->nulls)
                _sluice_append (out, k->nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
            }
          space = TRUE;
        }
      if (e->window->frame)
        g_string_append_printf (out, "%s%s", space ? " " : "", e->window->frame);
      g_string_append_c (out, ')');
    }
}

static void
write_expr (Writer     *w,
            GString    *out,
            SluiceExpr *e)
{
  if (w->error)
    return;

  switch (e->kind)
    {
    case SLUICE_EXPR_LITERAL:
      write_literal (w, out, e);
      break;

    case SLUICE_EXPR_COLUMN:
      {
        const char *alias = e->qualifier && w->qualify ? w->qualify (e->qualifier, w->user_data) : NULL;

        if (alias)
          {
            sluice_sql_append_identifier (out, w->dialect, alias);
            g_string_append_c (out, '.');
          }
        sluice_sql_append_identifier (out, w->dialect, e->text);
      }
      break;

    case SLUICE_EXPR_STAR:
      g_string_append_c (out, '*');
      break;

    case SLUICE_EXPR_UNARY:
      /* "(- x)": "(-" before a negative literal would read as a "--" comment. */
      _sluice_append (out, e->op == SLUICE_OP_NOT ? "(NOT " : e->op == SLUICE_OP_NEG ? "(- " : "(+ ");
      write_expr (w, out, e->args[0]);
      g_string_append_c (out, ')');
      break;

    case SLUICE_EXPR_BINARY:
      {
        SluiceExpr *l = e->args[0], *r = e->args[1];
        const char *open = "(", *middle = NULL, *close = ")";

        if (e->op == SLUICE_OP_NULL_SAFE_EQ)
          {
            if (w->dialect == SLUICE_DIALECT_SPARK)
              middle = " <=> ";
            else if (w->dialect == SLUICE_DIALECT_SNOWFLAKE)
              open = "EQUAL_NULL(", middle = ", ";
            else
              middle = " IS ";
          }
        else if (e->op == SLUICE_OP_INT_DIV)
          {
            if (w->dialect == SLUICE_DIALECT_SPARK)
              middle = " DIV ";
            else if (w->dialect == SLUICE_DIALECT_SNOWFLAKE)
              open = "TRUNC(", middle = " / ";
            else
              open = "(CAST(", middle = " AS INTEGER) / CAST(", close = " AS INTEGER))";
          }
        else if (e->op == SLUICE_OP_DIV && w->dialect == SLUICE_DIALECT_SQLITE)
          /* Spark's / never truncates; SQLite's does on integers. */
          open = "(CAST(", middle = " AS REAL) / ";
        _sluice_append (out, open);
        write_expr (w, out, l);
        if (middle)
          _sluice_append (out, middle);
        else
          {
            g_string_append_c (out, ' ');
            _sluice_append (out, sluice_expr_op_to_string (e->op));
            g_string_append_c (out, ' ');
          }
        write_expr (w, out, r);
        _sluice_append (out, close);
      }
      break;

    case SLUICE_EXPR_CALL:
      write_call (w, out, e);
      break;

    case SLUICE_EXPR_CASE:
      _sluice_append (out, "CASE");
      if (e->operand)
        {
          g_string_append_c (out, ' ');
          write_expr (w, out, e->operand);
        }
      for (guint i = 0; i + 1 < e->n_args; i += 2)
        {
          _sluice_append (out, " WHEN ");
          write_expr (w, out, e->args[i]);
          _sluice_append (out, " THEN ");
          write_expr (w, out, e->args[i + 1]);
        }
      if (e->otherwise)
        {
          _sluice_append (out, " ELSE ");
          write_expr (w, out, e->otherwise);
        }
      _sluice_append (out, " END");
      break;

    case SLUICE_EXPR_CAST:
      {
        char buf[64];
        _sluice_append (out, "CAST(");
        write_expr (w, out, e->args[0]);
        g_string_append_printf (out, " AS %s)", type_in (w->dialect, e->text, buf, sizeof buf));
      }
      break;

    case SLUICE_EXPR_IN:
      g_string_append_c (out, '(');
      write_expr (w, out, e->args[0]);
      _sluice_append (out, e->negated ? " NOT IN (" : " IN (");
      write_list (w, out, e->args, e->n_args, 1);
      _sluice_append (out, "))");
      break;

    case SLUICE_EXPR_BETWEEN:
      g_string_append_c (out, '(');
      write_expr (w, out, e->args[0]);
      _sluice_append (out, e->negated ? " NOT BETWEEN " : " BETWEEN ");
      write_expr (w, out, e->args[1]);
      _sluice_append (out, " AND ");
      write_expr (w, out, e->args[2]);
      g_string_append_c (out, ')');
      break;

    case SLUICE_EXPR_IS_NULL:
      g_string_append_c (out, '(');
      write_expr (w, out, e->args[0]);
      _sluice_append (out, e->negated ? " IS NOT NULL)" : " IS NULL)");
      break;

    case SLUICE_EXPR_LIKE:
      {
        SluiceExpr *a = e->args[0], *b = e->args[1];
        const char *not = e->negated ? "NOT " : "";

        if (e->op != SLUICE_OP_LIKE && w->dialect == SLUICE_DIALECT_SNOWFLAKE)
          {
            /* RLIKE finds a match anywhere; Snowflake's REGEXP_LIKE anchors. */
            g_string_append_printf (out, "(%s(REGEXP_INSTR(", not);
            write_expr (w, out, a);
            _sluice_append (out, ", ");
            write_expr (w, out, b);
            _sluice_append (out, ") > 0))");
            break;
          }
        g_string_append_c (out, '(');
        write_expr (w, out, a);
        g_string_append_c (out, ' ');
        _sluice_append (out, not);
        _sluice_append (out, e->op == SLUICE_OP_LIKE ? "LIKE " : w->dialect == SLUICE_DIALECT_SPARK ? "RLIKE " : "REGEXP ");
        write_expr (w, out, b);
        g_string_append_c (out, ')');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

char *
sluice_sql_write_expr (SluiceExpr          *expr,
                       SluiceDialect        dialect,
                       SluiceQualifierMap   qualify,
                       gpointer             user_data,
                       GError             **error)
{
  return sluice_sql_write_expr_full (expr, dialect, qualify, user_data, NULL, NULL, NULL, error);
}

gboolean
sluice_sql_append_expr (GString             *out,
                        SluiceExpr          *expr,
                        SluiceDialect        dialect,
                        SluiceQualifierMap   qualify,
                        gpointer             user_data,
                        const char          *aggregate_filter,
                        const char          *window,
                        const char          *frame,
                        GError             **error)
{
  Writer w = { dialect, qualify, user_data, aggregate_filter, window, frame, NULL };
  gsize at = out->len;

  g_return_val_if_fail (expr != NULL, FALSE);

  write_expr (&w, out, expr);
  if (w.error)
    {
      g_string_truncate (out, at);
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

char *
sluice_sql_write_expr_full (SluiceExpr          *expr,
                            SluiceDialect        dialect,
                            SluiceQualifierMap   qualify,
                            gpointer             user_data,
                            const char          *aggregate_filter,
                            const char          *window,
                            const char          *frame,
                            GError             **error)
{
  Writer w = { dialect, qualify, user_data, aggregate_filter, window, frame, NULL };
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (expr != NULL, NULL);

  write_expr (&w, out, expr);
  if (w.error)
    {
      g_propagate_error (error, w.error);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
frame_bound (const char *bound)
{
  gint64 n;

  if (g_strcmp0 (bound, "unbounded_preceding") == 0)
    return g_strdup ("UNBOUNDED PRECEDING");
  if (g_strcmp0 (bound, "unbounded_following") == 0)
    return g_strdup ("UNBOUNDED FOLLOWING");
  if (bound == NULL || g_strcmp0 (bound, "current_row") == 0)
    return g_strdup ("CURRENT ROW");
  n = g_ascii_strtoll (bound, NULL, 10);
  if (n == 0)
    return g_strdup ("CURRENT ROW");
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s", n < 0 ? -n : n, n < 0 ? "PRECEDING" : "FOLLOWING");
}

char *
sluice_sql_window_frame (const char *frame,
                         const char *start,
                         const char *end)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (g_strcmp0 (frame, "rows") != 0 && g_strcmp0 (frame, "range") != 0)
    return NULL;
  from = frame_bound (start ? start : "unbounded_preceding");
  to = frame_bound (end);
  return g_strdup_printf ("%s BETWEEN %s AND %s", g_str_equal (frame, "rows") ? "ROWS" : "RANGE", from, to);
}
