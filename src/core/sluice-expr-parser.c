/* A recursive-descent parser for Spark SQL expressions, with Spark's
 * precedence: OR < AND < NOT < predicates < + - || < * / % DIV < unary. */
#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-expr.h"

typedef enum {
  T_EOF,
  T_IDENT,
  T_QUOTED,     /* `backticked` identifier */
  T_STRING,
  T_INTEGER,
  T_DECIMAL,
  T_DOUBLE,
  T_LPAREN,
  T_RPAREN,
  T_COMMA,
  T_DOT,
  T_STAR,
  T_PLUS,
  T_MINUS,
  T_SLASH,
  T_PERCENT,
  T_CONCAT,
  T_EQ,
  T_NSEQ,
  T_NE,
  T_LT,
  T_LE,
  T_GT,
  T_GE,
} TokenKind;

typedef struct
{
  TokenKind  kind;
  guint      start;   /* characters */
  guint      end;
  char      *text;    /* identifier as written, string value, number text */
} Token;

typedef struct
{
  GArray  *tokens;
  guint    pos;
  GError  *error;
  guint    err_start;
  guint    err_end;
  guint    depth;
} Parser;

#define MAX_DEPTH 200

static void
token_clear (gpointer data)
{
  g_free (((Token *) data)->text);
}

