/* The fabric manager in a real window under Xvfb, against a private
 * gnome-keyring (with-keyring.sh): add a fabric with a token, test it, see
 * it stored and never shown, pick it in the header bar, delete it with its
 * token, and undo. */
#include "config.h"

#include <string.h>

#include "sluice-fabric-banner.h"
#include "sluice-fabric-button.h"
#include "sluice-fabrics-window.h"
#include "sluice-redact.h"
#include "ui-test-util.h"

#define TOKEN "dapi5e11ce0ffee0ddba11deadbeef0042"

static SluiceApplication *app;

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

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

static SluiceFabricsWindow *
fabrics_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (SLUICE_IS_FABRICS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static GPtrArray *
keyring_items (SluiceFabricSession *session)
{
  SluiceCredentialStore *credentials = sluice_fabric_session_get_credentials (session);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  sluice_credential_store_search_async (credentials, NULL, NULL, NULL, got_result, &r);
  ui_test_spin_until (is_set, &r, 10);
  found = sluice_credential_store_search_finish (credentials, r, &error);
  g_assert_no_error (error);
  return found;
}

static char *
keyring_token (SluiceFabricSession *session,
               SluiceFabric        *fabric)
{
  SluiceCredentialStore *credentials = sluice_fabric_session_get_credentials (session);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  sluice_credential_store_lookup_async (credentials, "databricks", sluice_fabric_get_id (fabric), "token",
                                        NULL, got_result, &r);
  ui_test_spin_until (is_set, &r, 10);
  token = sluice_credential_store_lookup_finish (credentials, r, &error);
  g_assert_no_error (error);
  return token;
}

static char *
fabrics_json (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "sluice", "fabrics.json", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_manager (void)
{
  SluiceWindow *window = sluice_window_new (app);
  SluiceFabricSession *session = sluice_application_get_fabric_session (app);
  SluiceFabricStore *store = sluice_fabric_session_get_fabrics (session);
  SluiceFabricButton *button = sluice_window_get_fabric_button (window);
  SluiceFabric *local = sluice_fabric_store_get_local (store);
  SluiceFabricsWindow *manager;
  SluiceFabricDialog *dialog;
  SluiceFabric *prod;
  SluiceFabricRow *row;
  g_autofree char *json = NULL, *stored = NULL, *back = NULL, *tooltip = NULL;
  g_autoptr(GPtrArray) items = NULL;

  gtk_window_present (GTK_WINDOW (window));
  ui_test_spin_until (fabric_settled, local, 10);
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "Local");
  g_assert_true (gtk_widget_has_css_class (sluice_fabric_button_get_state_icon (button), "success"));
  g_assert_false (sluice_fabric_banner_is_revealed (sluice_window_get_fabric_banner (window)));

  /* Add a Databricks workspace, as the menu does. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "fabrics", NULL);
  manager = fabrics_window ();
  g_assert_nonnull (manager);
  ui_test_spin_ms (200);
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.add", "s", "databricks");
  dialog = sluice_fabrics_window_get_dialog (manager);
  g_assert_nonnull (dialog);
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (sluice_fabric_dialog_get_row (dialog, "token")));
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "name")), "Prod");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "url")), "http://adb-7.azuredatabricks.net/");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "cluster_id")), "0101-777-prod");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "token")), TOKEN);
  ui_test_spin_ms (200);

  /* A plain-http URL is refused inline, and nothing is written. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "fabric.save", NULL);
  ui_test_spin_until (dialog_idle, dialog, 10);
  g_assert_true (g_str_has_prefix (sluice_fabric_dialog_get_problem (dialog), "Workspace URL: must start with https://"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (dialog), "fabric-dialog-problem.png");

  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "url")), "HTTPS://ADB-7.azuredatabricks.net/");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "fabric.save", NULL);
  ui_test_spin_until (no_dialog, manager, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  prod = sluice_fabric_store_lookup_by_name (store, "Prod");
  g_assert_nonnull (prod);
  g_assert_cmpstr (sluice_fabric_get_setting (prod, "url"), ==, "https://adb-7.azuredatabricks.net");
  json = fabrics_json ();
  g_assert_nonnull (strstr (json, "\"cluster_id\": \"0101-777-prod\""));
  g_assert_null (strstr (json, TOKEN));
  g_assert_null (strstr (json, "token"));
  stored = keyring_token (session, prod);
  g_assert_cmpstr (stored, ==, TOKEN);

  /* Test connection: a spinner, then the answer inline. */
  row = sluice_fabrics_window_get_row (manager, prod);
  g_assert_nonnull (row);
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.test", "s", sluice_fabric_get_id (prod));
  g_assert_true (sluice_fabric_row_is_testing (row));
  g_assert_cmpstr (sluice_fabric_row_get_result (row), ==, "Testing the connection…");
  ui_test_spin_until (fabric_settled, prod, 10);
  /* The session hands the keyring's token to the engine, so it goes to the
   * network (which has no such workspace) rather than saying it has no
   * token; the answer names the fabric and never holds the token. */
  g_assert_true (g_str_has_prefix (sluice_fabric_row_get_result (row), "Prod: "));
  g_assert_null (strstr (sluice_fabric_row_get_result (row), "no personal access token"));
  g_assert_null (strstr (sluice_fabric_row_get_result (row), TOKEN));
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.test", "s", "local");
  ui_test_spin_until (fabric_settled, local, 10);
  g_assert_cmpstr (sluice_fabric_row_get_result (sluice_fabrics_window_get_row (manager, local)), ==,
                   "Ready: Runs on this computer");
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (manager), "fabrics-window.png");

  /* Edit: the token is stored, never shown; replacing it is a choice. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.edit", "s", sluice_fabric_get_id (prod));
  dialog = sluice_fabrics_window_get_dialog (manager);
  ui_test_spin_until (dialog_idle, dialog, 10);
  g_assert_false (gtk_widget_get_visible (sluice_fabric_dialog_get_row (dialog, "token")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "token"))), ==, "");
  g_assert_true (gtk_widget_get_visible (sluice_fabric_dialog_get_stored_row (dialog, "token")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sluice_fabric_dialog_get_stored_row (dialog, "token"))),
                   ==, "Stored in the keyring");
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (dialog), "fabric-dialog-stored.png");
  gtk_window_close (GTK_WINDOW (dialog));
  ui_test_spin_until (no_dialog, manager, 10);

  /* Pick it in the header bar: its name and its state. */
  g_signal_emit_by_name (sluice_fabric_button_get_list (button), "row-activated",
                         gtk_list_box_get_row_at_index (sluice_fabric_button_get_list (button), 1));
  g_assert_true (sluice_fabric_session_get_selected (session) == prod);
  ui_test_spin_until (fabric_settled, prod, 10);
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "Prod");
  g_assert_true (gtk_widget_has_css_class (sluice_fabric_button_get_state_icon (button), "error"));
  g_object_get (gtk_widget_get_first_child (GTK_WIDGET (button)), "tooltip-text", &tooltip, NULL);
  g_assert_true (g_str_has_prefix (tooltip, "Fabric: Prod — Cannot connect: Prod: "));
  g_assert_null (strstr (tooltip, TOKEN));
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (window), "window-on-prod.png");

  /* Delete: settings and token go, the header goes back to Local. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.delete", "s", sluice_fabric_get_id (prod));
  ui_test_spin_until (window_idle, manager, 10);
  g_assert_cmpstr (sluice_fabrics_window_get_toast_text (manager), ==, "“Prod” deleted, with its secrets");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_true (sluice_fabric_session_get_selected (session) == local);
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "Local");
  items = keyring_items (session);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&json, g_free);
  json = fabrics_json ();
  g_assert_null (strstr (json, "Prod"));
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (manager), "fabrics-window-deleted.png");

  /* Undo: both come back. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.undo-delete", NULL);
  ui_test_spin_until (window_idle, manager, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_true (sluice_fabric_store_lookup_by_name (store, "Prod") == prod);
  back = keyring_token (session, prod);
  g_assert_cmpstr (back, ==, TOKEN);
  g_clear_pointer (&json, g_free);
  json = fabrics_json ();
  g_assert_nonnull (strstr (json, "\"name\": \"Prod\""));

  sluice_credential_free (g_steal_pointer (&stored));
  sluice_credential_free (g_steal_pointer (&back));
  gtk_window_destroy (GTK_WINDOW (manager));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static void
skip_no_display (void)
{
  g_test_skip ("no display");
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  sluice_redact_install_log_writer ();   /* after g_test_init(): it wraps its log handler */
  if (!ui_test_init_display ())
    {
      g_test_add_func ("/sluice/ui/fabrics/manager", skip_no_display);
      return g_test_run ();
    }
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  app = ui_test_app_new ();

  g_test_add_func ("/sluice/ui/fabrics/add-test-select-delete-undo", test_manager);

  rc = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return rc;
}
