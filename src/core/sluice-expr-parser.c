/* A recursive-descent parser for Spark SQL expressions, with Spark's
 * precedence: OR < AND < NOT < predicates < + - || < * / % DIV < unary.
 * The tokens come from sluice-expr-lexer.c; primaries (literals, columns,
 * calls and their windows, CASE, CAST) are parsed in
 * sluice-expr-parser-primaries.c. */
#define G_LOG_DOMAIN "sluice-expr"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-expr-parser-private.h"

/* ---- helpers used by both files of the parser ---- */

void
_sluice_expr_add_block (Parser *p,
                        gsize   size)
{
  SluiceExprBlock *b = g_malloc (sizeof (SluiceExprBlock) + size);

  b->next = p->blocks;
  p->blocks = b;
  p->free_at = (char *) (b + 1);
  p->free_end = p->free_at + size;
}

const char *
_sluice_expr_describe (Token *t)
{
  static __thread char buf[64];   /* parsing may run on several threads */

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

gboolean
_sluice_expr_unexpected (Parser     *p,
                         const char *expected)
{
  Token *t = peek (p);
  const char *what = _sluice_expr_describe (t);

  if (what)
    return _sluice_expr_fail (p, t->start, t->end, _("expected %s, found %s"), expected, what);
  return _sluice_expr_fail (p, t->start, t->end, _("expected %s"), expected);
}

gboolean
_sluice_expr_expect_keyword (Parser     *p,
                             const char *word)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", word);
  if (!accept_keyword (p, word))
    return _sluice_expr_unexpected (p, quoted);
  return TRUE;
}

gboolean
_sluice_expr_is_reserved (Token *t)
{
  static const struct { const char *word; gsize len; } words[] = {
    { "AND", 3 }, { "OR", 2 }, { "NOT", 3 }, { "IN", 2 }, { "IS", 2 }, { "BETWEEN", 7 }, { "LIKE", 4 },
    { "RLIKE", 5 }, { "REGEXP", 6 }, { "CASE", 4 }, { "WHEN", 4 }, { "THEN", 4 }, { "ELSE", 4 }, { "END", 3 },
    { "AS", 2 }, { "DIV", 3 }, { "OVER", 4 }, { "DISTINCT", 8 },
  };
  gsize n;

  /* Nearly every name is a column's: the length rules most words out. */
  if (t->kind != T_IDENT || (n = strlen (t->text)) > 8)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (words[i].len == n && is_keyword (t, words[i].word))
      return TRUE;
  return FALSE;
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

      if (++p->depth > SLUICE_EXPR_MAX_DEPTH)
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
  return _sluice_expr_parse_primary (p);
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
          if (!_sluice_expr_expect_keyword (p, "NULL"))
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
              SluiceExpr *item = _sluice_expr_parse_expr (p);
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
          if (!_sluice_expr_expect_keyword (p, "AND") || !(high = parse_additive (p)))
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
          _sluice_expr_unexpected (p, _("IN, BETWEEN, LIKE or RLIKE after NOT"));
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

      if (++p->depth > SLUICE_EXPR_MAX_DEPTH)
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

SluiceExpr *
_sluice_expr_parse_expr (Parser *p)
{
  SluiceExpr *left;

  if (++p->depth > SLUICE_EXPR_MAX_DEPTH)
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

  _sluice_expr_add_block (p, texts + p->n_node_tokens * (sizeof (SluiceExpr) + sizeof (SluiceExpr *)) + ALIGN8 (p->source_len + 1));
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
      else if ((e = _sluice_expr_parse_expr (&p)) && peek (&p)->kind != T_EOF)
        {
          Token *t = peek (&p);
          const char *what = _sluice_expr_describe (t);
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
