/* A recursive-descent parser for Spark SQL expressions, with Spark's
 * precedence: OR < AND < NOT < predicates < + - || < * / % DIV < unary.
 * The tokens come from sluice-expr-lexer.c. */
#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-expr-parser-private.h"

#define MAX_DEPTH 200

/* ---- the tree's memory ---- */

#define ALIGN8(n) (((n) + 7) & ~(gsize) 7)

static void
add_block (Parser *p,
           gsize   size)
{
  SluiceExprBlock *b = g_malloc (sizeof (SluiceExprBlock) + size);

  b->next = p->blocks;
  p->blocks = b;
  p->free_at = (char *) (b + 1);
  p->free_end = p->free_at + size;
}

static gpointer
alloc (Parser *p,
       gsize   size)
{
  gpointer at;

  size = ALIGN8 (size);
  if ((gsize) (p->free_end - p->free_at) < size)
    add_block (p, MAX (size, 512));
  at = p->free_at;
  p->free_at += size;
  return at;
}

static char *
copy_text (Parser     *p,
           const char *text,
           gsize       len)
{
  char *copy = alloc (p, len + 1);

  memcpy (copy, text, len);
  copy[len] = '\0';
  return copy;
}

static const char *
copy_down (Parser     *p,
           const char *text)
{
  gsize len = strlen (text);
  char *copy = alloc (p, len + 1);

  for (gsize i = 0; i <= len; i++)
    copy[i] = g_ascii_tolower (text[i]);
  return copy;
}

static void
push_arg (Parser     *p,
          SluiceExpr *e)
{
  if (p->stack_len == p->stack_size)
    {
      p->stack_size *= 2;
      if (p->stack == p->local_stack)
        p->stack = g_memdup2 (p->local_stack, sizeof p->local_stack[0] * p->stack_len);
      p->stack = g_renew (SluiceExpr *, p->stack, p->stack_size);
    }
  p->stack[p->stack_len++] = e;
}

/* The arguments pushed since @base, as an array in the tree. */
static SluiceExpr **
pop_args (Parser *p,
          guint   base,
          guint  *n)
{
  SluiceExpr **args = NULL;

  *n = p->stack_len - base;
  if (*n > 0)
    {
      args = alloc (p, sizeof (SluiceExpr *) * *n);
      memcpy (args, p->stack + base, sizeof (SluiceExpr *) * *n);
    }
  p->stack_len = base;
  return args;
}

/* ---- parser helpers ---- */

static Token *
peek (Parser *p)
{
  return &p->tokens[p->pos];
}

static Token *
peek_at (Parser *p,
         guint   ahead)
{
  guint i = MIN (p->pos + ahead, p->n_tokens - 1);
  return &p->tokens[i];
}

static Token *
next (Parser *p)
{
  Token *t = peek (p);
  if (t->kind != T_EOF)
    p->pos++;
  return t;
}

static inline char
fold_ascii (char c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* g_ascii_strcasecmp (a, b) == 0, inline: the parser asks it of every
 * identifier for every keyword it could be, and GLib's calls
 * g_ascii_tolower() per character. */
static inline gboolean
same_word (const char *a,
           const char *b)
{
  while (*a && fold_ascii (*a) == fold_ascii (*b))
    a++, b++;
  return fold_ascii (*a) == fold_ascii (*b);
}

/* @word is a keyword, all letters: a first letter that differs in its
 * case bit too rejects nearly every identifier without the loop. */
static inline gboolean
is_keyword (Token      *t,
            const char *word)
{
  return t->kind == T_IDENT && (t->text[0] | 0x20) == (word[0] | 0x20) && same_word (t->text, word);
}

static gboolean
accept_keyword (Parser     *p,
                const char *word)
{
  if (is_keyword (peek (p), word))
    {
      next (p);
      return TRUE;
    }
  return FALSE;
}

static const char *
describe (Token *t)
{
  static char buf[64];

  switch (t->kind)
    {
    case T_EOF:    return _("the end of the expression");
    case T_STRING: return _("a string");
    case T_INTEGER:
    case T_DECIMAL:
    case T_DOUBLE: return _("a number");
    case T_IDENT:
    case T_QUOTED: g_snprintf (buf, sizeof buf, "“%s”", t->text); return buf;
    default: break;
    }
  return NULL;
}

static gboolean
unexpected (Parser     *p,
            const char *expected)
{
  Token *t = peek (p);
  const char *what = describe (t);

  if (what)
    return _sluice_expr_fail (p, t->start, t->end, _("expected %s, found %s"), expected, what);
  return _sluice_expr_fail (p, t->start, t->end, _("expected %s"), expected);
}

static gboolean
expect (Parser     *p,
        TokenKind   kind,
        const char *expected)
{
  if (peek (p)->kind != kind)
    return unexpected (p, expected);
  next (p);
  return TRUE;
}

static gboolean
expect_keyword (Parser     *p,
                const char *word)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", word);
  if (!accept_keyword (p, word))
    return unexpected (p, quoted);
  return TRUE;
}

