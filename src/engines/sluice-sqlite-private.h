#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "sluice-sql-type.h"

G_BEGIN_DECLS

/* Shared by the files that register the local engine's SQL functions. */
gboolean _sluice_sqlite_any_null            (int             argc,
                                             sqlite3_value **argv);
/* stddev, variance, first, approx_count_distinct and count of several
 * arguments; an SQLite result code. */
int      _sluice_sqlite_register_aggregates (sqlite3        *db,
                                             int             flags);

/* Column @col of the current row as Spark shows it, by @type where known
 * (SLUICE_SQL_UNKNOWN: by the storage class): NULL for SQL NULL, booleans
 * as true/false, decimals with their scale, doubles with a fraction part.
 * Shared by the local engine's results and dataset previews. (transfer full) */
char    *_sluice_sqlite_format_value        (sqlite3_stmt   *stmt,
                                             int             col,
                                             SluiceSqlType   type);

G_END_DECLS
