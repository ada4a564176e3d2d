#pragma once

#include "sluice-engine.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_LOCAL_ENGINE (sluice_local_engine_get_type ())
G_DECLARE_FINAL_TYPE (SluiceLocalEngine, sluice_local_engine, SLUICE, LOCAL_ENGINE, GObject)

/* The Local fabric: pipelines run on embedded SQLite, on a worker thread,
 * over the datasets' sample files. Each gem's rows are kept in a temporary
 * table, so every gem reports its row count and first rows. Samples are
 * loaded into a cache database per project (under @cache_dir, or the user's
 * cache folder when NULL) and reused until the file changes. Targets write
 * CSV or JSON lines under the project's .sluice/output/ (which git ignores). */
SluiceLocalEngine *sluice_local_engine_new (const char *cache_dir);

G_END_DECLS
