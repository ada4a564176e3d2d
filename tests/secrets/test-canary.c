/* The canary: a unique token goes in through the fabric editor, as a user
 * would type it, then the fabric is tested (its engine is not available),
 * selected, run on (and fails), edited, deleted and restored. Along the way
 * the token is also pushed at every log path on purpose. canary.sh then
 * searches HOME, the XDG folders, the project (with its git objects) and
 * this program's log (G_MESSAGES_DEBUG=all) for it. */

/* A domain, as all of Sluice's code has: g_test_init() installs a handler
 * for the NULL domain that echoes each message raw ("# MESSAGE: …") before
 * any writer sees it; the app's messages never pass through it. */
#define G_LOG_DOMAIN "sluice-canary"

#include "config.h"

#include <glib/gstdio.h>

#include "sluice-fabric-button.h"
#include "sluice-fabrics-window.h"
#include "sluice-redact.h"
#include "ui-test-util.h"

static SluiceApplication *app;
static char *token;

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
fabric_settled (gpointer data)
{
  SluiceFabricState s = sluice_fabric_get_state (data);
  return s != SLUICE_FABRIC_STATE_TESTING && s != SLUICE_FABRIC_STATE_UNKNOWN;
}

static gboolean
no_dialog (gpointer data)
{
  return sluice_fabrics_window_get_dialog (data) == NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  return !sluice_fabric_dialog_is_busy (data);
}

static gboolean
window_idle (gpointer data)
{
  return !sluice_fabrics_window_is_busy (data);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
got_text (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
test_canary (void)
{
  g_autofree char *project = g_build_filename (g_get_home_dir (), "project", NULL);
  g_autofree char *copy = ui_test_copy_example (g_get_home_dir (), "project");
  SluiceWindow *window = ui_test_open_project (app, project);
  SluiceFabricSession *session = sluice_application_get_fabric_session (app);
  SluiceFabricStore *store = sluice_fabric_session_get_fabrics (session);
  SluiceProjectPage *page = ui_test_project_page (window);
  SluiceFabricsWindow *manager = NULL;
  SluiceFabricDialog *dialog;
  SluiceFabric *canary;
  GtkWidget *entry;
  GdkClipboard *clipboard;
  g_autofree char *pasted = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) response = NULL;
  g_autofree char *looked_up = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "fabrics", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (SLUICE_IS_FABRICS_WINDOW (l->data))
      manager = l->data;
  g_assert_nonnull (manager);

  /* In through the editor, as typed. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.add", "s", "databricks");
  dialog = sluice_fabrics_window_get_dialog (manager);
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "name")), "Canary");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "url")), "https://adb-canary.azuredatabricks.net");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "cluster_id")), "0101-canary");
  entry = sluice_fabric_dialog_get_row (dialog, "token");
  gtk_editable_set_text (GTK_EDITABLE (entry), token);
  ui_test_spin_ms (200);

  /* Copying out of the secret field copies nothing. */
  clipboard = gtk_widget_get_clipboard (entry);
  gdk_clipboard_set_text (clipboard, "before");
  gtk_widget_grab_focus (entry);
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, -1);
  gtk_widget_activate_action (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry))), "clipboard.copy", NULL);
  gtk_widget_activate_action (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry))), "clipboard.cut", NULL);
  ui_test_spin_ms (100);
  gdk_clipboard_read_text_async (clipboard, NULL, got_text, &pasted);
  ui_test_spin_until (is_set, &pasted, 10);
  g_assert_cmpstr (pasted, ==, "before");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, token);

  gtk_widget_activate_action (GTK_WIDGET (dialog), "fabric.save", NULL);
  ui_test_spin_until (no_dialog, manager, 10);
  canary = sluice_fabric_store_lookup_by_name (store, "Canary");
  g_assert_nonnull (canary);

  /* Positive control: it really is in the keyring. */
  sluice_credential_store_lookup_async (sluice_fabric_session_get_credentials (session), "databricks",
                                        sluice_fabric_get_id (canary), "token", NULL, got_result, &r);
  ui_test_spin_until (is_set, &r, 10);
  looked_up = sluice_credential_store_lookup_finish (sluice_fabric_session_get_credentials (session), r, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (looked_up, ==, token);
  g_clear_object (&r);

  /* A failing connection test, then the fabric selected and run on. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.test", "s", sluice_fabric_get_id (canary));
  ui_test_spin_until (fabric_settled, canary, 10);
  g_assert_cmpint (sluice_fabric_get_state (canary), ==, SLUICE_FABRIC_STATE_FAILED);
  sluice_fabric_session_select (session, canary);
  ui_test_spin_until (fabric_settled, canary, 10);
  sluice_project_page_run (page, NULL);
  ui_test_spin_ms (500);
  sluice_project_page_save (page);
  ui_test_spin_ms (300);

  /* Edit: nothing of it is shown. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.edit", "s", sluice_fabric_get_id (canary));
  dialog = sluice_fabrics_window_get_dialog (manager);
  ui_test_spin_until (dialog_idle, dialog, 10);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "token"))), ==, "");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "fabric.save", NULL);
  ui_test_spin_until (no_dialog, manager, 10);

  /* Delete (its token looked up for the undo, then cleared) and undo. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.delete", "s", sluice_fabric_get_id (canary));
  ui_test_spin_until (window_idle, manager, 10);
  g_assert_null (sluice_fabric_store_lookup_by_name (store, "Canary"));
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.undo-delete", NULL);
  ui_test_spin_until (window_idle, manager, 10);
  g_assert_nonnull (sluice_fabric_store_lookup_by_name (store, "Canary"));

  /* Every log path, on purpose: each must come out redacted. */
  g_debug ("canary: the token is %s", token);
  g_message ("canary: sending Authorization: Bearer %s", token);
  g_printerr ("canary: printerr %s\n", token);
  response = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP 401 from the workspace: {\"error\": \"bad token %s\"}",
                          token);
  sluice_redact_error (response);
  g_message ("canary: %s", response->message);
  g_assert_null (strstr (response->message, token));

  sluice_credential_free (g_steal_pointer (&looked_up));
  gtk_window_destroy (GTK_WINDOW (manager));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (200);
}

int
main (int    argc,
      char **argv)
{
  const char *file = g_getenv ("SLUICE_CANARY_TOKEN_FILE");
  g_auto(GStrv) env = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  sluice_redact_install_log_writer ();   /* after g_test_init(): it wraps its log handler */
  g_assert_nonnull (file);
  g_assert_true (g_file_get_contents (file, &token, NULL, NULL));
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpuint (strlen (token), >=, 20);
  /* Nothing of it in what children inherit. */
  env = g_get_environ ();
  for (guint i = 0; env[i]; i++)
    g_assert_null (strstr (env[i], token));

  g_assert_true (ui_test_init_display ());
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  app = ui_test_app_new ();
  g_test_add_func ("/sluice/secrets/canary/token-goes-nowhere-but-the-keyring", test_canary);
  rc = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  memset (token, 0, strlen (token));
  g_free (token);
  return rc;
}