static gboolean
fail (Parser     *p,
      guint       start,
      guint       end,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (Parser     *p,
      guint       start,
      guint       end,
      const char *format,
      ...)
{
  va_list args;

  if (p->error)
    return FALSE;
  va_start (args, format);
  p->error = g_error_new_valist (SLUICE_EXPR_ERROR, SLUICE_EXPR_ERROR_SYNTAX, format, args);
  va_end (args);
  p->err_start = start;
  p->err_end = MAX (end, start + 1);
  return FALSE;
}

/* ---- lexer ---- */

/* g_unichar_isspace() of an ASCII character (not \v, unlike g_ascii_isspace()) */
static inline gboolean
is_ascii_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static gboolean
lex (Parser     *p,
     const char *text)
{
  const char *s = text;
  guint ch = 0;   /* character offset of s */

#define ADV(n) G_STMT_START { for (guint _i = 0; _i < (n); _i++) { s = g_utf8_next_char (s); ch++; } } G_STMT_END

  for (;;)
    {
      Token t = { 0 };
      gunichar c;

      /* ASCII first: g_unichar_is*() on what is nearly always ASCII text
       * was a tenth of parsing. */
      while (*s && ((guchar) *s < 0x80 ? is_ascii_space (*s) : g_unichar_isspace (g_utf8_get_char (s))))
        ADV (1);
      /* -- comments to the end of the line */
      if (s[0] == '-' && s[1] == '-')
        {
          while (*s && *s != '\n')
            ADV (1);
          continue;
        }

      t.start = ch;
      if (*s == '\0')
        {
          t.kind = T_EOF;
          t.end = ch;
          g_array_append_val (p->tokens, t);
          return TRUE;
        }

      c = g_utf8_get_char (s);
      if (g_unichar_isalpha (c) || c == '_')
        {
          const char *begin = s;
          while (*s && ((guchar) *s < 0x80 ? g_ascii_isalnum (*s) || *s == '_' : g_unichar_isalnum (g_utf8_get_char (s))))
            ADV (1);
          t.kind = T_IDENT;
          t.text = g_strndup (begin, s - begin);
        }
      else if (c == '`')
        {
          GString *name = g_string_new (NULL);
          ADV (1);
          for (;;)
            {
              if (*s == '\0')
                {
                  g_string_free (name, TRUE);
                  return fail (p, t.start, ch, _("unterminated `quoted name`"));
                }
              if (*s == '`')
                {
                  if (s[1] == '`')
                    {
                      g_string_append_c (name, '`');
                      ADV (2);
                      continue;
                    }
                  ADV (1);
                  break;
                }
              g_string_append_unichar (name, g_utf8_get_char (s));
              ADV (1);
            }
          if (name->len == 0)
            {
              g_string_free (name, TRUE);
              return fail (p, t.start, ch, _("empty `quoted name`"));
            }
          t.kind = T_QUOTED;
          t.text = g_string_free (name, FALSE);
        }
      else if (c == '\'' || c == '"')
        {
          GString *value = g_string_new (NULL);
          char quote = *s;
          ADV (1);
          for (;;)
            {
              if (*s == '\0')
                {
                  g_string_free (value, TRUE);
                  return fail (p, t.start, ch, _("unterminated string"));
                }
              if (*s == quote)
                {
                  ADV (1);
                  break;
                }
              if (*s == '\\' && s[1] != '\0')
                {
                  guint esc_start = ch;
                  ADV (1);
                  switch (*s)
                    {
                    case 'n': g_string_append_c (value, '\n'); break;
                    case 't': g_string_append_c (value, '\t'); break;
                    case 'r': g_string_append_c (value, '\r'); break;
                    case 'b': g_string_append_c (value, '\b'); break;
                    case '0': g_string_append_c (value, '\0'); break;
                    case 'Z': g_string_append_c (value, '\032'); break;
                    /* Spark keeps the backslash of \% and \_ for LIKE patterns. */
                    case '%': g_string_append (value, "\\%"); break;
                    case '_': g_string_append (value, "\\_"); break;
                    case 'u':
                      {
                        int v = 0;
                        for (int i = 1; i <= 4; i++)
                          {
                            int d = g_ascii_xdigit_value (s[i]);
                            if (d < 0)
                              {
                                g_string_free (value, TRUE);
                                return fail (p, esc_start, ch + 1, _("“\\u” needs four hexadecimal digits"));
                              }
                            v = v * 16 + d;
                          }
                        if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
                          {
                            g_string_free (value, TRUE);
                            return fail (p, esc_start, ch + 5, _("“\\u%04X” is not a character"), v);
                          }
                        g_string_append_unichar (value, v);
                        ADV (4);
                      }
                      break;
                    default:
                      g_string_append_unichar (value, g_utf8_get_char (s));
                      break;
                    }
                  ADV (1);
                  continue;
                }
              g_string_append_unichar (value, g_utf8_get_char (s));
              ADV (1);
            }
          if (memchr (value->str, '\0', value->len))
            {
              g_string_free (value, TRUE);
              return fail (p, t.start, ch, _("a string must not contain “\\0”"));
            }
          t.kind = T_STRING;
          t.text = g_string_free (value, FALSE);
        }
      else if (g_ascii_isdigit (*s) || (*s == '.' && g_ascii_isdigit (s[1])))
        {
          const char *begin = s;
          gboolean fraction = FALSE, exponent = FALSE;

          while (g_ascii_isdigit (*s))
            ADV (1);
          if (*s == '.' && g_ascii_isdigit (s[1]))
            {
              fraction = TRUE;
              ADV (1);
              while (g_ascii_isdigit (*s))
                ADV (1);
            }
          else if (*s == '.' && !g_ascii_isalpha (s[1]) && s[1] != '_')
            {
              fraction = TRUE;   /* "1." */
              ADV (1);
            }
          if ((*s == 'e' || *s == 'E') && (g_ascii_isdigit (s[1]) || ((s[1] == '+' || s[1] == '-') && g_ascii_isdigit (s[2]))))
            {
              exponent = TRUE;
              ADV (2);
              while (g_ascii_isdigit (*s))
                ADV (1);
            }
          t.text = g_strndup (begin, s - begin);
          t.kind = exponent ? T_DOUBLE : fraction ? T_DECIMAL : T_INTEGER;
          /* Suffixes: 10L bigint, 1.5D double, 1.5BD decimal. */
          if ((*s == 'L' || *s == 'l') && t.kind == T_INTEGER && !g_ascii_isalnum (s[1]))
            ADV (1);
          else if ((*s == 'D' || *s == 'd') && !g_ascii_isalnum (s[1]))
            {
              t.kind = T_DOUBLE;
              ADV (1);
            }
          else if (g_ascii_strncasecmp (s, "BD", 2) == 0 && !g_ascii_isalnum (s[2]))
            {
              t.kind = T_DECIMAL;
              ADV (2);
            }
          if (g_ascii_isalpha (*s) || *s == '_')
            {
              g_free (t.text);
              return fail (p, t.start, ch + 1, _("unexpected letter after a number"));
            }
        }
      else
        {
          static const struct { const char *text; TokenKind kind; } ops[] = {
            { "<=>", T_NSEQ }, { "<>", T_NE }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
            { "==", T_EQ }, { "||", T_CONCAT }, { "=", T_EQ }, { "<", T_LT }, { ">", T_GT },
            { "(", T_LPAREN }, { ")", T_RPAREN }, { ",", T_COMMA }, { ".", T_DOT }, { "*", T_STAR },
            { "+", T_PLUS }, { "-", T_MINUS }, { "/", T_SLASH }, { "%", T_PERCENT },
          };
          gboolean found = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (ops) && !found; i++)
            if (*s == ops[i].text[0] && strncmp (s, ops[i].text, strlen (ops[i].text)) == 0)
              {
                t.kind = ops[i].kind;
                ADV (strlen (ops[i].text));
                found = TRUE;
              }
          if (!found)
            {
              g_autofree char *what = g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
              return fail (p, ch, ch + 1, _("unexpected character “%s”"), what ? what : "?");
            }
        }

      t.end = ch;
      g_array_append_val (p->tokens, t);
    }
#undef ADV
}

