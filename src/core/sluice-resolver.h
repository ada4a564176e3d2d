#pragma once

#include <gio/gio.h>

#include "sluice-core-types.h"
#include "sluice-expr-check.h"

G_BEGIN_DECLS

/* Schema propagation: every gem's output columns and types, derived from the
 * datasets through each gem's configuration, with a diagnostic for whatever
 * does not fit — before anything runs. Results are cached per gem; an edit
 * re-resolves only the edited gem and what is downstream of it. */

typedef struct
{
  char          *name;
  SluiceSqlType  type;
} SluiceColumn;

#define SLUICE_TYPE_RESOLVER (sluice_resolver_get_type ())
G_DECLARE_FINAL_TYPE (SluiceResolver, sluice_resolver, SLUICE, RESOLVER, GObject)

/* @datasets: GListModel of SluiceDataset. Follows the pipeline's edits. */
SluiceResolver *sluice_resolver_new             (SluicePipeline *pipeline,
                                                 GListModel     *datasets);
/* (transfer none) (nullable): the gem's output columns (an array of
 * SluiceColumn), NULL when the gem has no output or it cannot be known. */
GArray         *sluice_resolver_get_schema      (SluiceResolver *self,
                                                 const char     *gem_id);
/* (transfer none): SluiceDiagnostic for the gem, with file positions */
GPtrArray      *sluice_resolver_get_diagnostics (SluiceResolver *self,
                                                 const char     *gem_id);
/* (transfer container): every gem's diagnostics, sorted */
GPtrArray      *sluice_resolver_get_all_diagnostics (SluiceResolver *self);
/* The version of the gem's output schema: it changes exactly when the
 * schema does, and a value is never reused by this resolver (0: unknown
 * gem). For caches of what is derived from schemas (generated code). */
guint           sluice_resolver_get_version     (SluiceResolver *self,
                                                 const char     *gem_id);
/* (transfer none) (nullable): the parsed tree of @text, one of the gem's
 * expressions, as the resolver checked it (parsed once, shared by every
 * code generator); NULL when it does not parse. Fastest when @text is the
 * string in the gem's configuration itself. Valid until the gem is
 * edited. */
SluiceExpr     *sluice_resolver_get_expr        (SluiceResolver *self,
                                                 const char     *gem_id,
                                                 const char     *text);
/* One element of a list of named expressions in a gem's configuration
 * (Reformat "columns", Aggregate "group_by" and "aggregates", …). */
typedef struct
{
  const char *name;    /* nullable: its "name" */
  const char *text;    /* nullable: its "expression" */
  SluiceExpr *expr;    /* nullable: the parsed text, as the resolver checked it */
} SluiceNamedExpr;

/* (transfer none) (nullable): the list @key of the gem's configuration,
 * read once for every code generator: an element per element of the list
 * (one that is not a record has NULL fields), and @n_items of them; NULL
 * when the setting is not a list. Valid until the gem is edited. */
const SluiceNamedExpr *sluice_resolver_get_named_exprs (SluiceResolver *self,
                                                        const char     *gem_id,
                                                        const char     *key,
                                                        guint          *n_items);
/* Between these two, several threads may ask the resolver at once (the
 * code generators write the targets in parallel); the pipeline must not
 * change meanwhile. The pair nests. A question about a gem not resolved
 * yet waits for whichever thread resolves; one thread can resolve the
 * gems ahead, with sluice_resolver_resolve_shared(), while the others ask
 * about those it has done. */
void            sluice_resolver_begin_shared    (SluiceResolver *self);
void            sluice_resolver_resolve_shared  (SluiceResolver *self,
                                                 const char     *gem_id);
void            sluice_resolver_end_shared      (SluiceResolver *self);
/* How many gems were (re)resolved since the last call; for tests. */
guint           sluice_resolver_take_resolve_count (SluiceResolver *self);

G_END_DECLS
