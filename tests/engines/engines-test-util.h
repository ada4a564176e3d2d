#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything under it (a test's temporary folder). */
void engines_test_rm_rf (const char *path);

G_END_DECLS