static SluiceExpr *
node (Parser         *p,
      SluiceExprKind  kind,
      guint           start,
      guint           end)
{
  SluiceExpr *e = alloc (p, sizeof (SluiceExpr));

  memset (e, 0, sizeof *e);
  e->kind = kind;
  e->start = start;
  e->end = end;
  return e;
}

/* A node with the one argument @arg. */
static SluiceExpr *
node1 (Parser         *p,
       SluiceExprKind  kind,
       guint           start,
       guint           end,
       SluiceExpr     *arg)
{
  SluiceExpr *e = node (p, kind, start, end);

  e->args = alloc (p, sizeof (SluiceExpr *));
  e->args[0] = arg;
  e->n_args = 1;
  return e;
}

static guint
prev_end (Parser *p)
{
  return p->pos > 0 ? p->tokens[p->pos - 1].end : 0;
}

/* Words that end or join expressions, never column names when bare. */
static gboolean
is_reserved (Token *t)
{
  static const char * const words[] = {
    "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE", "RLIKE", "REGEXP", "CASE", "WHEN",
    "THEN", "ELSE", "END", "AS", "DIV", "OVER", "DISTINCT", NULL
  };

  for (guint i = 0; words[i]; i++)
    if (is_keyword (t, words[i]))
      return TRUE;
  return FALSE;
}

static SluiceExpr *parse_expr (Parser *p);

/* ---- primaries ---- */

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
    return unexpected (p, _("a type"));
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

      if (!expect_keyword (p, "BY"))
        return FALSE;
      do
        {
          SluiceExpr *e = parse_expr (p);
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

      if (!expect_keyword (p, "BY"))
        return FALSE;
      do
        {
          SluiceSortKey key = { 0 };

          if (!(key.expr = parse_expr (p)))
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
                return unexpected (p, _("“FIRST” or “LAST”"));
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
                return unexpected (p, _("“PRECEDING” or “FOLLOWING”"));
            }
          else if (accept_keyword (p, "CURRENT"))
            {
              if (!expect_keyword (p, "ROW"))
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
                return unexpected (p, _("“PRECEDING” or “FOLLOWING”"));
            }
          else
            return unexpected (p, _("a frame bound"));
          if (bound == 0 && between && !expect_keyword (p, "AND"))
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
          SluiceExpr *arg = parse_expr (p);
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
      unexpected (p, what);
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
    if (!(e->operand = parse_expr (p)))
      return NULL;

  if (!is_keyword (peek (p), "WHEN"))
    {
      unexpected (p, _("“WHEN”"));
      return NULL;
    }
  while (accept_keyword (p, "WHEN"))
    {
      SluiceExpr *when, *then;

      if (!(when = parse_expr (p)))
        return NULL;
      push_arg (p, when);
      if (!expect_keyword (p, "THEN") || !(then = parse_expr (p)))
        return NULL;
      push_arg (p, then);
    }
  e->args = pop_args (p, base, &e->n_args);
  if (accept_keyword (p, "ELSE"))
    if (!(e->otherwise = parse_expr (p)))
      return NULL;
  if (!expect_keyword (p, "END"))
    return NULL;
  e->end = prev_end (p);
  return e;
}

