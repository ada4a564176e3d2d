#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* A connection for the local engine: double-quoted string literals disabled
 * (SQLITE_DBCONFIG_DQS_DML and _DDL off), every function of Sluice's catalog
 * that SQLite lacks registered, foreign keys irrelevant. @path may be
 * ":memory:" (then, as for "", syncs are off and the journal is kept in
 * memory: nothing to recover, but rollbacks still work). The connection is
 * opened without its own mutex: use it from one thread at a time.
 * (transfer full) */
sqlite3 *sluice_sqlite_open (const char  *path,
                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
