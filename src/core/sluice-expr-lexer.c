/* The lexer of Spark SQL expressions: tokens with their character ranges,
 * and their texts (names, numbers, strings with escapes resolved) written
 * into the parser's buffer, without an allocation per token. */
#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-expr-parser-private.h"

gboolean
_sluice_expr_fail (Parser     *p,
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

/* g_unichar_isspace() of an ASCII character (not \v, unlike g_ascii_isspace()) */
static inline gboolean
is_ascii_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void
add_token (Parser *p,
           Token  *t)
{
  if (t->kind != T_LPAREN && t->kind != T_RPAREN && t->kind != T_COMMA && t->kind != T_DOT && t->kind != T_EOF)
    p->n_node_tokens++;
  if (p->n_tokens == p->tokens_size)
    {
      p->tokens_size *= 2;
      if (p->tokens == p->local_tokens)
        p->tokens = g_memdup2 (p->local_tokens, sizeof p->local_tokens[0] * p->n_tokens);
      p->tokens = g_renew (Token, p->tokens, p->tokens_size);
    }
  p->tokens[p->n_tokens++] = *t;
}

/* Ends the text being written at @w in p->texts: it becomes t's. */
static void
end_text (Parser *p,
          Token  *t,
          char   *w)
{
  *w = '\0';
  t->text = p->texts + p->texts_len;
  p->texts_len = w + 1 - p->texts;
}

gboolean
_sluice_expr_lex (Parser     *p,
                  const char *text)
{
  const char *s = text;
  guint ch = 0;   /* character offset of s */

#define ADV(n) G_STMT_START { for (guint _i = 0; _i < (n); _i++) { s = g_utf8_next_char (s); ch++; } } G_STMT_END
/* Copies the character at s to w and moves past it. */
#define COPY_CHAR() G_STMT_START { const char *_n = g_utf8_next_char (s); while (s < _n) *w++ = *s++; ch++; } G_STMT_END

  for (;;)
    {
      Token t = { 0 };
      char *w = p->texts + p->texts_len;   /* where the token's text goes */
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
          add_token (p, &t);
          return TRUE;
        }

      c = (guchar) *s < 0x80 ? (gunichar) *s : g_utf8_get_char (s);
      if ((guchar) *s < 0x80 ? g_ascii_isalpha (*s) || *s == '_' : g_unichar_isalpha (c))
        {
          while (*s && ((guchar) *s < 0x80 ? g_ascii_isalnum (*s) || *s == '_' : g_unichar_isalnum (g_utf8_get_char (s))))
            COPY_CHAR ();
          t.kind = T_IDENT;
          end_text (p, &t, w);
        }
      else if (c == '`')
        {
          char *begin = w;

          ADV (1);
          for (;;)
            {
              if (*s == '\0')
                return _sluice_expr_fail (p, t.start, ch, _("unterminated `quoted name`"));
              if (*s == '`')
                {
                  if (s[1] == '`')
                    {
                      *w++ = '`';
                      ADV (2);
                      continue;
                    }
                  ADV (1);
                  break;
                }
              COPY_CHAR ();
            }
          if (w == begin)
            return _sluice_expr_fail (p, t.start, ch, _("empty `quoted name`"));
          t.kind = T_QUOTED;
          end_text (p, &t, w);
        }
      else if (c == '\'' || c == '"')
        {
          char *begin = w;
          char quote = *s;
          ADV (1);
          for (;;)
            {
              if (*s == '\0')
                return _sluice_expr_fail (p, t.start, ch, _("unterminated string"));
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
                    case 'n': *w++ = '\n'; break;
                    case 't': *w++ = '\t'; break;
                    case 'r': *w++ = '\r'; break;
                    case 'b': *w++ = '\b'; break;
                    case '0': *w++ = '\0'; break;
                    case 'Z': *w++ = '\032'; break;
                    /* Spark keeps the backslash of \% and \_ for LIKE patterns. */
                    case '%': *w++ = '\\'; *w++ = '%'; break;
                    case '_': *w++ = '\\'; *w++ = '_'; break;
                    case 'u':
                      {
                        int v = 0;
                        for (int i = 1; i <= 4; i++)
                          {
                            int d = g_ascii_xdigit_value (s[i]);
                            if (d < 0)
                              return _sluice_expr_fail (p, esc_start, ch + 1, _("“\\u” needs four hexadecimal digits"));
                            v = v * 16 + d;
                          }
                        if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
                          return _sluice_expr_fail (p, esc_start, ch + 5, _("“\\u%04X” is not a character"), v);
                        /* At most 3 bytes, from the 6 of \uXXXX. */
                        w += g_unichar_to_utf8 (v, w);
                        ADV (4);
                      }
                      break;
                    default:
                      COPY_CHAR ();
                      continue;
                    }
                  ADV (1);
                  continue;
                }
              COPY_CHAR ();
            }
          if (memchr (begin, '\0', w - begin))
            return _sluice_expr_fail (p, t.start, ch, _("a string must not contain “\\0”"));
          t.kind = T_STRING;
          end_text (p, &t, w);
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
          memcpy (w, begin, s - begin);
          end_text (p, &t, w + (s - begin));
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
            return _sluice_expr_fail (p, t.start, ch + 1, _("unexpected letter after a number"));
        }
      else
        {
          /* Longest match first: <=> before <= before <. */
          guint len = 1;
          gboolean found = TRUE;

          switch (*s)
            {
            case '<':
              if (s[1] == '=' && s[2] == '>')
                t.kind = T_NSEQ, len = 3;
              else if (s[1] == '>')
                t.kind = T_NE, len = 2;
              else if (s[1] == '=')
                t.kind = T_LE, len = 2;
              else
                t.kind = T_LT;
              break;
            case '>':
              if (s[1] == '=')
                t.kind = T_GE, len = 2;
              else
                t.kind = T_GT;
              break;
            case '!':
              found = s[1] == '=';
              t.kind = T_NE, len = 2;
              break;
            case '=':
              if (s[1] == '=')
                len = 2;
              t.kind = T_EQ;
              break;
            case '|':
              found = s[1] == '|';
              t.kind = T_CONCAT, len = 2;
              break;
            case '(': t.kind = T_LPAREN; break;
            case ')': t.kind = T_RPAREN; break;
            case ',': t.kind = T_COMMA; break;
            case '.': t.kind = T_DOT; break;
            case '*': t.kind = T_STAR; break;
            case '+': t.kind = T_PLUS; break;
            case '-': t.kind = T_MINUS; break;
            case '/': t.kind = T_SLASH; break;
            case '%': t.kind = T_PERCENT; break;
            default: found = FALSE; break;
            }
          if (found)
            ADV (len);
          if (!found)
            {
              g_autofree char *what = g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
              return _sluice_expr_fail (p, ch, ch + 1, _("unexpected character “%s”"), what ? what : "?");
            }
        }

      t.end = ch;
      add_token (p, &t);
    }
#undef COPY_CHAR
#undef ADV
}