static SluiceExpr *
parse_primary (Parser *p)
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
        if (!(inner = parse_expr (p)))
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
      unexpected (p, _("a value, a column or a function"));
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
          if (!(inner = parse_expr (p)))
            return NULL;
          cast = node1 (p, SLUICE_EXPR_CAST, t->start, t->end, inner);
          if (!expect_keyword (p, "AS") || !parse_type (p, &cast->text) || !expect (p, T_RPAREN, "“)”"))
            return NULL;
          cast->end = prev_end (p);
          return cast;
        }
      if (is_reserved (t))
        {
          unexpected (p, _("a value, a column or a function"));
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
      unexpected (p, _("a column name after “.”"));
      return NULL;
    }
  return e;
}

/* ---- operators ---- */

static SluiceExpr *
binary (Parser       *p,
        SluiceExprOp  op,
        SluiceExpr   *left,
        SluiceExpr   *right)
{
  SluiceExpr *e = node (p, SLUICE_EXPR_BINARY, left->start, right->end);

  e->op = op;
  e->args = alloc (p, 2 * sizeof (SluiceExpr *));
  e->args[0] = left;
  e->args[1] = right;
  e->n_args = 2;
  return e;
}

static SluiceExpr *
parse_unary (Parser *p)
{
  Token *t = peek (p);

  if (t->kind == T_MINUS || t->kind == T_PLUS)
    {
      SluiceExpr *operand, *e;

      if (++p->depth > MAX_DEPTH)
        {
          _sluice_expr_fail (p, t->start, t->end, _("the expression is nested too deeply"));
          return NULL;
        }
      next (p);
      operand = parse_unary (p);
      p->depth--;
      if (!operand)
        return NULL;
      /* -5 is a literal, as users read it. */
      if (t->kind == T_MINUS && operand->kind == SLUICE_EXPR_LITERAL &&
          (operand->literal == SLUICE_LITERAL_INTEGER || operand->literal == SLUICE_LITERAL_DECIMAL ||
           operand->literal == SLUICE_LITERAL_DOUBLE) && operand->text[0] != '-' && operand->start == t->end)
        {
          gsize len = strlen (operand->text);
          char *negative = alloc (p, len + 2);

          negative[0] = '-';
          memcpy (negative + 1, operand->text, len + 1);
          operand->text = negative;
          operand->start = t->start;
          return operand;
        }
      e = node1 (p, SLUICE_EXPR_UNARY, t->start, operand->end, operand);
      e->op = t->kind == T_MINUS ? SLUICE_OP_NEG : SLUICE_OP_PLUS;
      return e;
    }
  return parse_primary (p);
}

static SluiceExpr *
parse_multiplicative (Parser *p)
{
  SluiceExpr *left = parse_unary (p);

  while (left)
    {
      Token *t = peek (p);
      SluiceExprOp op;
      SluiceExpr *right;

      if (t->kind == T_STAR)
        op = SLUICE_OP_MUL;
      else if (t->kind == T_SLASH)
        op = SLUICE_OP_DIV;
      else if (t->kind == T_PERCENT)
        op = SLUICE_OP_MOD;
      else if (is_keyword (t, "DIV"))
        op = SLUICE_OP_INT_DIV;
      else
        break;
      next (p);
      if (!(right = parse_unary (p)))
        return NULL;
      left = binary (p, op, left, right);
    }
  return left;
}

static SluiceExpr *
parse_additive (Parser *p)
{
  SluiceExpr *left = parse_multiplicative (p);

  while (left)
    {
      Token *t = peek (p);
      SluiceExprOp op;
      SluiceExpr *right;

      if (t->kind == T_PLUS)
        op = SLUICE_OP_ADD;
      else if (t->kind == T_MINUS)
        op = SLUICE_OP_SUB;
      else if (t->kind == T_CONCAT)
        op = SLUICE_OP_CONCAT;
      else
        break;
      next (p);
      if (!(right = parse_multiplicative (p)))
        return NULL;
      left = binary (p, op, left, right);
    }
  return left;
}

