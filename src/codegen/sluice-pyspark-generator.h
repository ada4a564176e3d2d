#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* A generated package's files: relative paths (under code/pyspark/NAME/)
 * and their contents, all in one buffer: a 10,000-gem pipeline's package
 * is a few allocations, not 20,000 strings and a hash table. */
typedef struct _SluicePySparkPackage SluicePySparkPackage;

/* A pipeline as a PySpark package: one module per gem, each a function
 * taking and returning DataFrames, a pipeline.py with main(), and packaging
 * metadata so it builds as a wheel. It imports only pyspark. What cannot be
 * written is a problem naming the gem, appended to @problems.
 * (transfer full) */
SluicePySparkPackage *sluice_pyspark_generate (SluicePipeline *pipeline,
                                               GListModel     *datasets,
                                               SluiceResolver *resolver,
                                               GPtrArray      *problems);
void        sluice_pyspark_package_free        (SluicePySparkPackage *self);
guint       sluice_pyspark_package_get_n_files (SluicePySparkPackage *self);
/* File @i of the package in path order: its path and (with its length in
 * @len, nullable) its contents. (transfer none) */
const char *sluice_pyspark_package_get_path     (SluicePySparkPackage *self,
                                                 guint                 i);
const char *sluice_pyspark_package_get_contents (SluicePySparkPackage *self,
                                                 guint                 i,
                                                 gsize                *len);
/* (transfer none) (nullable): the contents of the file at @path */
const char *sluice_pyspark_package_lookup       (SluicePySparkPackage *self,
                                                 const char           *path);

/* (transfer container): the paths of @files (path → contents, as
 * SluiceCodeCache hands out a package), sorted */
GPtrArray  *sluice_pyspark_paths    (GHashTable     *files);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluicePySparkPackage, sluice_pyspark_package_free)

G_END_DECLS
