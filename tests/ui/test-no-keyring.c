/* No D-Bus session at all (a dead socket): the real window under Xvfb
 * starts, says so in its banner, edits and runs a pipeline on the Local
 * fabric, and keeps fabric settings without ever putting a secret in a
 * file. */
#include "config.h"

#include "sluice-fabric-banner.h"
#include "sluice-fabric-button.h"
#include "sluice-fabrics-window.h"
#include "sluice-redact.h"
#include "sluice-secret-error.h"
#include "ui-test-util.h"

static SluiceApplication *app;
static char *tmp;

static gboolean
banner_shown (gpointer data)
{
  return sluice_fabric_banner_is_revealed (data);
}

static gboolean
fabric_settled (gpointer data)
{
  SluiceFabricState s = sluice_fabric_get_state (data);
  return s != SLUICE_FABRIC_STATE_TESTING && s != SLUICE_FABRIC_STATE_UNKNOWN;
}

static gboolean
dialog_idle (gpointer data)
{
  return !sluice_fabric_dialog_is_busy (data);
}

static gboolean
no_dialog (gpointer data)
{
  return sluice_fabrics_window_get_dialog (data) == NULL;
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Whether any file under @dir holds @needle. */
static gboolean
tree_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (tree_contains (path, needle))
            return TRUE;
          continue;
        }
      if (g_file_get_contents (path, &text, &len, NULL) &&
          g_strstr_len (text, len, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_works_without_a_keyring (void)
{
  g_autofree char *project = ui_test_copy_example (tmp, "no-keyring");
  SluiceWindow *window = ui_test_open_project (app, project);
  SluiceFabricSession *session = sluice_application_get_fabric_session (app);
  SluiceFabricStore *store = sluice_fabric_session_get_fabrics (session);
  SluiceFabric *local = sluice_fabric_store_get_local (store);
  SluiceFabricBanner *banner = sluice_window_get_fabric_banner (window);
  SluiceProjectPage *page = ui_test_project_page (window);
  SluicePipeline *pipeline = sluice_project_find_pipeline (sluice_window_get_project (window), "customer_cleanup");
  g_autoptr(SluiceGem) first = g_list_model_get_item (sluice_pipeline_get_gems (pipeline), 0);
  SluiceFabricsWindow *manager = NULL;
  SluiceFabricDialog *dialog;
  SluiceFabric *snow;
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  /* The banner says what is wrong and what still works. */
  ui_test_spin_until (banner_shown, banner, 10);
  g_assert_true (g_str_has_prefix (sluice_fabric_banner_get_keyring_text (banner), "The keyring is not available ("));
  g_assert_nonnull (strstr (sluice_fabric_banner_get_keyring_text (banner), "The Local fabric works as usual."));
  g_assert_cmpstr (sluice_fabric_banner_get_file_text (banner), ==, "");
  g_assert_cmpint (sluice_credential_store_get_status (sluice_fabric_session_get_credentials (session)), ==,
                   SLUICE_KEYRING_UNAVAILABLE);
  ui_test_spin_until (fabric_settled, local, 10);
  g_assert_cmpint (sluice_fabric_get_state (local), ==, SLUICE_FABRIC_STATE_READY);
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (sluice_window_get_fabric_button (window))), ==,
                   "Local");
  ui_test_spin_ms (400);
  ui_test_screenshot (GTK_WINDOW (window), "no-keyring-window.png");

  /* Edit, save and run on Local, as ever. */
  g_assert_true (sluice_pipeline_set_label (pipeline, sluice_gem_get_id (first), "Customers (edited)", NULL));
  sluice_project_page_save (page);
  ui_test_spin_ms (300);
  {
    g_autofree char *file = g_build_filename (project, "pipelines", "customer_cleanup.json", NULL);
    g_assert_true (g_file_get_contents (file, &saved, NULL, NULL));
  }
  g_assert_nonnull (strstr (saved, "Customers (edited)"));
  sluice_project_page_run (page, NULL);
  ui_test_wait_for_run (page, pipeline);
  g_assert_cmpint (sluice_run_get_state (sluice_project_page_get_run (page, pipeline)), ==, SLUICE_RUN_SUCCEEDED);

  /* The fabric manager still keeps settings, and asks for no secret it
   * cannot store. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "fabrics", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (SLUICE_IS_FABRICS_WINDOW (l->data))
      manager = l->data;
  g_assert_nonnull (manager);
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.add", "s", "snowflake");
  dialog = sluice_fabrics_window_get_dialog (manager);
  ui_test_spin_until (dialog_idle, dialog, 10);
  g_assert_false (gtk_widget_get_visible (sluice_fabric_dialog_get_row (dialog, "token")));
  g_assert_true (gtk_widget_get_visible (sluice_fabric_dialog_get_stored_row (dialog, "token")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sluice_fabric_dialog_get_stored_row (dialog, "token"))),
                   ==, "The keyring is not available, so this cannot be stored now");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "url")), "https://org-acct.snowflakecomputing.com");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "warehouse")), "WH");
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "user")), "alice");
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (dialog), "no-keyring-dialog.png");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "fabric.save", NULL);
  ui_test_spin_until (no_dialog, manager, 10);
  snow = sluice_fabric_store_lookup_by_name (store, "Snowflake");
  g_assert_nonnull (snow);

  /* Given a secret anyway, the session stores the settings and refuses
   * the secret: it never ends up in a file. */
  g_hash_table_insert (secrets, "token", "no-keyring-canary-5a5a5a5a");
  sluice_fabric_session_save_async (session, snow, secrets, NULL, got_result, &r);
  ui_test_spin_until (is_set, &r, 10);
  g_assert_false (sluice_fabric_session_save_finish (session, r, &error));
  g_assert_error (error, SLUICE_SECRET_ERROR, SLUICE_SECRET_ERROR_UNAVAILABLE);
  g_assert_true (g_str_has_prefix (error->message, "The settings are saved, but not the secret. The keyring is not available: "));
  g_assert_false (tree_contains (g_get_home_dir (), "no-keyring-canary-5a5a5a5a"));
  g_assert_false (tree_contains (tmp, "no-keyring-canary-5a5a5a5a"));

  /* Its test says why it cannot connect (no keyring to read the token
   * from); Local is still selected. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.test", "s", sluice_fabric_get_id (snow));
  ui_test_spin_until (fabric_settled, snow, 10);
  g_assert_true (g_str_has_prefix (sluice_fabric_get_state_message (snow), "The keyring is not available: "));
  g_assert_true (sluice_fabric_session_get_selected (session) == local);

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
  g_autoptr(GError) error = NULL;
  int rc;

  /* Before anything can connect: a bus address that leads nowhere. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sluice-no-session-bus", TRUE);
  g_test_init (&argc, &argv, NULL);
  sluice_redact_install_log_writer ();   /* after g_test_init(): it wraps its log handler */
  if (!ui_test_init_display ())
    {
      g_test_add_func ("/sluice/ui/no-keyring/works-on-local", skip_no_display);
      return g_test_run ();
    }
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  tmp = g_dir_make_tmp ("sluice-no-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  app = ui_test_app_new ();

  g_test_add_func ("/sluice/ui/no-keyring/starts-edits-and-runs-on-local-with-a-banner", test_works_without_a_keyring);

  rc = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return rc;
}
