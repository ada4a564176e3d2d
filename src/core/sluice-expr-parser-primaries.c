/* The primaries of Spark SQL expressions: literals, columns, function
 * calls with their OVER (…) windows, CASE and CAST; the operators around
 * them are in sluice-expr-parser.c. */
#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-expr-parser-private.h"

static gboolean
valid_date (const char *s,
            gboolean    with_time)
{
  int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
  g_autoptr(GDateTime) dt = NULL;

  if (!with_time)
    {
      if (sscanf (s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || s[n] != '\0' || strlen (s) != 10)
        return FALSE;
    }
  else
    {
      int frac = 0;
      if (sscanf (s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return FALSE;
      if (s[n] != '\0')
        {
          int m = 0;
          if ((s[n] != ' ' && s[n] != 'T') ||
              sscanf (s + n + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &m) != 3 || m != 8)
            return FALSE;
          n += 1 + m;
          if (s[n] == '.')
            {
              n++;
              while (g_ascii_isdigit (s[n]))
                n++, frac++;
              if (frac == 0 || frac > 9)
                return FALSE;
            }
          if (s[n] != '\0')
            return FALSE;
        }
    }
  dt = g_date_time_new_utc (y, mo, d, h, mi, se);
  return dt != NULL;
}

static gboolean
parse_type (Parser      *p,
            const char **out)
{
  Token *t = peek (p);
  g_autofree char *name = NULL;
  guint start = t->start;

  if (t->kind != T_IDENT)
    return _sluice_expr_unexpected (p, _("a type"));
  next (p);
  name = g_ascii_strdown (t->text, -1);

  if (g_str_equal (name, "string") || g_str_equal (name, "varchar") || g_str_equal (name, "char"))
    {
      if (peek (p)->kind == T_LPAREN && !g_str_equal (name, "string"))
        {
          next (p);
          if (!expect (p, T_INTEGER, _("a length")) || !expect (p, T_RPAREN, "“)”"))
            return FALSE;
        }
      *out = "string";
    }
  else if (g_str_equal (name, "int") || g_str_equal (name, "integer") ||
           g_str_equal (name, "smallint") || g_str_equal (name, "tinyint"))
    *out = "int";
  else if (g_str_equal (name, "bigint") || g_str_equal (name, "long"))
    *out = "bigint";
  else if (g_str_equal (name, "double") || g_str_equal (name, "float") || g_str_equal (name, "real"))
    *out = "double";
  else if (g_str_equal (name, "boolean"))
    *out = "boolean";
  else if (g_str_equal (name, "date"))
    *out = "date";
  else if (g_str_equal (name, "timestamp"))
    *out = "timestamp";
  else if (g_str_equal (name, "decimal") || g_str_equal (name, "dec") || g_str_equal (name, "numeric"))
    {
      guint64 precision = 10, scale = 0;

      if (peek (p)->kind == T_LPAREN)
        {
          Token *num;

          next (p);
          num = peek (p);
          if (!expect (p, T_INTEGER, _("a precision")))
            return FALSE;
          precision = g_ascii_strtoull (num->text, NULL, 10);
          if (peek (p)->kind == T_COMMA)
            {
              next (p);
              num = peek (p);
              if (!expect (p, T_INTEGER, _("a scale")))
                return FALSE;
              scale = g_ascii_strtoull (num->text, NULL, 10);
            }
          if (!expect (p, T_RPAREN, "“)”"))
            return FALSE;
        }
      if (precision < 1 || precision > 38 || scale > precision)
        return _sluice_expr_fail (p, start, prev_end (p),
                     _("decimal(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ") is out of range: "
                       "precision 1 to 38, scale 0 to the precision"), precision, scale);
      {
        char buf[64];
        int n = g_snprintf (buf, sizeof buf, "decimal(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")", precision, scale);
        *out = copy_text (p, buf, n);
      }
    }
  else
    return _sluice_expr_fail (p, start, t->end,
                 _("unknown type “%s” (use string, int, bigint, double, decimal(p,s), boolean, date or timestamp)"),
                 t->text);
  return TRUE;
}

static gboolean
parse_window (Parser           *p,
              SluiceWindowSpec *w)
{
  if (accept_keyword (p, "PARTITION"))
    {
      guint base = p->stack_len;

      if (!_sluice_expr_expect_keyword (p, "BY"))
        return FALSE;
      do
        {
          SluiceExpr *e = _sluice_expr_parse_expr (p);
          if (!e)
            return FALSE;
          push_arg (p, e);
        }
      while (peek (p)->kind == T_COMMA && next (p));
      w->partition_by = pop_args (p, base, &w->n_partition_by);
    }

  if (accept_keyword (p, "ORDER"))
    {
      g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SluiceSortKey));

      if (!_sluice_expr_expect_keyword (p, "BY"))
        return FALSE;
      do
        {
          SluiceSortKey key = { 0 };

          if (!(key.expr = _sluice_expr_parse_expr (p)))
            return FALSE;
          if (accept_keyword (p, "DESC"))
            key.descending = TRUE;
          else
            accept_keyword (p, "ASC");
          if (accept_keyword (p, "NULLS"))
            {
              if (accept_keyword (p, "FIRST"))
                key.nulls = 1;
              else if (accept_keyword (p, "LAST"))
                key.nulls = 2;
              else
                return _sluice_expr_unexpected (p, _("“FIRST” or “LAST”"));
            }
          g_array_append_val (keys, key);
        }
      while (peek (p)->kind == T_COMMA && next (p));
      w->n_order_by = keys->len;
      w->order_by = alloc (p, sizeof (SluiceSortKey) * keys->len);
      memcpy (w->order_by, keys->data, sizeof (SluiceSortKey) * keys->len);
    }

  if (is_keyword (peek (p), "ROWS") || is_keyword (peek (p), "RANGE"))
    {
      g_autofree char *unit = g_ascii_strup (next (p)->text, -1);
      g_autoptr(GString) frame = g_string_new (unit);
      gboolean between = accept_keyword (p, "BETWEEN");

      /* Frame bounds: UNBOUNDED PRECEDING|FOLLOWING, CURRENT ROW, n PRECEDING|FOLLOWING */
      for (guint bound = 0; bound < (between ? 2u : 1u); bound++)
        {
          Token *t = peek (p);

          g_string_append (frame, bound == 0 ? (between ? " BETWEEN " : " ") : " AND ");
          if (accept_keyword (p, "UNBOUNDED"))
            {
              if (accept_keyword (p, "PRECEDING"))
                g_string_append (frame, "UNBOUNDED PRECEDING");
              else if (accept_keyword (p, "FOLLOWING"))
                g_string_append (frame, "UNBOUNDED FOLLOWING");
              else
                return _sluice_expr_unexpected (p, _("“PRECEDING” or “FOLLOWING”"));
            }
          else if (accept_keyword (p, "CURRENT"))
            {
              if (!_sluice_expr_expect_keyword (p, "ROW"))
                return FALSE;
              g_string_append (frame, "CURRENT ROW");
            }
          else if (t->kind == T_INTEGER)
            {
              next (p);
              g_string_append (frame, t->text);
              if (accept_keyword (p, "PRECEDING"))
                g_string_append (frame, " PRECEDING");
              else if (accept_keyword (p, "FOLLOWING"))
                g_string_append (frame, " FOLLOWING");
              else
                return _sluice_expr_unexpected (p, _("“PRECEDING” or “FOLLOWING”"));
            }
          else
            return _sluice_expr_unexpected (p, _("a frame bound"));
          if (bound == 0 && between && !_sluice_expr_expect_keyword (p, "AND"))
            return FALSE;
        }
      w->frame = copy_text (p, frame->str, frame->len);
    }
  return TRUE;
}