/* ---- parser helpers ---- */

static Token *
peek (Parser *p)
{
  return &g_array_index (p->tokens, Token, p->pos);
}

static Token *
peek_at (Parser *p,
         guint   ahead)
{
  guint i = MIN (p->pos + ahead, p->tokens->len - 1);
  return &g_array_index (p->tokens, Token, i);
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

static gboolean
is_keyword (Token      *t,
            const char *word)
{
  return t->kind == T_IDENT && same_word (t->text, word);
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
    return fail (p, t->start, t->end, _("expected %s, found %s"), expected, what);
  return fail (p, t->start, t->end, _("expected %s"), expected);
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
node (SluiceExprKind kind,
      guint          start,
      guint          end)
{
  SluiceExpr *e = g_new0 (SluiceExpr, 1);

  g_atomic_ref_count_init (&e->ref_count);
  e->kind = kind;
  e->start = start;
  e->end = end;
  e->args = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_unref);
  return e;
}

static guint
prev_end (Parser *p)
{
  return p->pos > 0 ? g_array_index (p->tokens, Token, p->pos - 1).end : 0;
}

/* Words that end or join expressions, never column names when bare. */
static gboolean
is_reserved (Token *t)
{
  static const char * const words[] = {
    "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE", "RLIKE", "REGEXP", "CASE", "WHEN",
    "THEN", "ELSE", "END", "AS", "DIV", "OVER", "DISTINCT", NULL
  };

  if (t->kind != T_IDENT)
    return FALSE;
  for (guint i = 0; words[i]; i++)
    if (same_word (t->text, words[i]))
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
parse_type (Parser  *p,
            char   **out)
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
      *out = g_strdup ("string");
    }
  else if (g_str_equal (name, "int") || g_str_equal (name, "integer") ||
           g_str_equal (name, "smallint") || g_str_equal (name, "tinyint"))
    *out = g_strdup ("int");
  else if (g_str_equal (name, "bigint") || g_str_equal (name, "long"))
    *out = g_strdup ("bigint");
  else if (g_str_equal (name, "double") || g_str_equal (name, "float") || g_str_equal (name, "real"))
    *out = g_strdup ("double");
  else if (g_str_equal (name, "boolean"))
    *out = g_strdup ("boolean");
  else if (g_str_equal (name, "date"))
    *out = g_strdup ("date");
  else if (g_str_equal (name, "timestamp"))
    *out = g_strdup ("timestamp");
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
        return fail (p, start, prev_end (p),
                     _("decimal(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ") is out of range: "
                       "precision 1 to 38, scale 0 to the precision"), precision, scale);
      *out = g_strdup_printf ("decimal(%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ")", precision, scale);
    }
  else
    return fail (p, start, t->end,
                 _("unknown type “%s” (use string, int, bigint, double, decimal(p,s), boolean, date or timestamp)"),
                 t->text);
  return TRUE;
}

static void
sort_key_clear (gpointer data)
{
  SluiceSortKey *key = data;
  g_clear_pointer (&key->expr, sluice_expr_unref);
}

