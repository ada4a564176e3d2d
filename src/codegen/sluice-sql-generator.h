#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-function.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* A pipeline as one SQL file for Spark SQL or Snowflake: one statement per
 * Target gem, each a chain of CTEs named after the gems it needs, in
 * dependency order. The same pipeline always gives the same bytes.
 *
 * Whatever the dialect cannot express (a function, a file dataset in
 * Snowflake, a Script gem) is a problem naming the gem, appended to
 * @problems (strings); the text is still written for everything else. */
char *sluice_sql_generate (SluicePipeline *pipeline,
                           GListModel     *datasets,
                           SluiceResolver *resolver,
                           SluiceDialect   dialect,
                           GPtrArray      *problems);

/* For the local engine: one SELECT statement computing what flows into the
 * gem @gem_id (its output; a Target's input), over SQLite tables named after
 * the datasets. NULL, with @problems, when SQLite cannot express it. */
char *sluice_sql_generate_query (SluicePipeline *pipeline,
                                 GListModel     *datasets,
                                 SluiceResolver *resolver,
                                 const char     *gem_id,
                                 GPtrArray      *problems);

/* For the local engine, which keeps each gem's rows in a table: the one
 * SELECT statement of gem @gem_id (not a Target) alone, reading its inputs
 * from tables named after the gems that feed it (unqualified, so the
 * engine's TEMP tables) and Sources from "main".<dataset>. NULL, with
 * @problems, when SQLite cannot express it. */
char *sluice_sql_generate_gem_query (SluicePipeline *pipeline,
                                     GListModel     *datasets,
                                     SluiceResolver *resolver,
                                     const char     *gem_id,
                                     GPtrArray      *problems);

/* For the remote SQL engines: the ids of the gems a run computes (all, or
 * what @until_gem (nullable) needs and it), upstream first. */
GStrv sluice_sql_run_order        (SluicePipeline *pipeline,
                                   const char     *until_gem);

/* For the remote SQL engines: one SELECT in @dialect (the file's CTEs up to
 * the gem) computing what flows out of gem @gem_id (into it, for a Target).
 * NULL, with @problems, when the dialect cannot express it. */
char *sluice_sql_generate_select  (SluicePipeline *pipeline,
                                   GListModel     *datasets,
                                   SluiceResolver *resolver,
                                   SluiceDialect   dialect,
                                   const char     *gem_id,
                                   GPtrArray      *problems);

G_END_DECLS