static SluiceExpr *
parse_call (Parser *p,
            Token  *name)
{
  SluiceExpr *e = node (p, SLUICE_EXPR_CALL, name->start, name->end);
  guint base = p->stack_len;

  e->text = copy_down (p, name->text);
  e->function = sluice_function_lookup (e->text);
  next (p); /* ( */

  if (accept_keyword (p, "DISTINCT"))
    e->distinct = TRUE;

  if (peek (p)->kind == T_STAR && peek_at (p, 1)->kind == T_RPAREN)
    {
      Token *star = next (p);
      push_arg (p, node (p, SLUICE_EXPR_STAR, star->start, star->end));
    }
  else if (peek (p)->kind != T_RPAREN)
    {
      do
        {
          SluiceExpr *arg = _sluice_expr_parse_expr (p);
          if (!arg)
            return NULL;
          push_arg (p, arg);
        }
      while (peek (p)->kind == T_COMMA && next (p));
    }
  e->args = pop_args (p, base, &e->n_args);
  if (peek (p)->kind != T_RPAREN)
    {
      g_autofree char *what = g_strdup_printf (_("“,” or “)” in the call of “%s”"), e->text);
      _sluice_expr_unexpected (p, what);
      return NULL;
    }
  next (p);

  if (accept_keyword (p, "OVER"))
    {
      e->window = alloc (p, sizeof (SluiceWindowSpec));
      memset (e->window, 0, sizeof *e->window);
      if (!expect (p, T_LPAREN, "“(” after OVER") || !parse_window (p, e->window) ||
          !expect (p, T_RPAREN, _("“)” to end the window")))
        return NULL;
    }
  e->end = prev_end (p);
  return e;
}

