/* The job editor: edits reach jobs/NAME.json and code/jobs/NAME.json, the
 * cron reading, pipelines added, moved and removed through job.* actions,
 * problems shown inline; then deploy → plan dialog → apply, run now and the
 * runs list against the stand-in Databricks workspace. */
#include "config.h"

#include <string.h>

#include "remote-test-util.h"
#include "sluice-application.h"
#include "sluice-job-view.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

typedef struct
{
  SluiceWindow          *window;
  char                  *project_dir;
  RemoteTestServer      *server;
  SluiceCredentialStore *credentials;
  SluiceFabricSession   *session;
  SluiceFabric          *fabric;
  GtkWindow             *host;
  SluiceJobView         *view;
} Fixture;

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("retail-%u", n++);
  g_autofree char *fabrics = NULL;
  g_autoptr(SluiceFabricStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  SluiceProject *project;

  f->project_dir = ui_test_copy_example (tmp, name);
  f->window = ui_test_open_project (app, f->project_dir);
  project = sluice_project_page_get_project (ui_test_project_page (f->window));

  f->server = remote_test_server_start ("databricks-jobs-server.py", NULL);
  fabrics = g_build_filename (tmp, name, "fabrics.json", NULL);
  store = sluice_fabric_store_new (fabrics);
  f->credentials = sluice_credential_store_new ();
  f->session = sluice_fabric_session_new (store, f->credentials, tmp);
  sluice_fabric_session_start_async (f->session, "local", NULL, got_result, &r);
  ui_test_spin_until (have_result, &r, 30);
  g_assert_true (sluice_fabric_session_start_finish (f->session, r, &error));
  g_assert_no_error (error);
  /* The fabric the example's job names, on the stand-in workspace. */
  f->fabric = sluice_fabric_new (SLUICE_FABRIC_DATABRICKS, "databricks-prod");
  sluice_fabric_set_setting (f->fabric, "url", f->server->base_url);
  sluice_fabric_set_setting (f->fabric, "cluster_id", "0123-456789-abcdefgh");
  sluice_fabric_store_insert (store, -1, f->fabric);
  sluice_credential_store_store_async (f->credentials, "databricks", sluice_fabric_get_id (f->fabric), "token",
                                       "Sluice test token", "dapi-test", NULL, got_result, &stored);
  ui_test_spin_until (have_result, &stored, 30);
  g_assert_true (sluice_credential_store_store_finish (f->credentials, stored, &error));
  g_assert_no_error (error);

  f->host = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->host, 900, 1400);
  f->view = SLUICE_JOB_VIEW (sluice_job_view_new (project, sluice_project_find_job (project, "nightly_refresh"),
                                                  f->session));
  gtk_window_set_child (f->host, gtk_scrolled_window_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (gtk_window_get_child (f->host)), GTK_WIDGET (f->view));
  gtk_window_present (f->host);
  ui_test_spin_ms (200);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) r = NULL;

  gtk_window_destroy (f->host);
  gtk_window_destroy (GTK_WINDOW (f->window));
  ui_test_spin_ms (100);
  sluice_credential_store_clear_async (f->credentials, "databricks", sluice_fabric_get_id (f->fabric), NULL, NULL,
                                       got_result, &r);
  ui_test_spin_until (have_result, &r, 30);
  g_clear_object (&f->fabric);
  g_clear_object (&f->session);
  g_clear_object (&f->credentials);
  g_clear_pointer (&f->server, remote_test_server_stop);
  g_free (f->project_dir);
}

static char *
read_file (Fixture    *f,
           const char *rel)
{
  g_autofree char *path = g_build_filename (f->project_dir, rel, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static GtkWidget *
find_by_title (GtkWidget  *root,
               const char *title);

static gboolean
has_title (GtkWidget     *w,
           gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (w) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), data) == 0;
}

static GtkWidget *
find_by_title (GtkWidget  *root,
               const char *title)
{
  GtkWidget *w = ui_test_find (root, has_title, title);

  g_assert_nonnull (w);
  return w;
}

static void
type_and_apply (Fixture    *f,
                const char *title,
                const char *text)
{
  GtkWidget *row = find_by_title (GTK_WIDGET (f->view), title);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  ui_test_spin_ms (50);
}

