#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* A pipeline as a PySpark package: one module per gem, each a function
 * taking and returning DataFrames, a pipeline.py with main(), and packaging
 * metadata so it builds as a wheel. It imports only pyspark.
 *
 * Returns relative path (under code/pyspark/NAME/) → contents (char*),
 * sorted by path when iterated with sluice_pyspark_paths(). What cannot be
 * written is a problem naming the gem, appended to @problems. */
GHashTable *sluice_pyspark_generate (SluicePipeline *pipeline,
                                     GListModel     *datasets,
                                     SluiceResolver *resolver,
                                     GPtrArray      *problems);
/* (transfer container): the paths of @files, sorted */
GPtrArray  *sluice_pyspark_paths    (GHashTable     *files);

G_END_DECLS