static gboolean
parse_window (Parser           *p,
              SluiceWindowSpec *w)
{
  w->partition_by = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_unref);
  w->order_by = g_array_new (FALSE, TRUE, sizeof (SluiceSortKey));
  g_array_set_clear_func (w->order_by, sort_key_clear);

  if (accept_keyword (p, "PARTITION"))
    {
      if (!expect_keyword (p, "BY"))
        return FALSE;
      do
        {
          SluiceExpr *e = parse_expr (p);
          if (!e)
            return FALSE;
          g_ptr_array_add (w->partition_by, e);
        }
      while (peek (p)->kind == T_COMMA && next (p));
    }

  if (accept_keyword (p, "ORDER"))
    {
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
                {
                  sluice_expr_unref (key.expr);
                  return unexpected (p, _("“FIRST” or “LAST”"));
                }
            }
          g_array_append_val (w->order_by, key);
        }
      while (peek (p)->kind == T_COMMA && next (p));
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
      w->frame = g_string_free (g_steal_pointer (&frame), FALSE);
    }
  return TRUE;
}

static SluiceExpr *
parse_call (Parser *p,
            Token  *name)
{
  g_autoptr(SluiceExpr) e = node (SLUICE_EXPR_CALL, name->start, name->end);

  e->text = g_ascii_strdown (name->text, -1);
  next (p); /* ( */

  if (accept_keyword (p, "DISTINCT"))
    e->distinct = TRUE;

  if (peek (p)->kind == T_STAR && peek_at (p, 1)->kind == T_RPAREN)
    {
      Token *star = next (p);
      g_ptr_array_add (e->args, node (SLUICE_EXPR_STAR, star->start, star->end));
    }
  else if (peek (p)->kind != T_RPAREN)
    {
      do
        {
          SluiceExpr *arg = parse_expr (p);
          if (!arg)
            return NULL;
          g_ptr_array_add (e->args, arg);
        }
      while (peek (p)->kind == T_COMMA && next (p));
    }
  if (peek (p)->kind != T_RPAREN)
    {
      g_autofree char *what = g_strdup_printf (_("“,” or “)” in the call of “%s”"), e->text);
      unexpected (p, what);
      return NULL;
    }
  next (p);

  if (accept_keyword (p, "OVER"))
    {
      e->window = g_new0 (SluiceWindowSpec, 1);
      if (!expect (p, T_LPAREN, "“(” after OVER") || !parse_window (p, e->window) ||
          !expect (p, T_RPAREN, _("“)” to end the window")))
        return NULL;
    }
  e->end = prev_end (p);
  return g_steal_pointer (&e);
}