static void
test_edits_save_the_job_and_its_request (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *job = NULL;
  g_autofree char *request = NULL;
  g_autofree char *unchanged = NULL;

  if (!have_display)
    return;
  g_assert_cmpstr (sluice_job_view_get_cron_preview (f->view), ==, "every day at 05:00 (Europe/Berlin)");
  ui_test_screenshot (f->host, "job-editor.png");

  type_and_apply (f, "Quartz cron (seconds minutes hours day month weekday)", "0 30 6 ? * MON-FRI");
  g_assert_cmpstr (sluice_job_view_get_cron_preview (f->view), ==, "at 06:30 on Monday to Friday (Europe/Berlin)");
  job = read_file (f, "jobs/nightly_refresh.json");
  g_assert_nonnull (strstr (job, "\"cron\": \"0 30 6 ? * MON-FRI\""));
  request = read_file (f, "code/jobs/nightly_refresh.json");
  g_assert_nonnull (strstr (request, "\"quartz_cron_expression\": \"0 30 6 ? * MON-FRI\""));

  /* A wrong expression is shown, not saved. */
  type_and_apply (f, "Quartz cron (seconds minutes hours day month weekday)", "0 61 * * * ?");
  g_assert_nonnull (strstr (sluice_job_view_get_cron_preview (f->view), "“61” is not a valid minutes field"));
  unchanged = read_file (f, "jobs/nightly_refresh.json");
  g_assert_cmpstr (unchanged, ==, job);

  type_and_apply (f, "Node type (such as i3.xlarge)", "m5d.large");
  g_clear_pointer (&request, g_free);
  request = read_file (f, "code/jobs/nightly_refresh.json");
  g_assert_nonnull (strstr (request, "\"node_type_id\": \"m5d.large\""));
}

static char *
pipelines_line (Fixture *f)
{
  g_autofree char *job = read_file (f, "jobs/nightly_refresh.json");
  char *start = strstr (job, "\"pipelines\": [");
  char *end = start ? strchr (start, ']') : NULL;

  g_assert_nonnull (end);
  return g_strndup (start, end + 1 - start);
}

static void
test_pipelines_are_added_moved_and_removed (Fixture       *f,
                                            gconstpointer  data)
{
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *line3 = NULL;

  if (!have_display)
    return;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.move-down", "u", 0));
  line1 = pipelines_line (f);
  g_assert_cmpstr (line1, ==, "\"pipelines\": [\"revenue_by_month\", \"orders_enriched\", \"top_products\"]");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.remove-pipeline", "u", 2));
  line2 = pipelines_line (f);
  g_assert_cmpstr (line2, ==, "\"pipelines\": [\"revenue_by_month\", \"orders_enriched\"]");

  /* The removed one can be added again; those in the job cannot. */
  {
    AdwComboRow *add = ADW_COMBO_ROW (find_by_title (GTK_WIDGET (f->view), "Add a pipeline"));
    GListModel *model = adw_combo_row_get_model (add);
    guint found = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        const char *name = gtk_string_list_get_string (GTK_STRING_LIST (model), i);

        g_assert_cmpstr (name, !=, "orders_enriched");
        g_assert_cmpstr (name, !=, "revenue_by_month");
        if (g_str_equal (name, "top_products"))
          found = i;
      }
    g_assert_cmpuint (found, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (add, found);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.add-pipeline", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.move-up", "u", 2));
  line3 = pipelines_line (f);
  g_assert_cmpstr (line3, ==, "\"pipelines\": [\"revenue_by_month\", \"top_products\", \"orders_enriched\"]");
}

static void
test_problems_are_shown_and_no_request_written (Fixture       *f,
                                                gconstpointer  data)
{
  g_autofree char *request = NULL;

  if (!have_display)
    return;
  g_assert_null (sluice_job_view_get_problems (f->view));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (f->view)));
  type_and_apply (f, "E-mail on failure (addresses, comma-separated)", "ops@example.com, not-an-address");
  g_assert_nonnull (strstr (sluice_job_view_get_problems (f->view), "“not-an-address” is not an e-mail address"));
  /* A job with problems has no request in code/, and cannot be deployed. */
  request = read_file (f, "code/jobs/nightly_refresh.json");
  g_assert_null (request);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.deploy", NULL) &&
                  sluice_job_view_get_busy (f->view));

  type_and_apply (f, "E-mail on failure (addresses, comma-separated)", "ops@example.com; ana@example.org");
  g_assert_null (sluice_job_view_get_problems (f->view));
  request = read_file (f, "code/jobs/nightly_refresh.json");
  g_assert_nonnull (strstr (request, "\"on_failure\": [\"ops@example.com\", \"ana@example.org\"]"));
}