static SluiceExpr *
parse_case (Parser *p,
            Token  *kw)
{
  SluiceExpr *e = node (p, SLUICE_EXPR_CASE, kw->start, kw->end);
  guint base = p->stack_len;

  if (!is_keyword (peek (p), "WHEN"))
    if (!(e->operand = _sluice_expr_parse_expr (p)))
      return NULL;

  if (!is_keyword (peek (p), "WHEN"))
    {
      _sluice_expr_unexpected (p, _("“WHEN”"));
      return NULL;
    }
  while (accept_keyword (p, "WHEN"))
    {
      SluiceExpr *when, *then;

      if (!(when = _sluice_expr_parse_expr (p)))
        return NULL;
      push_arg (p, when);
      if (!_sluice_expr_expect_keyword (p, "THEN") || !(then = _sluice_expr_parse_expr (p)))
        return NULL;
      push_arg (p, then);
    }
  e->args = pop_args (p, base, &e->n_args);
  if (accept_keyword (p, "ELSE"))
    if (!(e->otherwise = _sluice_expr_parse_expr (p)))
      return NULL;
  if (!_sluice_expr_expect_keyword (p, "END"))
    return NULL;
  e->end = prev_end (p);
  return e;
}

SluiceExpr *
_sluice_expr_parse_primary (Parser *p)
{
  Token *t = peek (p);
  SluiceExpr *e;

  switch (t->kind)
    {
    case T_INTEGER:
    case T_DECIMAL:
    case T_DOUBLE:
      next (p);
      e = node (p, SLUICE_EXPR_LITERAL, t->start, t->end);
      e->literal = t->kind == T_INTEGER ? SLUICE_LITERAL_INTEGER
                 : t->kind == T_DECIMAL ? SLUICE_LITERAL_DECIMAL : SLUICE_LITERAL_DOUBLE;
      e->text = t->text;
      return e;

    case T_STRING:
      {
        /* Adjacent string literals are one: 'it' 's' is 'its', as in Spark. */
        guint start = t->start;

        next (p);
        e = node (p, SLUICE_EXPR_LITERAL, start, t->end);
        e->literal = SLUICE_LITERAL_STRING;
        e->text = t->text;
        if (peek (p)->kind == T_STRING)
          {
            g_autoptr(GString) value = g_string_new (t->text);

            while (peek (p)->kind == T_STRING)
              g_string_append (value, next (p)->text);
            e->text = copy_text (p, value->str, value->len);
            e->end = prev_end (p);
          }
        return e;
      }

    case T_LPAREN:
      {
        SluiceExpr *inner;

        next (p);
        if (!(inner = _sluice_expr_parse_expr (p)))
          return NULL;
        if (!expect (p, T_RPAREN, "“)”"))
          return NULL;
        /* The range covers the parentheses, so errors underline what was typed. */
        inner->start = t->start;
        inner->end = prev_end (p);
        return inner;
      }

    case T_QUOTED:
    case T_IDENT:
      break;

    default:
      _sluice_expr_unexpected (p, _("a value, a column or a function"));
      return NULL;
    }

  /* Keywords that start a primary. */
  if (t->kind == T_IDENT)
    {
      if (is_keyword (t, "NULL") || is_keyword (t, "TRUE") || is_keyword (t, "FALSE"))
        {
          next (p);
          e = node (p, SLUICE_EXPR_LITERAL, t->start, t->end);
          e->literal = is_keyword (t, "NULL") ? SLUICE_LITERAL_NULL : SLUICE_LITERAL_BOOLEAN;
          e->text = copy_down (p, t->text);
          return e;
        }
      if ((is_keyword (t, "DATE") || is_keyword (t, "TIMESTAMP")) && peek_at (p, 1)->kind == T_STRING)
        {
          gboolean ts = is_keyword (t, "TIMESTAMP");
          Token *lit;

          next (p);
          lit = next (p);
          if (!valid_date (lit->text, ts))
            {
              _sluice_expr_fail (p, lit->start, lit->end,
                    ts ? _("“%s” is not a timestamp (YYYY-MM-DD HH:MM:SS)") : _("“%s” is not a date (YYYY-MM-DD)"),
                    lit->text);
              return NULL;
            }
          e = node (p, SLUICE_EXPR_LITERAL, t->start, lit->end);
          e->literal = ts ? SLUICE_LITERAL_TIMESTAMP : SLUICE_LITERAL_DATE;
          {
            char *copy = copy_text (p, lit->text, strlen (lit->text));
            if (ts)
              copy[10] = copy[10] ? ' ' : '\0';
            e->text = copy;
          }
          return e;
        }
      if (is_keyword (t, "CASE"))
        {
          next (p);
          return parse_case (p, t);
        }
      if (is_keyword (t, "CAST") && peek_at (p, 1)->kind == T_LPAREN)
        {
          SluiceExpr *cast, *inner;

          next (p);
          next (p);
          if (!(inner = _sluice_expr_parse_expr (p)))
            return NULL;
          cast = node1 (p, SLUICE_EXPR_CAST, t->start, t->end, inner);
          if (!_sluice_expr_expect_keyword (p, "AS") || !parse_type (p, &cast->text) || !expect (p, T_RPAREN, "“)”"))
            return NULL;
          cast->end = prev_end (p);
          return cast;
        }
      if (_sluice_expr_is_reserved (t))
        {
          _sluice_expr_unexpected (p, _("a value, a column or a function"));
          return NULL;
        }
      if (peek_at (p, 1)->kind == T_LPAREN)
        {
          next (p);
          return parse_call (p, t);
        }
    }

  /* A column: name, or qualifier.name. */
  next (p);
  e = node (p, SLUICE_EXPR_COLUMN, t->start, t->end);
  e->text = t->text;
  e->quoted = t->kind == T_QUOTED;
  if (peek (p)->kind == T_DOT && (peek_at (p, 1)->kind == T_IDENT || peek_at (p, 1)->kind == T_QUOTED))
    {
      Token *name;

      next (p);
      name = next (p);
      e->qualifier = e->text;
      e->text = name->text;
      e->quoted = name->kind == T_QUOTED;
      e->end = name->end;
    }
  else if (peek (p)->kind == T_DOT)
    {
      next (p);
      _sluice_expr_unexpected (p, _("a column name after “.”"));
      return NULL;
    }
  return e;
}