static SluiceExpr *
parse_case (Parser *p,
            Token  *kw)
{
  g_autoptr(SluiceExpr) e = node (SLUICE_EXPR_CASE, kw->start, kw->end);

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
      g_ptr_array_add (e->args, when);
      if (!expect_keyword (p, "THEN") || !(then = parse_expr (p)))
        return NULL;
      g_ptr_array_add (e->args, then);
    }
  if (accept_keyword (p, "ELSE"))
    if (!(e->otherwise = parse_expr (p)))
      return NULL;
  if (!expect_keyword (p, "END"))
    return NULL;
  e->end = prev_end (p);
  return g_steal_pointer (&e);
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
      e = node (SLUICE_EXPR_LITERAL, t->start, t->end);
      e->literal = t->kind == T_INTEGER ? SLUICE_LITERAL_INTEGER
                 : t->kind == T_DECIMAL ? SLUICE_LITERAL_DECIMAL : SLUICE_LITERAL_DOUBLE;
      e->text = g_strdup (t->text);
      return e;

    case T_STRING:
      {
        /* Adjacent string literals are one: 'it' 's' is 'its', as in Spark. */
        GString *value = g_string_new (t->text);
        guint start = t->start;

        next (p);
        while (peek (p)->kind == T_STRING)
          g_string_append (value, next (p)->text);
        e = node (SLUICE_EXPR_LITERAL, start, prev_end (p));
        e->literal = SLUICE_LITERAL_STRING;
        e->text = g_string_free (value, FALSE);
        return e;
      }

    case T_LPAREN:
      {
        SluiceExpr *inner;

        next (p);
        if (!(inner = parse_expr (p)))
          return NULL;
        if (!expect (p, T_RPAREN, "“)”"))
          {
            sluice_expr_unref (inner);
            return NULL;
          }
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
          e = node (SLUICE_EXPR_LITERAL, t->start, t->end);
          e->literal = is_keyword (t, "NULL") ? SLUICE_LITERAL_NULL : SLUICE_LITERAL_BOOLEAN;
          e->text = g_ascii_strdown (t->text, -1);
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
              fail (p, lit->start, lit->end,
                    ts ? _("“%s” is not a timestamp (YYYY-MM-DD HH:MM:SS)") : _("“%s” is not a date (YYYY-MM-DD)"),
                    lit->text);
              return NULL;
            }
          e = node (SLUICE_EXPR_LITERAL, t->start, lit->end);
          e->literal = ts ? SLUICE_LITERAL_TIMESTAMP : SLUICE_LITERAL_DATE;
          e->text = g_strdup (lit->text);
          if (ts)
            e->text[10] = e->text[10] ? ' ' : '\0';
          return e;
        }
      if (is_keyword (t, "CASE"))
        {
          next (p);
          return parse_case (p, t);
        }
      if (is_keyword (t, "CAST") && peek_at (p, 1)->kind == T_LPAREN)
        {
          g_autoptr(SluiceExpr) cast = node (SLUICE_EXPR_CAST, t->start, t->end);
          SluiceExpr *inner;

          next (p);
          next (p);
          if (!(inner = parse_expr (p)))
            return NULL;
          g_ptr_array_add (cast->args, inner);
          if (!expect_keyword (p, "AS") || !parse_type (p, &cast->text) || !expect (p, T_RPAREN, "“)”"))
            return NULL;
          cast->end = prev_end (p);
          return g_steal_pointer (&cast);
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
  e = node (SLUICE_EXPR_COLUMN, t->start, t->end);
  e->text = g_strdup (t->text);
  e->quoted = t->kind == T_QUOTED;
  if (peek (p)->kind == T_DOT && (peek_at (p, 1)->kind == T_IDENT || peek_at (p, 1)->kind == T_QUOTED))
    {
      Token *name;

      next (p);
      name = next (p);
      e->qualifier = g_steal_pointer (&e->text);
      e->text = g_strdup (name->text);
      e->quoted = name->kind == T_QUOTED;
      e->end = name->end;
    }
  else if (peek (p)->kind == T_DOT)
    {
      next (p);
      unexpected (p, _("a column name after “.”"));
      sluice_expr_unref (e);
      return NULL;
    }
  return e;
}

/* ---- operators ---- */

