#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-pyspark-generator.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* Every code target of a pipeline at once, in parallel: threads that each
 * take a run of the gems (the last on the caller's) write every target's
 * pieces for it, reading each gem once; then the files are put together
 * from the pieces. Writing the three one after the other is most of what
 * saving a large pipeline costs. */

typedef enum
{
  SLUICE_CODE_TARGET_PYSPARK   = 1 << 0,
  SLUICE_CODE_TARGET_SPARK_SQL = 1 << 1,
  SLUICE_CODE_TARGET_SNOWFLAKE = 1 << 2,
  SLUICE_CODE_TARGET_ALL       = 0x7,
} SluiceCodeTargetFlags;

typedef struct
{
  SluicePySparkPackage *pyspark;         /* owned, nullable: not asked for */
  char                 *spark_sql;       /* owned, nullable: not asked for */
  char                 *snowflake_sql;   /* owned, nullable: not asked for */
} SluiceCodeTargets;

/* Fills @out with the @targets of @pipeline from @resolver, which follows
 * it; @problems (strings) gets what each generator reports, PySpark's
 * first, then Spark SQL's, then Snowflake's, as if written in that order.
 * The pipeline must not change until this returns. */
void sluice_code_targets_generate (SluiceCodeTargets     *out,
                                   SluicePipeline        *pipeline,
                                   GListModel            *datasets,
                                   SluiceResolver        *resolver,
                                   SluiceCodeTargetFlags  targets,
                                   GPtrArray             *problems);
void sluice_code_targets_clear    (SluiceCodeTargets     *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SluiceCodeTargets, sluice_code_targets_clear)

G_END_DECLS
