#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Runs @select_sql on @db and writes its rows to @path as @format ("csv" with
 * @options (nullable) as for reading — header, delimiter, quote, escape,
 * null_value — or "jsonl"), atomically (temporary file in the same folder,
 * fsync, rename; see src/core/sluice-atomic-file.h), creating parent folders.
 * Returns the row count through @n_rows (nullable). Dates/timestamps/strings
 * are written as text, numbers as SQLite gives them (integers without ".0";
 * REAL in the shortest form that reads back the same, e.g. 4.5). On failure
 * any previous file at @path is left as it was. */
gboolean sluice_sample_write (sqlite3       *db,
                              const char    *select_sql,
                              const char    *format,
                              JsonObject    *options,
                              const char    *path,
                              guint64       *n_rows,
                              GCancellable  *cancellable,
                              GError       **error);

G_END_DECLS
