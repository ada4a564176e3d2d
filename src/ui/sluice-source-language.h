#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

/* The Spark SQL language definition Sluice ships in its GResource
 * (language-specs/sluice-sparksql.lang), found through the default language
 * manager, whose search path this extends once. (transfer none) */
GtkSourceLanguage *sluice_source_language_get_sparksql (void);
/* (transfer none) (nullable): language @id ("python3"); every lookup of
 * Sluice's goes through here, so the search path is extended first. */
GtkSourceLanguage *sluice_source_language_get          (const char *id);

/* Sets the scheme that follows libadwaita's light or dark style on @buffer,
 * and keeps it following. */
void               sluice_source_language_style_buffer (GtkSourceBuffer *buffer);

G_END_DECLS
