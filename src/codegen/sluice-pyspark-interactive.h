#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* A pipeline (whole, or up to one gem) as Python that a Spark service runs
 * statement by statement in one interpreter (a Databricks execution
 * context, a Livy session): a prelude that defines every gem's function (the
 * same code as the generated package) and two reporting helpers, then one
 * statement per gem, upstream first. Each gem statement prints one line
 *
 *   @@sluice-gem {"gem": ID, "rows": N, "schema": [[NAME, TYPE]…],
 *                 "sample": [[VALUE…]…], "output": LOCATION?}
 *
 * or, when the gem raised, {"gem": ID, "error": TEXT, "traceback": TEXT}.
 * Values are JSON-safe (dates, timestamps and decimals as strings); TYPE
 * is Spark's simple type string ("bigint", "decimal(10,2)"). A Target
 * writes its dataset, as the package's run() would, and reports the rows it
 * wrote. Only pyspark and the standard library's json and traceback are
 * imported. */

#define SLUICE_PYSPARK_MARKER "@@sluice-gem "

typedef struct _SluicePySparkInteractive SluicePySparkInteractive;

/* @until_gem: (nullable) only what it needs, and it; it must be a gem of
 * @pipeline. What cannot be written is a problem naming the gem, appended
 * to @problems. (transfer full) */
SluicePySparkInteractive *sluice_pyspark_interactive_new  (SluicePipeline *pipeline,
                                                           GListModel     *datasets,
                                                           SluiceResolver *resolver,
                                                           const char     *until_gem,
                                                           guint           sample_limit,
                                                           GPtrArray      *problems);
void        sluice_pyspark_interactive_free          (SluicePySparkInteractive *self);

/* (transfer none) */
const char *sluice_pyspark_interactive_get_prelude   (SluicePySparkInteractive *self);
guint       sluice_pyspark_interactive_get_n_steps   (SluicePySparkInteractive *self);
/* (transfer none): the gem step @i runs, and its statement */
const char *sluice_pyspark_interactive_get_step_gem  (SluicePySparkInteractive *self,
                                                      guint                     i);
const char *sluice_pyspark_interactive_get_step_code (SluicePySparkInteractive *self,
                                                      guint                     i);
/* (transfer full): the prelude and every step as one program */
char       *sluice_pyspark_interactive_get_program   (SluicePySparkInteractive *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluicePySparkInteractive, sluice_pyspark_interactive_free)

G_END_DECLS
