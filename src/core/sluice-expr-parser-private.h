#pragma once

#include "sluice-expr-private.h"

G_BEGIN_DECLS

/* Shared by the expression parser (sluice-expr-parser.c) and its lexer
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

G_END_DECLS