static SluiceExpr *
parse_predicate (Parser *p)
{
  SluiceExpr *left = parse_additive (p);

  while (left)
    {
      Token *t = peek (p);
      gboolean negated = FALSE;
      SluiceExprOp op = SLUICE_OP_NONE;

      switch (t->kind)
        {
        case T_EQ:   op = SLUICE_OP_EQ; break;
        case T_NSEQ: op = SLUICE_OP_NULL_SAFE_EQ; break;
        case T_NE:   op = SLUICE_OP_NE; break;
        case T_LT:   op = SLUICE_OP_LT; break;
        case T_LE:   op = SLUICE_OP_LE; break;
        case T_GT:   op = SLUICE_OP_GT; break;
        case T_GE:   op = SLUICE_OP_GE; break;
        default: break;
        }
      if (op != SLUICE_OP_NONE)
        {
          SluiceExpr *right;
          next (p);
          if (!(right = parse_additive (p)))
            return NULL;
          left = binary (p, op, left, right);
          continue;
        }

      if (is_keyword (t, "IS"))
        {
          SluiceExpr *e;
          next (p);
          negated = accept_keyword (p, "NOT");
          if (!expect_keyword (p, "NULL"))
            return NULL;
          e = node1 (p, SLUICE_EXPR_IS_NULL, left->start, prev_end (p), left);
          e->negated = negated;
          left = e;
          continue;
        }

      /* [NOT] IN / BETWEEN / LIKE / RLIKE */
      if (is_keyword (t, "NOT") &&
          (is_keyword (peek_at (p, 1), "IN") || is_keyword (peek_at (p, 1), "BETWEEN") ||
           is_keyword (peek_at (p, 1), "LIKE") || is_keyword (peek_at (p, 1), "RLIKE") ||
           is_keyword (peek_at (p, 1), "REGEXP")))
        {
          next (p);
          negated = TRUE;
          t = peek (p);
        }

      if (is_keyword (t, "IN"))
        {
          SluiceExpr *e = node (p, SLUICE_EXPR_IN, left->start, t->end);
          guint base = p->stack_len;

          e->negated = negated;
          push_arg (p, left);
          next (p);
          if (!expect (p, T_LPAREN, _("“(” after IN")))
            return NULL;
          do
            {
              SluiceExpr *item = parse_expr (p);
              if (!item)
                return NULL;
              push_arg (p, item);
            }
          while (peek (p)->kind == T_COMMA && next (p));
          e->args = pop_args (p, base, &e->n_args);
          if (!expect (p, T_RPAREN, _("“,” or “)” in the IN list")))
            return NULL;
          e->end = prev_end (p);
          left = e;
          continue;
        }

      if (is_keyword (t, "BETWEEN"))
        {
          SluiceExpr *e = node (p, SLUICE_EXPR_BETWEEN, left->start, t->end);
          SluiceExpr *low, *high;

          e->negated = negated;
          next (p);
          if (!(low = parse_additive (p)))
            return NULL;
          if (!expect_keyword (p, "AND") || !(high = parse_additive (p)))
            return NULL;
          e->args = alloc (p, 3 * sizeof (SluiceExpr *));
          e->args[0] = left;
          e->args[1] = low;
          e->args[2] = high;
          e->n_args = 3;
          e->end = high->end;
          left = e;
          continue;
        }

      if (is_keyword (t, "LIKE") || is_keyword (t, "RLIKE") || is_keyword (t, "REGEXP"))
        {
          SluiceExpr *e = node (p, SLUICE_EXPR_LIKE, left->start, t->end);
          SluiceExpr *pattern;

          e->negated = negated;
          e->op = is_keyword (t, "LIKE") ? SLUICE_OP_LIKE : SLUICE_OP_RLIKE;
          next (p);
          if (!(pattern = parse_additive (p)))
            return NULL;
          e->args = alloc (p, 2 * sizeof (SluiceExpr *));
          e->args[0] = left;
          e->args[1] = pattern;
          e->n_args = 2;
          e->end = pattern->end;
          left = e;
          continue;
        }

      if (negated)
        {
          unexpected (p, _("IN, BETWEEN, LIKE or RLIKE after NOT"));
          return NULL;
        }
      break;
    }
  return left;
}

static SluiceExpr *
parse_not (Parser *p)
{
  Token *t = peek (p);

  if (is_keyword (t, "NOT"))
    {
      SluiceExpr *operand, *e;

      if (++p->depth > MAX_DEPTH)
        {
          _sluice_expr_fail (p, t->start, t->end, _("the expression is nested too deeply"));
          return NULL;
        }
      next (p);
      operand = parse_not (p);
      p->depth--;
      if (!operand)
        return NULL;
      e = node1 (p, SLUICE_EXPR_UNARY, t->start, operand->end, operand);
      e->op = SLUICE_OP_NOT;
      return e;
    }
  return parse_predicate (p);
}

