/* Renaming a fabric in the fabric manager, in a real window under Xvfb and
 * against a private gnome-keyring (with-keyring.sh) and the stand-in
 * Databricks workspace: the open project's job names the new name (on disk
 * too) and deploys to it, the header bar and its list say the new name,
 * the remembered selection and the keyring item follow; Undo puts all of
 * it back; renamed again, a job whose fabric is deleted says which file
 * names which fabric. */
#include "config.h"

#include <string.h>

#include "remote-test-util.h"
#include "sluice-fabric-button.h"
#include "sluice-fabrics-window.h"
#include "sluice-job-view.h"
#include "sluice-redact.h"
#include "ui-test-util.h"

#define TOKEN "dapi-rename-ui-5e11ce0ffee0ddba11"

static SluiceApplication *app;
static char *tmp;

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

/* The undo of a rename runs after the action returns: wait for its outcome,
 * not for a busy flag that may not be up yet. */
static gboolean
named_databricks_prod (gpointer data)
{
  return g_strcmp0 (sluice_fabric_get_name (data), "databricks-prod") == 0;
}

static gboolean
job_on_databricks_prod (gpointer data)
{
  return g_strcmp0 (sluice_job_get_fabric (data), "databricks-prod") == 0;
}

static gboolean
view_idle (gpointer data)
{
  return !sluice_job_view_get_busy (data);
}

static gboolean
plan_shown (gpointer data)
{
  return sluice_job_view_get_plan_dialog (data) != NULL;
}

static gboolean
has_job_id (gpointer data)
{
  return sluice_job_view_get_job_id (data) != 0 && !sluice_job_view_get_busy (data);
}

static SluiceFabricsWindow *
fabrics_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (SLUICE_IS_FABRICS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static char *
read_text (const char *dir,
           const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The label keyring managers show for @fabric's token. */
static char *
token_label (SluiceFabric *fabric)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  char *label;

  g_hash_table_insert (attributes, "app", APP_ID);
  g_hash_table_insert (attributes, "id", (char *) sluice_fabric_get_id (fabric));
  secret_password_searchv (sluice_credential_store_get_schema (), attributes, SECRET_SEARCH_ALL, NULL,
                           got_result, &r);
  ui_test_spin_until (is_set, &r, 10);
  items = secret_password_search_finish (r, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_list_free_full (items, g_object_unref);
  return label;
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

static gboolean
is_label (GtkWidget     *w,
          gconstpointer  text)
{
  return GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (w)), text) == 0;
}

/* Whether the header bar's list of fabrics has a row reading @name. */
static gboolean
list_says (SluiceFabricButton *button,
           const char         *name)
{
  return ui_test_find (GTK_WIDGET (sluice_fabric_button_get_list (button)), is_label, name) != NULL;
}

static void
rename_in_manager (SluiceFabricsWindow *manager,
                   SluiceFabric        *fabric,
                   const char          *name)
{
  SluiceFabricDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.edit", "s", sluice_fabric_get_id (fabric));
  dialog = sluice_fabrics_window_get_dialog (manager);
  g_assert_nonnull (dialog);
  ui_test_spin_until (dialog_idle, dialog, 10);
  gtk_editable_set_text (GTK_EDITABLE (sluice_fabric_dialog_get_row (dialog, "name")), name);
  ui_test_spin_ms (100);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "fabric.save", NULL);
  ui_test_spin_until (no_dialog, manager, 20);
  ui_test_spin_until (window_idle, manager, 20);
}