static gboolean
dialog_shown (gpointer data)
{
  return sluice_job_view_get_plan_dialog (data) != NULL;
}

static gboolean
has_job_id (gpointer data)
{
  return sluice_job_view_get_job_id (data) != 0 && !sluice_job_view_get_busy (data);
}

static gboolean
idle (gpointer data)
{
  return !sluice_job_view_get_busy (data);
}

static gboolean
one_run (gpointer data)
{
  return g_list_model_get_n_items (sluice_job_view_get_runs (data)) == 1;
}

static guint
count_jobs (Fixture *f)
{
  g_autoptr(JsonNode) state = remote_test_server_control (f->server, "GET", "/__state", NULL);
  JsonObject *root = json_node_get_object (state);

  return json_object_has_member (root, "jobs") ? json_object_get_size (json_object_get_object_member (root, "jobs"))
                                               : 0;
}

static void
test_deploy_shows_the_plan_then_applies_and_runs (Fixture       *f,
                                                  gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autoptr(SluiceJobRun) run = NULL;

  if (!have_display)
    return;
  ui_test_spin_until (idle, f->view, 30);
  g_assert_cmpint (sluice_job_view_get_job_id (f->view), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.deploy", NULL));
  ui_test_spin_until (dialog_shown, f->view, 60);
  dialog = sluice_job_view_get_plan_dialog (f->view);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Create the Job?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "/Shared/sluice/retail_analytics"));
  g_assert_cmpuint (count_jobs (f), ==, 0);
  adw_message_dialog_response (dialog, "apply");
  ui_test_spin_until (has_job_id, f->view, 60);
  g_assert_cmpuint (count_jobs (f), ==, 1);
  g_assert_nonnull (strstr (sluice_job_view_get_status (f->view), "Deployed as job"));

  /* Again, after an edit: an update naming the field. */
  type_and_apply (f, "Quartz cron (seconds minutes hours day month weekday)", "0 0 7 * * ?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.deploy", NULL));
  ui_test_spin_until (dialog_shown, f->view, 60);
  dialog = sluice_job_view_get_plan_dialog (f->view);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Update the Job?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Changed: schedule."));
  adw_message_dialog_response (dialog, "apply");
  ui_test_spin_ms (100);
  ui_test_spin_until (idle, f->view, 60);
  g_assert_cmpuint (count_jobs (f), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.1/jobs/reset$"), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.run-now", NULL));
  ui_test_spin_until (one_run, f->view, 60);
  run = g_list_model_get_item (sluice_job_view_get_runs (f->view), 0);
  g_assert_true (sluice_job_run_is_active (run));
  g_assert_nonnull (strstr (sluice_job_view_get_status (f->view), "Started run"));
  /* Refresh advances the stand-in's run. */
  for (guint i = 0; i < 4; i++)
    {
      ui_test_spin_until (idle, f->view, 30);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "job.refresh-runs", NULL));
      ui_test_spin_ms (50);
    }
  ui_test_spin_until (idle, f->view, 30);
  g_clear_object (&run);
  run = g_list_model_get_item (sluice_job_view_get_runs (f->view), 0);
  g_assert_cmpstr (sluice_job_run_get_life_cycle_state (run), ==, "TERMINATED");
  g_assert_cmpstr (sluice_job_run_get_result_state (run), ==, "SUCCESS");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-jobs-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  state = g_build_filename (tmp, "state", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    app = ui_test_app_new ();

#define ADD(path, fn) g_test_add ("/sluice/ui/job-editor/" path, Fixture, NULL, set_up, fn, tear_down)
  ADD ("edits-save-the-job-and-its-request", test_edits_save_the_job_and_its_request);
  ADD ("pipelines-are-added-moved-and-removed", test_pipelines_are_added_moved_and_removed);
  ADD ("problems-are-shown-and-no-request-written", test_problems_are_shown_and_no_request_written);
  ADD ("deploy-shows-the-plan-then-applies-and-runs", test_deploy_shows_the_plan_then_applies_and_runs);
#undef ADD
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