static SluiceExpr *
parse_and (Parser *p)
{
  SluiceExpr *left = parse_not (p);

  while (left && is_keyword (peek (p), "AND"))
    {
      SluiceExpr *right;
      next (p);
      if (!(right = parse_not (p)))
        return NULL;
      left = binary (p, SLUICE_OP_AND, left, right);
    }
  return left;
}

static SluiceExpr *
parse_expr (Parser *p)
{
  SluiceExpr *left;

  if (++p->depth > MAX_DEPTH)
    {
      Token *t = peek (p);
      _sluice_expr_fail (p, t->start, t->end, _("the expression is nested too deeply"));
      return NULL;
    }

  left = parse_and (p);
  while (left && is_keyword (peek (p), "OR"))
    {
      SluiceExpr *right;
      next (p);
      if (!(right = parse_and (p)))
        {
          left = NULL;
          break;
        }
      left = binary (p, SLUICE_OP_OR, left, right);
    }
  p->depth--;
  return left;
}

/* The tree's first block: room for a node per token that can be one (no
 * expression has more) and a pointer to each as an argument, with the
 * tokens' texts moved into it. Kept small, too: past about a kilobyte
 * malloc() takes its slow path, which cost more than the parse. */
static void
first_block (Parser *p)
{
  gsize texts = ALIGN8 (p->texts_len);
  char *moved;

  add_block (p, texts + p->n_node_tokens * (sizeof (SluiceExpr) + sizeof (SluiceExpr *)) + ALIGN8 (p->source_len + 1));
  moved = alloc (p, texts);
  memcpy (moved, p->texts, p->texts_len);
  for (guint i = 0; i < p->n_tokens; i++)
    if (p->tokens[i].text)
      p->tokens[i].text = moved + (p->tokens[i].text - p->texts);
}

static void
free_blocks (SluiceExprBlock *block)
{
  while (block)
    {
      SluiceExprBlock *next = block->next;
      g_free (block);
      block = next;
    }
}

SluiceExpr *
sluice_expr_parse (const char  *text,
                   guint       *error_start,
                   guint       *error_end,
                   GError     **error)
{
  Parser p;
  SluiceExpr *e = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  if (error_start)
    *error_start = 0;
  if (error_end)
    *error_end = 0;

  /* Not { 0 }: the local buffers need no clearing. */
  memset (&p, 0, G_STRUCT_OFFSET (Parser, local_tokens));
  p.tokens = p.local_tokens;
  p.tokens_size = G_N_ELEMENTS (p.local_tokens);
  p.stack = p.local_stack;
  p.stack_size = G_N_ELEMENTS (p.local_stack);
  len = p.source_len = strlen (text);
  p.texts = 2 * len + 1 <= sizeof p.local_texts ? p.local_texts : g_malloc (2 * len + 1);

  if (!g_utf8_validate (text, len, NULL))
    _sluice_expr_fail (&p, 0, 1, _("the expression is not valid UTF-8"));
  else if (_sluice_expr_lex (&p, text))
    {
      first_block (&p);
      if (peek (&p)->kind == T_EOF)
        _sluice_expr_fail (&p, 0, 0, _("the expression is empty"));
      else if ((e = parse_expr (&p)) && peek (&p)->kind != T_EOF)
        {
          Token *t = peek (&p);
          const char *what = describe (t);
          g_autofree char *text_of = NULL;

          if (what == NULL)
            what = text_of = g_strdup_printf ("“%s”", t->kind == T_RPAREN ? ")" : t->kind == T_COMMA ? "," : "…");
          _sluice_expr_fail (&p, t->start, t->end, _("unexpected %s after the end of the expression"), what);
        }
    }

  if (p.tokens != p.local_tokens)
    g_free (p.tokens);
  if (p.texts != p.local_texts)
    g_free (p.texts);
  if (p.stack != p.local_stack)
    g_free (p.stack);

  if (p.error)
    {
      free_blocks (p.blocks);
      if (error_start)
        *error_start = p.err_start;
      if (error_end)
        *error_end = p.err_end;
      g_propagate_error (error, p.error);
      return NULL;
    }
  e->source = copy_text (&p, text, len);
  g_atomic_ref_count_init (&e->ref_count);
  e->memory = p.blocks;
  return e;
}
