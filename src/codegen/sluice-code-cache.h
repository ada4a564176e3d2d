#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-function.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* Generated code kept across edits: each gem's fragment (its CTE in each
 * SQL dialect, its PySpark module) is cached and written again only when
 * the gem, its wiring or one of its inputs' schemas changed, so that the
 * code of a large pipeline follows an edit in about the time of the edit.
 * The output is byte for byte what sluice_sql_generate() and
 * sluice_pyspark_generate() write, problems included.
 *
 * It follows the pipeline's edits itself (as @resolver does, which must be
 * the resolver of @pipeline and @datasets). */

#define SLUICE_TYPE_CODE_CACHE (sluice_code_cache_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCodeCache, sluice_code_cache, SLUICE, CODE_CACHE, GObject)

SluiceCodeCache *sluice_code_cache_new              (SluicePipeline  *pipeline,
                                                     GListModel      *datasets,
                                                     SluiceResolver  *resolver);
/* (transfer none): as sluice_sql_generate() (Spark or Snowflake); owned by
 * the cache and valid until its next call for @dialect. */
const char      *sluice_code_cache_generate_sql     (SluiceCodeCache *self,
                                                     SluiceDialect    dialect,
                                                     GPtrArray       *problems);
/* (transfer none): the files of sluice_pyspark_generate(), as a table of
 * path → contents (char*); owned by the cache and valid until its next
 * call or the next edit. */
GHashTable      *sluice_code_cache_generate_pyspark (SluiceCodeCache *self,
                                                     GPtrArray       *problems);
/* How many fragments were written (not reused) since the last call; for
 * tests. */
guint            sluice_code_cache_take_written_count (SluiceCodeCache *self);

G_END_DECLS