static void
test_rename_follows_everywhere (void)
{
  g_autofree char *project_dir = ui_test_copy_example (tmp, "retail");
  SluiceWindow *window = ui_test_open_project (app, project_dir);
  SluiceProjectPage *page = ui_test_project_page (window);
  SluiceProject *project = sluice_project_page_get_project (page);
  SluiceJob *job = sluice_project_find_job (project, "nightly_refresh");
  SluiceFabricSession *session = sluice_application_get_fabric_session (app);
  SluiceFabricStore *store = sluice_fabric_session_get_fabrics (session);
  SluiceFabricButton *button = sluice_window_get_fabric_button (window);
  /* The stand-in only answers the fabric's token: a deploy proves it followed. */
  const char *server_args[] = { "--token", TOKEN, NULL };
  RemoteTestServer *server = remote_test_server_start ("databricks-jobs-server.py", server_args);
  g_autoptr(SluiceFabric) edit = sluice_fabric_new (SLUICE_FABRIC_DATABRICKS, "databricks-prod");
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *label = NULL, *last = NULL, *token = NULL;
  SluiceFabricsWindow *manager;
  SluiceJobView *view;
  SluiceFabric *prod;
  AdwMessageDialog *plan;

  /* The fabric the example's job names, on the stand-in workspace, saved
   * as the manager saves it; chosen in the header bar. */
  g_assert_cmpstr (sluice_job_get_fabric (job), ==, "databricks-prod");
  sluice_fabric_set_setting (edit, "url", server->base_url);
  sluice_fabric_set_setting (edit, "cluster_id", "0123-456789-abcdefgh");
  g_hash_table_insert (secrets, "token", TOKEN);
  sluice_fabric_session_save_async (session, edit, secrets, NULL, got_result, &r);
  ui_test_spin_until (is_set, &r, 20);
  g_assert_true (sluice_fabric_session_save_finish (session, r, &error));
  g_assert_no_error (error);
  prod = sluice_fabric_store_lookup_by_name (store, "databricks-prod");
  g_assert_nonnull (prod);
  sluice_fabric_session_select (session, prod);
  ui_test_spin_ms (200);
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "databricks-prod");

  g_assert_true (sluice_project_page_select_file (page, "jobs/nightly_refresh.json"));
  view = sluice_project_page_get_job_view (page);
  g_assert_nonnull (view);
  ui_test_spin_until (view_idle, view, 30);
  g_assert_null (sluice_job_view_get_problems (view));

  /* Rename it in the manager. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "fabrics", NULL);
  manager = fabrics_window ();
  g_assert_nonnull (manager);
  ui_test_spin_ms (200);
  rename_in_manager (manager, prod, "Production");
  g_assert_true (sluice_fabric_store_lookup_by_name (store, "Production") == prod);
  g_assert_cmpstr (sluice_fabrics_window_get_toast_text (manager), ==,
                   "“databricks-prod” is now “Production”; the jobs of open projects follow");

  /* The job names the new name, in memory and in its file. */
  g_assert_cmpstr (sluice_job_get_fabric (job), ==, "Production");
  text = read_text (project_dir, "jobs/nightly_refresh.json");
  g_assert_nonnull (strstr (text, "\"fabric\": \"Production\""));
  g_assert_null (strstr (text, "databricks-prod"));
  g_clear_pointer (&text, g_free);
  /* The header bar and its list. */
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "Production");
  g_assert_true (list_says (button, "Production"));
  g_assert_false (list_says (button, "databricks-prod"));
  /* The remembered selection is the id, which the rename kept. */
  last = g_settings_get_string (sluice_application_get_settings (app), "last-fabric");
  g_assert_cmpstr (last, ==, sluice_fabric_get_id (prod));
  /* The token is still there, under the new name. */
  label = token_label (prod);
  g_assert_cmpstr (label, ==, "Sluice: token of fabric “Production”");
  g_clear_pointer (&label, g_free);
  token = keyring_token (session, prod);
  g_assert_cmpstr (token, ==, TOKEN);
  sluice_credential_free (g_steal_pointer (&token));
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (window), "fabric-renamed-window.png");

  /* Undo, while the rename's toast still offers it (a deploy would
   * outlast it under a sanitizer): every one of them as it was. */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.undo-rename", NULL);
  ui_test_spin_until (named_databricks_prod, prod, 20);
  ui_test_spin_until (job_on_databricks_prod, job, 20);
  ui_test_spin_until (window_idle, manager, 20);
  g_assert_cmpstr (sluice_fabric_get_name (prod), ==, "databricks-prod");
  g_assert_cmpstr (sluice_job_get_fabric (job), ==, "databricks-prod");
  text = read_text (project_dir, "jobs/nightly_refresh.json");
  g_assert_nonnull (strstr (text, "\"fabric\": \"databricks-prod\""));
  g_clear_pointer (&text, g_free);
  text = read_text (g_get_user_config_dir (), "sluice/fabrics.json");
  g_assert_nonnull (strstr (text, "\"name\": \"databricks-prod\""));
  g_clear_pointer (&text, g_free);
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "databricks-prod");
  g_assert_true (list_says (button, "databricks-prod"));
  label = token_label (prod);
  g_assert_cmpstr (label, ==, "Sluice: token of fabric “databricks-prod”");
  g_clear_pointer (&label, g_free);
  g_assert_null (sluice_job_view_get_problems (view));

  /* Renamed again: the deploy and the rest below see "Production". */
  rename_in_manager (manager, prod, "Production");
  g_assert_cmpstr (sluice_job_get_fabric (job), ==, "Production");
  g_assert_cmpstr (gtk_label_get_label (sluice_fabric_button_get_label (button)), ==, "Production");

  /* The editor has no problem with it and deploys there, with its token. */
  g_assert_null (sluice_job_view_get_problems (view));
  ui_test_spin_until (view_idle, view, 30);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "job.deploy", NULL));
  ui_test_spin_until (plan_shown, view, 60);
  plan = sluice_job_view_get_plan_dialog (view);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (plan), "is not on Production yet"));
  adw_message_dialog_response (plan, "apply");
  ui_test_spin_until (has_job_id, view, 60);
  g_assert_nonnull (strstr (sluice_job_view_get_status (view), "Deployed as job"));
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/api/2.1/jobs/create$"), ==, 1);

  /* A project that was not open keeps the old name; its job editor says
   * what the fabric is called now, and does not pick it by itself. */
  {
    g_autofree char *closed_dir = ui_test_copy_example (tmp, "closed");
    g_autoptr(GFile) closed_file = g_file_new_for_path (closed_dir);
    g_autoptr(SluiceProject) closed = sluice_project_load (closed_file, NULL, &error);
    SluiceJob *closed_job;
    GtkWidget *host = gtk_window_new ();
    SluiceJobView *closed_view;

    g_assert_no_error (error);
    closed_job = sluice_project_find_job (closed, "nightly_refresh");
    closed_view = SLUICE_JOB_VIEW (sluice_job_view_new (closed, closed_job, session));
    gtk_window_set_child (GTK_WINDOW (host), GTK_WIDGET (closed_view));
    gtk_window_present (GTK_WINDOW (host));
    ui_test_spin_until (view_idle, closed_view, 30);
    g_assert_cmpstr (sluice_job_get_fabric (closed_job), ==, "databricks-prod");
    g_assert_nonnull (sluice_job_view_get_problems (closed_view));
    g_assert_nonnull (strstr (sluice_job_view_get_problems (closed_view),
                              "jobs/nightly_refresh.json: the job runs on the fabric “databricks-prod”, which you "
                              "renamed “Production” (this project was not open then); choose “Production” to run "
                              "there."));
    gtk_window_destroy (GTK_WINDOW (host));
    ui_test_spin_ms (50);
  }

  /* Deleted: the editor says which file names which missing fabric, and
   * the job cannot be deployed (nothing else is picked for it). */
  gtk_widget_activate_action (GTK_WIDGET (manager), "fabrics.delete", "s", sluice_fabric_get_id (prod));
  ui_test_spin_until (window_idle, manager, 20);
  g_assert_null (sluice_fabric_store_lookup_by_name (store, "Production"));
  g_assert_cmpstr (sluice_job_get_fabric (job), ==, "Production");
  g_assert_nonnull (sluice_job_view_get_problems (view));
  g_assert_nonnull (strstr (sluice_job_view_get_problems (view),
                            "jobs/nightly_refresh.json: the job runs on the fabric “Production”, which you do "
                            "not have; add a Databricks fabric of that name or choose another."));
  gtk_widget_activate_action (GTK_WIDGET (view), "job.deploy", NULL);
  g_assert_false (sluice_job_view_get_busy (view));
  ui_test_spin_ms (200);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/api/2.1/jobs/create$"), ==, 1);
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (window), "job-fabric-missing.png");

  gtk_window_destroy (GTK_WINDOW (manager));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
  remote_test_server_stop (server);
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
      g_test_add_func ("/sluice/ui/fabric-rename/follows-everywhere", skip_no_display);
      return g_test_run ();
    }
  tmp = g_dir_make_tmp ("sluice-test-rename-XXXXXX", NULL);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  app = ui_test_app_new ();

  g_test_add_func ("/sluice/ui/fabric-rename/follows-everywhere", test_rename_follows_everywhere);

  rc = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return rc;
}
