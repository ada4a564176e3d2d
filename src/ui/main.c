#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sluice-application.h"
#include "sluice-http-client.h"
#include "sluice-redact.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SluiceApplication) app = NULL;

  /* First: no log line, not even a debug one, may carry a token. */
  sluice_redact_install_log_writer ();
  sluice_http_set_redactor (sluice_redact);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Asked to draw with the cairo renderer (as on a machine with no GPU,
   * where GTK 4.8 would otherwise pick GL on llvmpipe), nothing needs GL:
   * then GDK need not open GLX while it sets up the display, about a
   * fortieth of the instructions before the first frame. */
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0 && g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", FALSE);

  app = sluice_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
