#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Shared by the files that register the local engine's SQL functions. */
gboolean _sluice_sqlite_any_null            (int             argc,
                                             sqlite3_value **argv);
/* stddev, variance, first, approx_count_distinct and count of several
 * arguments; an SQLite result code. */
int      _sluice_sqlite_register_aggregates (sqlite3        *db,
                                             int             flags);

G_END_DECLS
