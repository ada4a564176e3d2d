#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replaces @path with @bytes so that, whatever happens (a crash, SIGKILL,
 * power loss), the file holds either the old or the new contents: write a
 * temporary file beside it, fsync it, rename it over, fsync the folder.
 * On failure the old file is untouched and the error names @path. */
gboolean sluice_atomic_write (const char    *path,
                              GBytes        *bytes,
                              GCancellable  *cancellable,
                              GError       **error);

G_END_DECLS
