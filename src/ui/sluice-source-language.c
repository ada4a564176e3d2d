#define G_LOG_DOMAIN "sluice-source-language"

#include "config.h"

#include <adwaita.h>

#include "sluice-source-language.h"

#define LANGUAGE_SPECS "resource:///dev/sluice/Sluice/language-specs/"

GtkSourceLanguage *
sluice_source_language_get (const char *id)
{
  static gsize initialized;
  GtkSourceLanguageManager *lm = gtk_source_language_manager_get_default ();

  /* Before any lookup: the manager reads its search path once, at the
   * first lookup, and a path appended later is never scanned. Appended
   * rather than set, so the system's languages (Python) stay reachable. */
  if (g_once_init_enter (&initialized))
    {
      gtk_source_language_manager_append_search_path (lm, LANGUAGE_SPECS);
      g_once_init_leave (&initialized, 1);
    }
  return gtk_source_language_manager_get_language (lm, id);
}

GtkSourceLanguage *
sluice_source_language_get_sparksql (void)
{
  return sluice_source_language_get ("sluice-sparksql");
}

static void
update_scheme (GtkSourceBuffer *buffer,
               GParamSpec      *pspec,
               AdwStyleManager *style)
{
  GtkSourceStyleSchemeManager *sm = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (style) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (buffer, gtk_source_style_scheme_manager_get_scheme (sm, id));
}

void
sluice_source_language_style_buffer (GtkSourceBuffer *buffer)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_return_if_fail (GTK_SOURCE_IS_BUFFER (buffer));

  update_scheme (buffer, NULL, style);
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (update_scheme), buffer, G_CONNECT_SWAPPED);
}
