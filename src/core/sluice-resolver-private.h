#pragma once

#include "sluice-pipeline-private.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* Shared by the files of SluiceResolver: sluice-resolver.c (propagation and
 * caching), sluice-resolver-gems.c (each gem's schema) and
 * sluice-resolver-checks.c (checks that only report). */

typedef enum {
  STATE_DIRTY,      /* its own configuration or wiring changed: recompute */
  STATE_MAYBE,      /* something upstream changed: recompute only if an input's schema did */
  STATE_VALID,
} SluiceResolverState;

typedef struct _SluiceResolverResult
{
  /* The pipeline's gem of this id (borrowed: the result goes when the gem
   * does, and all of them when an id changes). */
  SluiceGem *gem;
  GArray    *schema;          /* SluiceColumn, nullable */
  GPtrArray *diagnostics;     /* SluiceDiagnostic; NULL until the gem has one */
  guint      version;         /* new (unique in the resolver) when the schema changes */
  /* Per input port, as last computed: the version read (0: none) and
   * the result it was read from (borrowed, NULL for an unfed port), so that
   * checking a gem below an edit needs no lookups. Both in one block, made
   * once per gem (NULL until the first computation). @ups is trusted only
   * when the wiring is one edge per port (@ups_valid) and no gem has come
   * or gone since (@ups_epoch): a result freed, or one that an edge to a
   * missing gem could now find. */
  guint      n_inputs;
  guint     *input_versions;  /* in @ups' block, nullable */
  struct _SluiceResolverResult **ups;   /* owned: the block, nullable */
  gboolean   ups_valid;
  guint      ups_epoch;
  SluiceResolverState      state;
  gboolean   busy;            /* being resolved: a cycle if met again */
  /* The parsed trees of the gem's expressions for code generation (which
   * would otherwise parse each once per target), by the address of their
   * text in the configuration, which code generation passes again: cheaper
   * than hashing the text, and checked against a copy of it. Dropped
   * whenever the gem is recomputed. */
  gpointer   exprs;           /* ParsedExpr[exprs_size] (see sluice-resolver.c): at first the room
                               * after the result, in its block; owned once it outgrows that. A plain
                               * array: a GArray per gem costs more to make than its few items */
  guint      n_exprs;
  guint      exprs_size;
  /* The gem's lists of named expressions, as read for checking or first
   * asked for; dropped with @exprs. */
  gpointer   named;           /* owned, nullable: a chain of NamedList (see sluice-resolver.c) */
} SluiceResolverResult;

struct _SluiceResolver
{
  GObject         parent_instance;
  SluicePipeline *pipeline;   /* owned */
  GListModel     *datasets;   /* owned */
  GHashTable     *results;    /* gem id (the gem's own string) → SluiceResolverResult* (owned) */
  /* The result resolve() returned last, for runs of questions about one
   * gem; cleared whenever a result is removed. */
  const char     *last_id;    /* borrowed: its key in @results */
  SluiceResolverResult *last; /* borrowed, nullable */
  GPtrArray      *no_diagnostics;  /* owned, always empty: what a gem without problems returns */
  GPtrArray      *problems;   /* owned, SluiceExprProblem: one expression's, emptied after each */
  guint           resolved;
  guint           last_version;  /* versions are never reused, even across removed gems */
  /* Every tree parsed, by its text (the tree's own copy): trees do not
   * change once parsed, so gems with the same expression (a column passed
   * through, a repeated condition) share one, parsed once and written once
   * per dialect (see sluice_expr_get_memo()). Trees no gem holds any more
   * are dropped when the table has doubled since the last sweep. */
  GHashTable     *trees;      /* const char* (the tree's) → SluiceExpr* (owned) */
  GArray         *stack;      /* owned: resolve()'s work, empty between calls (see sluice-resolver.c) */
  guint           epoch;      /* bumped whenever a gem comes or goes (see SluiceResolverResult.ups) */
  guint           trees_sweep_at;
  /* Shared (sluice_resolver_begin_shared()): questions about valid results
   * are answered under @lock's read side without touching @last; any other
   * question takes its write side. Whatever resolves takes @work: such a
   * question, and sluice_resolver_resolve_shared(), which resolves beside
   * the readers (it changes only results not yet valid, and makes them
   * valid last, atomically). A GRecMutex, not a GMutex: a futex, which
   * ThreadSanitizer cannot see (it is never taken twice). */
  guint           shared;
  GRWLock         lock;
  GRecMutex       work;
  gboolean        beside;     /* in sluice_resolver_resolve_shared() */
};


typedef struct
{
  SluiceResolver *self;
  SluiceGem      *gem;
  SluiceResolverResult         *result;
} SluiceResolverCtx;

/* (transfer full) (nullable): @text parsed, shared with every other
 * expression of the same text; like sluice_expr_parse() otherwise. */
SluiceExpr *_sluice_resolver_parse         (SluiceResolver           *self,
                                            const char *text,
                                            guint      *error_start,
                                            guint      *error_end,
                                            GError    **error);
/* Keeps @expr (nullable, transfer full) as the tree of @text for the gem;
 * returns it. */
SluiceExpr *_sluice_resolver_keep_expr     (SluiceResolver           *self,
                                            SluiceResolverResult     *r,
                                            const char *text,
                                            SluiceExpr *expr);
/* (transfer none) (nullable): the list @key of @gem's configuration, read
 * into @r (its expressions not yet parsed: expr NULL) or as read before,
 * with its length in @n_items; NULL when the setting is not a list. */
SluiceNamedExpr *_sluice_resolver_named_list (SluiceResolverResult     *r,
                                              SluiceGem  *gem,
                                              const char *key,
                                              guint      *n_items);
void        _sluice_resolver_named_list_checked (SluiceResolverResult *r,
                                                 const char           *key);
/* The output schema of @ctx's gem from its inputs' (@n_in of them, all
 * known), with its problems reported; (transfer full) (nullable) */
GArray     *_sluice_resolver_resolve_gem   (SluiceResolverCtx        *ctx,
                                            GArray    **in,
                                            char      **in_names,
                                            guint       n_in);
/* Where character @offset of the string at @path sits in the file: the
 * value's column, past its opening quote and the escaped text before it. */
void        _sluice_resolver_report        (SluiceResolverCtx        *ctx,
                                            const char *path,
                                            const char *text,
                                            gint        offset,
                                            const char *field,
                                            const char *format,
                                            ...) G_GNUC_PRINTF (6, 7);
/* (nullable): a string setting, of @record or else of the gem */
const char *_sluice_resolver_config_string (SluiceGem  *gem,
                                            JsonObject *record,
                                            const char *key);
/* The column named @name but for case, or -1. */
gint        _sluice_resolver_find_column   (GArray     *schema,
                                            const char *name);
void        _sluice_resolver_check_window_frame (SluiceResolverCtx   *ctx);
void        _sluice_resolver_check_target  (SluiceResolverCtx        *ctx,
                                            GArray     *input);

G_END_DECLS
