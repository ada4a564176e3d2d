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

  app = sluice_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