static SluiceExpr *
binary (SluiceExprOp  op,
        SluiceExpr   *left,
        SluiceExpr   *right)
{
  SluiceExpr *e = node (SLUICE_EXPR_BINARY, left->start, right->end);

  e->op = op;
  g_ptr_array_add (e->args, left);
  g_ptr_array_add (e->args, right);
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
          fail (p, t->start, t->end, _("the expression is nested too deeply"));
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
          char *negative = g_strconcat ("-", operand->text, NULL);
          g_free (operand->text);
          operand->text = negative;
          operand->start = t->start;
          return operand;
        }
      e = node (SLUICE_EXPR_UNARY, t->start, operand->end);
      e->op = t->kind == T_MINUS ? SLUICE_OP_NEG : SLUICE_OP_PLUS;
      g_ptr_array_add (e->args, operand);
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
        {
          sluice_expr_unref (left);
          return NULL;
        }
      left = binary (op, left, right);
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
        {
          sluice_expr_unref (left);
          return NULL;
        }
      left = binary (op, left, right);
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
            {
              sluice_expr_unref (left);
              return NULL;
            }
          left = binary (op, left, right);
          continue;
        }

      if (is_keyword (t, "IS"))
        {
          SluiceExpr *e;
          next (p);
          negated = accept_keyword (p, "NOT");
          if (!expect_keyword (p, "NULL"))
            {
              sluice_expr_unref (left);
              return NULL;
            }
          e = node (SLUICE_EXPR_IS_NULL, left->start, prev_end (p));
          e->negated = negated;
          g_ptr_array_add (e->args, left);
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
          g_autoptr(SluiceExpr) e = node (SLUICE_EXPR_IN, left->start, t->end);

          e->negated = negated;
          g_ptr_array_add (e->args, left);
          next (p);
          if (!expect (p, T_LPAREN, _("“(” after IN")))
            return NULL;
          do
            {
              SluiceExpr *item = parse_expr (p);
              if (!item)
                return NULL;
              g_ptr_array_add (e->args, item);
            }
          while (peek (p)->kind == T_COMMA && next (p));
          if (!expect (p, T_RPAREN, _("“,” or “)” in the IN list")))
            return NULL;
          e->end = prev_end (p);
          left = g_steal_pointer (&e);
          continue;
        }

      if (is_keyword (t, "BETWEEN"))
        {
          g_autoptr(SluiceExpr) e = node (SLUICE_EXPR_BETWEEN, left->start, t->end);
          SluiceExpr *low, *high;

          e->negated = negated;
          g_ptr_array_add (e->args, left);
          next (p);
          if (!(low = parse_additive (p)))
            return NULL;
          g_ptr_array_add (e->args, low);
          if (!expect_keyword (p, "AND") || !(high = parse_additive (p)))
            return NULL;
          g_ptr_array_add (e->args, high);
          e->end = high->end;
          left = g_steal_pointer (&e);
          continue;
        }

      if (is_keyword (t, "LIKE") || is_keyword (t, "RLIKE") || is_keyword (t, "REGEXP"))
        {
          g_autoptr(SluiceExpr) e = node (SLUICE_EXPR_LIKE, left->start, t->end);
          SluiceExpr *pattern;

          e->negated = negated;
          e->op = is_keyword (t, "LIKE") ? SLUICE_OP_LIKE : SLUICE_OP_RLIKE;
          g_ptr_array_add (e->args, left);
          next (p);
          if (!(pattern = parse_additive (p)))
            return NULL;
          g_ptr_array_add (e->args, pattern);
          e->end = pattern->end;
          left = g_steal_pointer (&e);
          continue;
        }

      if (negated)
        {
          sluice_expr_unref (left);
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
          fail (p, t->start, t->end, _("the expression is nested too deeply"));
          return NULL;
        }
      next (p);
      operand = parse_not (p);
      p->depth--;
      if (!operand)
        return NULL;
      e = node (SLUICE_EXPR_UNARY, t->start, operand->end);
      e->op = SLUICE_OP_NOT;
      g_ptr_array_add (e->args, operand);
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
        {
          sluice_expr_unref (left);
          return NULL;
        }
      left = binary (SLUICE_OP_AND, left, right);
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
      fail (p, t->start, t->end, _("the expression is nested too deeply"));
      return NULL;
    }

  left = parse_and (p);
  while (left && is_keyword (peek (p), "OR"))
    {
      SluiceExpr *right;
      next (p);
      if (!(right = parse_and (p)))
        {
          sluice_expr_unref (left);
          left = NULL;
          break;
        }
      left = binary (SLUICE_OP_OR, left, right);
    }
  p->depth--;
  return left;
}

SluiceExpr *
sluice_expr_parse (const char  *text,
                   guint       *error_start,
                   guint       *error_end,
                   GError     **error)
{
  Parser p = { 0 };
  SluiceExpr *e = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (error_start)
    *error_start = 0;
  if (error_end)
    *error_end = 0;

  /* Room for a typical expression's tokens: growing from nothing took
   * several reallocations each. */
  p.tokens = g_array_sized_new (FALSE, TRUE, sizeof (Token), 32);
  g_array_set_clear_func (p.tokens, token_clear);

  if (!g_utf8_validate (text, -1, NULL))
    fail (&p, 0, 1, _("the expression is not valid UTF-8"));
  else if (lex (&p, text))
    {
      if (peek (&p)->kind == T_EOF)
        fail (&p, 0, 0, _("the expression is empty"));
      else if ((e = parse_expr (&p)) && peek (&p)->kind != T_EOF)
        {
          Token *t = peek (&p);
          const char *what = describe (t);
          g_autofree char *text_of = NULL;

          if (what == NULL)
            what = text_of = g_strdup_printf ("“%s”", t->kind == T_RPAREN ? ")" : t->kind == T_COMMA ? "," : "…");
          fail (&p, t->start, t->end, _("unexpected %s after the end of the expression"), what);
          g_clear_pointer (&e, sluice_expr_unref);
        }
    }

  g_array_unref (p.tokens);

  if (p.error)
    {
      g_clear_pointer (&e, sluice_expr_unref);
      if (error_start)
        *error_start = p.err_start;
      if (error_end)
        *error_end = p.err_end;
      g_propagate_error (error, p.error);
      return NULL;
    }
  return e;
}
