#pragma once

#include <string.h>

#include "sluice-expr-private.h"

G_BEGIN_DECLS

/* Shared by the expression parser (sluice-expr-parser.c: operators, the
 * tree's memory and the entry point; sluice-expr-parser-primaries.c:
 * literals, columns, calls, windows, CASE and CAST) and its lexer
 * (sluice-expr-lexer.c). */

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
  TokenKind   kind;
  guint       start;   /* characters */
  guint       end;
  const char *text;    /* identifier as written, string value, number text; in Parser.texts, then the tree's memory */
} Token;

typedef struct
{
  Token   *tokens;     /* n_tokens of them: local_tokens, or owned */
  guint    n_tokens;
  guint    n_node_tokens;  /* those that can become a node (no parenthesis, comma or dot) */
  gsize    source_len;     /* of the text, which the root keeps a copy of */
  guint    tokens_size;
  guint    pos;
  GError  *error;
  guint    err_start;
  guint    err_end;
  guint    depth;
  /* The tokens' texts, each with its NUL: no more than twice the source's
   * length (no text is longer than what it was lexed from). Then copied to
   * the tree's first block. */
  char    *texts;      /* local_texts, or owned */
  gsize    texts_len;
  /* The tree's memory (SluiceExprBlock, newest first), and what is left of
   * the newest block. */
  SluiceExprBlock *blocks;
  char    *free_at;
  char    *free_end;
  /* Arguments being collected (calls, IN lists, CASE), innermost last: a
   * node's are copied into the tree when it is complete. */
  SluiceExpr **stack;  /* local_stack, or owned */
  guint    stack_len;
  guint    stack_size;
  Token    local_tokens[48];
  char     local_texts[256];
  SluiceExpr *local_stack[32];
} Parser;

/* Records the first syntax error (later ones are consequences), with the
 * characters [@start, @end) it is about; returns FALSE. */
gboolean _sluice_expr_fail (Parser     *p,
                            guint       start,
                            guint       end,
                            const char *format,
                            ...) G_GNUC_PRINTF (4, 5);
/* Splits @text (valid UTF-8) into p->tokens, the last T_EOF, their texts
 * in p->texts; FALSE (and p->error) at what no token can be. */
gboolean _sluice_expr_lex  (Parser     *p,
                            const char *text);

#define SLUICE_EXPR_MAX_DEPTH 200

/* A new block of @size bytes for the tree, its newest. */
void        _sluice_expr_add_block      (Parser     *p,
                                         gsize       size);
/* How a token reads in a message ("“name”", "a number"), NULL for
 * punctuation. */
const char *_sluice_expr_describe       (Token      *t);
/* Fails with "expected @expected, found …"; returns FALSE. */
gboolean    _sluice_expr_unexpected     (Parser     *p,
                                         const char *expected);
gboolean    _sluice_expr_expect_keyword (Parser     *p,
                                         const char *word);
/* Words that end or join expressions, never column names when bare. */
gboolean    _sluice_expr_is_reserved    (Token      *t);
/* The grammar's top (OR) and bottom (a primary): NULL on error. */
SluiceExpr *_sluice_expr_parse_expr     (Parser     *p);
SluiceExpr *_sluice_expr_parse_primary  (Parser     *p);

/* The helpers below are inline: they run for every token. */

/* ---- the tree's memory ---- */

#define ALIGN8(n) (((n) + 7) & ~(gsize) 7)

static inline gpointer
alloc (Parser *p,
       gsize   size)
{
  gpointer at;

  size = ALIGN8 (size);
  if ((gsize) (p->free_end - p->free_at) < size)
    _sluice_expr_add_block (p, MAX (size, 512));
  at = p->free_at;
  p->free_at += size;
  return at;
}

static inline char *
copy_text (Parser     *p,
           const char *text,
           gsize       len)
{
  char *copy = alloc (p, len + 1);

  memcpy (copy, text, len);
  copy[len] = '\0';
  return copy;
}

static inline const char *
copy_down (Parser     *p,
           const char *text)
{
  gsize len = strlen (text);
  char *copy = alloc (p, len + 1);

  for (gsize i = 0; i <= len; i++)
    copy[i] = g_ascii_tolower (text[i]);
  return copy;
}

static inline void
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
static inline SluiceExpr **
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

static inline Token *
peek (Parser *p)
{
  return &p->tokens[p->pos];
}

static inline Token *
peek_at (Parser *p,
         guint   ahead)
{
  guint i = MIN (p->pos + ahead, p->n_tokens - 1);
  return &p->tokens[i];
}

static inline Token *
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

static inline gboolean
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

static inline gboolean
expect (Parser     *p,
        TokenKind   kind,
        const char *expected)
{
  if (peek (p)->kind != kind)
    return _sluice_expr_unexpected (p, expected);
  next (p);
  return TRUE;
}

static inline SluiceExpr *
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
static inline SluiceExpr *
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

static inline guint
prev_end (Parser *p)
{
  return p->pos > 0 ? p->tokens[p->pos - 1].end : 0;
}

/* Words that end or join expressions, never column names when bare. */

G_END_DECLS
