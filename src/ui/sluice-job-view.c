#define G_LOG_DOMAIN "sluice-job-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sluice-code-writer.h"
#include "sluice-fabric.h"
#include "sluice-job-request.h"
#include "sluice-job-view.h"
#include "sluice-redact.h"

/* How often the runs list refreshes while a run is active. */
#define REFRESH_SECONDS 10

struct _SluiceJobView
{
  GtkBox               parent_instance;

  GtkLabel            *title;
  GtkSpinner          *spinner;
  GtkLabel            *status_label;
  GtkLabel            *problems_label;
  AdwEntryRow         *description_row;
  GtkListBox          *pipelines_list;
  AdwComboRow         *add_row;
  AdwEntryRow         *cron_row;
  AdwActionRow        *cron_preview_row;
  GtkEntry            *timezone_entry;
  GtkSwitch           *paused_switch;
  AdwComboRow         *fabric_row;
  AdwEntryRow         *spark_version_row;
  AdwEntryRow         *node_type_row;
  GtkSpinButton       *workers_spin;
  GtkSpinButton       *autotermination_spin;
  AdwEntryRow         *folder_row;
  GtkSpinButton       *retries_spin;
  GtkSpinButton       *interval_spin;
  AdwEntryRow         *emails_row;
  GtkColumnView       *runs_view;
  GtkLabel            *runs_label;

  SluiceProject       *project;       /* owned */
  SluiceJob           *job;           /* owned */
  SluiceFabricSession *session;       /* owned, nullable */
  GtkStringList       *add_model;     /* owned: pipelines not in the job */
  GtkStringList       *fabric_model;  /* owned: Databricks fabrics' names */
  GListStore          *runs;          /* owned: SluiceJobRun */
  GCancellable        *cancellable;   /* owned: cancelled on dispose */
  SluiceDatabricksJobs *client;       /* owned, nullable */
  char                *client_fabric; /* owned, nullable: the id it was made for */
  SluiceJobPlan       *plan;          /* owned, nullable: the one shown */
  AdwMessageDialog    *plan_dialog;   /* borrowed, nullable */
  char                *status;        /* owned, nullable */
  char                *problems;      /* owned, nullable */
  char                *cron_preview;  /* owned */
  gint64               job_id;
  guint                busy;
  guint                refresh_id;
  int                  loading;
};

G_DEFINE_FINAL_TYPE (SluiceJobView, sluice_job_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

typedef enum { STEP_DEPLOY, STEP_RUN, STEP_REFRESH } Step;

static void update_actions (SluiceJobView *self);
static void refresh_runs (SluiceJobView *self);

/* ---- showing ---- */

static void
set_status (SluiceJobView *self,
            const char    *text,
            gboolean       error)
{
  g_free (self->status);
  self->status = text ? sluice_redact (text) : NULL;
  gtk_label_set_text (self->status_label, self->status ? self->status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), self->status != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_busy (SluiceJobView *self,
          gboolean       busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy > 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  update_actions (self);
}

static SluiceFabric *
job_fabric (SluiceJobView *self)
{
  SluiceFabric *fabric;

  if (self->session == NULL || sluice_job_get_fabric (self->job) == NULL)
    return NULL;
  fabric = sluice_fabric_store_lookup_by_name (sluice_fabric_session_get_fabrics (self->session),
                                               sluice_job_get_fabric (self->job));
  if (fabric == NULL || sluice_fabric_get_kind (fabric) != SLUICE_FABRIC_DATABRICKS)
    return NULL;
  return fabric;
}

static void
show_problems (SluiceJobView *self)
{
  g_autoptr(GPtrArray) diagnostics = sluice_job_validate (self->job, sluice_project_get_pipelines (self->project));
  g_autoptr(GPtrArray) request_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonNode) request = NULL;

  for (guint i = 0; i < diagnostics->len; i++)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "",
                            sluice_diagnostic_get_message (g_ptr_array_index (diagnostics, i)));
  if (diagnostics->len == 0)
    {
      request = sluice_job_request_build (self->project, self->job, request_problems);
      for (guint i = 0; i < request_problems->len; i++)
        g_string_append_printf (text, "%s%s", text->len ? "\n" : "", (char *) g_ptr_array_index (request_problems, i));
    }
  if (sluice_job_get_fabric (self->job) == NULL)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", _("Choose the Databricks fabric the job runs on."));
  else if (self->session && job_fabric (self) == NULL)
    {
      g_string_append (text, text->len ? "\n" : "");
      g_string_append_printf (text, _("You have no Databricks fabric named “%s”; add it or choose another."),
                              sluice_job_get_fabric (self->job));
    }

  g_free (self->problems);
  self->problems = text->len ? g_strdup (text->str) : NULL;
  gtk_label_set_text (self->problems_label, self->problems ? self->problems : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), self->problems != NULL);
}

static void
show_cron_preview (SluiceJobView *self,
                   const char    *cron)
{
  g_autofree char *problem = sluice_cron_check (cron);
  g_autofree char *reading = problem ? NULL : sluice_cron_describe (cron);

  g_free (self->cron_preview);
  if (problem)
    self->cron_preview = g_strdup (problem);
  else if (reading)
    self->cron_preview = g_strdup_printf (_("%s (%s)"), reading, sluice_job_get_timezone (self->job));
  else
    self->cron_preview = g_strdup (_("as the Quartz expression says"));
  adw_action_row_set_subtitle (self->cron_preview_row, self->cron_preview);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->cron_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->cron_row), "error");
}

static GtkWidget *
pipeline_row (SluiceJobView *self,
              const char    *name,
              guint          i,
              guint          n)
{
  static const struct { const char *icon, *action, *tip; } buttons[] = {
    { "go-up-symbolic", "job.move-up", N_("Run earlier") },
    { "go-down-symbolic", "job.move-down", N_("Run later") },
    { "list-remove-symbolic", "job.remove-pipeline", N_("Remove from the job") },
  };
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *number = g_strdup_printf ("%u", i + 1);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_label_new (number));
  for (guint b = 0; b < G_N_ELEMENTS (buttons); b++)
    {
      GtkWidget *button = gtk_button_new_from_icon_name (buttons[b].icon);
      g_autofree char *label = g_strdup_printf ("%s: %s", _(buttons[b].tip), name);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _(buttons[b].tip));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), buttons[b].action);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      /* The action's state would override insensitivity: no up for the
       * first, no down for the last. */
      gtk_widget_set_visible (button, !((b == 0 && i == 0) || (b == 1 && i + 1 == n)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
show_pipelines (SluiceJobView *self)
{
  const char * const *pipelines = sluice_job_get_pipelines (self->job);
  GListModel *all = sluice_project_get_pipelines (self->project);
  guint n = g_strv_length ((char **) pipelines);
  GtkWidget *child;
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pipelines_list))))
    gtk_list_box_remove (self->pipelines_list, child);
  for (guint i = 0; pipelines[i]; i++)
    gtk_list_box_append (self->pipelines_list, pipeline_row (self, pipelines[i], i, n));

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (all, i);
      if (!g_strv_contains (pipelines, sluice_pipeline_get_name (p)))
        g_ptr_array_add (rest, (gpointer) sluice_pipeline_get_name (p));
    }
  g_ptr_array_add (rest, NULL);
  self->loading++;
  gtk_string_list_splice (self->add_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->add_model)),
                          (const char * const *) rest->pdata);
  self->loading--;
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_row), rest->len > 1);
}

static void
show_fabrics (SluiceJobView *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *current = sluice_job_get_fabric (self->job);
  guint selected = GTK_INVALID_LIST_POSITION;

  if (self->session)
    {
      GListModel *fabrics = G_LIST_MODEL (sluice_fabric_session_get_fabrics (self->session));

      for (guint i = 0; i < g_list_model_get_n_items (fabrics); i++)
        {
          g_autoptr(SluiceFabric) f = g_list_model_get_item (fabrics, i);
          if (sluice_fabric_get_kind (f) == SLUICE_FABRIC_DATABRICKS)
            g_ptr_array_add (names, g_strdup (sluice_fabric_get_name (f)));
        }
    }
  /* A fabric the job names that this user lacks stays shown, as it is. */
  if (current && !g_ptr_array_find_with_equal_func (names, current, g_str_equal, NULL))
    g_ptr_array_add (names, g_strdup (current));
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), current) == 0)
      selected = i;
  g_ptr_array_add (names, NULL);
  self->loading++;
  gtk_string_list_splice (self->fabric_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->fabric_model)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->fabric_row, selected);
  self->loading--;
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
show_job (SluiceJobView *self)
{
  g_autofree char *emails = g_strjoinv (", ", (char **) sluice_job_get_emails (self->job));

  self->loading++;
  gtk_label_set_text (self->title, sluice_job_get_name (self->job));
  set_text (self->description_row, sluice_job_get_description (self->job));
  set_text (self->cron_row, sluice_job_get_cron (self->job));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->timezone_entry)), sluice_job_get_timezone (self->job)))
    gtk_editable_set_text (GTK_EDITABLE (self->timezone_entry), sluice_job_get_timezone (self->job));
  gtk_switch_set_active (self->paused_switch, sluice_job_get_paused (self->job));
  set_text (self->spark_version_row, sluice_job_get_spark_version (self->job));
  set_text (self->node_type_row, sluice_job_get_node_type (self->job));
  set_text (self->folder_row, sluice_job_get_workspace_folder (self->job));
  set_text (self->emails_row, emails);
  gtk_spin_button_set_value (self->workers_spin, sluice_job_get_workers (self->job));
  gtk_spin_button_set_value (self->autotermination_spin, sluice_job_get_autotermination (self->job));
  gtk_spin_button_set_value (self->retries_spin, sluice_job_get_max_retries (self->job));
  gtk_spin_button_set_value (self->interval_spin, sluice_job_get_retry_interval (self->job));
  self->loading--;
  show_pipelines (self);
  show_fabrics (self);
  show_cron_preview (self, sluice_job_get_cron (self->job));
  show_problems (self);
  update_actions (self);
}

/* ---- saving ---- */

/* Writes jobs/NAME.json and its generated request; a failure stays on
 * screen. */
static void
save (SluiceJobView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) files = NULL;
  g_autofree char *dir = NULL;

  /* Deleted meanwhile: nothing to save into. */
  if (sluice_project_find_job (self->project, sluice_job_get_name (self->job)) != self->job)
    return;
  if (!sluice_project_save_job (self->project, self->job, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }
  /* Code from a job with problems would be a wrong request: none then. */
  if (sluice_project_get_n_errors (self->project) == 0)
    files = sluice_code_files_for_job (self->project, self->job, problems);
  dir = g_file_get_path (sluice_project_get_directory (self->project));
  if (!sluice_code_write_job (dir, sluice_job_get_name (self->job), files, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }
  show_problems (self);
  update_actions (self);
}

static GStrv
split_emails (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ",;", -1);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_strv_builder_add (b, parts[i]);
    }
  return g_strv_builder_end (b);
}

static void
sluice_job_view_text_apply_cb (SluiceJobView *self,
                               AdwEntryRow   *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (self->loading)
    return;
  if (row == self->description_row)
    sluice_job_set_description (self->job, text);
  else if (row == self->cron_row)
    {
      g_autofree char *problem = sluice_cron_check (text);

      /* A wrong expression is shown, never saved. */
      if (problem)
        {
          show_cron_preview (self, text);
          return;
        }
      {
        g_autofree char *cron = g_strstrip (g_strdup (text));
        sluice_job_set_cron (self->job, cron);
      }
    }
  else if (row == self->spark_version_row)
    {
      if (*text == '\0')
        return;
      sluice_job_set_spark_version (self->job, text);
    }
  else if (row == self->node_type_row)
    sluice_job_set_node_type (self->job, text);
  else if (row == self->folder_row)
    sluice_job_set_workspace_folder (self->job, text);
  else if (row == self->emails_row)
    {
      g_auto(GStrv) emails = split_emails (text);
      sluice_job_set_emails (self->job, (const char * const *) emails);
    }
  save (self);
}

static void
sluice_job_view_cron_changed_cb (SluiceJobView *self)
{
  if (self->loading == 0)
    show_cron_preview (self, gtk_editable_get_text (GTK_EDITABLE (self->cron_row)));
}

static void
sluice_job_view_timezone_activate_cb (SluiceJobView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->timezone_entry));

  if (self->loading || *text == '\0')
    return;
  sluice_job_set_timezone (self->job, text);
  show_cron_preview (self, sluice_job_get_cron (self->job));
  save (self);
}

static void
sluice_job_view_paused_cb (SluiceJobView *self)
{
  if (self->loading)
    return;
  sluice_job_set_paused (self->job, gtk_switch_get_active (self->paused_switch));
  save (self);
}

static void
sluice_job_view_number_cb (SluiceJobView *self,
                           GtkSpinButton *spin)
{
  guint value = (guint) gtk_spin_button_get_value_as_int (spin);

  if (self->loading)
    return;
  if (spin == self->workers_spin)
    sluice_job_set_workers (self->job, value);
  else if (spin == self->autotermination_spin)
    sluice_job_set_autotermination (self->job, value);
  else if (spin == self->retries_spin)
    sluice_job_set_max_retries (self->job, value);
  else if (spin == self->interval_spin)
    sluice_job_set_retry_interval (self->job, value);
  save (self);
}

static void
sluice_job_view_fabric_cb (SluiceJobView *self)
{
  guint i = adw_combo_row_get_selected (self->fabric_row);

  if (self->loading || i == GTK_INVALID_LIST_POSITION)
    return;
  sluice_job_set_fabric (self->job, gtk_string_list_get_string (self->fabric_model, i));
  /* Another workspace: another job there, and its own runs. */
  g_clear_object (&self->client);
  self->job_id = 0;
  g_list_store_remove_all (self->runs);
  save (self);
  refresh_runs (self);
}

static void
set_pipelines (SluiceJobView *self,
               GPtrArray     *names)
{
  g_ptr_array_add (names, NULL);
  sluice_job_set_pipelines (self->job, (const char * const *) names->pdata);
  save (self);
  show_pipelines (self);
}

static GPtrArray *
copy_pipelines (SluiceJobView *self)
{
  const char * const *pipelines = sluice_job_get_pipelines (self->job);
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; pipelines[i]; i++)
    g_ptr_array_add (names, (gpointer) pipelines[i]);
  return names;
}

static void
add_pipeline_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *param)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (widget);
  guint i = adw_combo_row_get_selected (self->add_row);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *name = NULL;

  if (i == GTK_INVALID_LIST_POSITION || i >= g_list_model_get_n_items (G_LIST_MODEL (self->add_model)))
    return;
  name = g_strdup (gtk_string_list_get_string (self->add_model, i));
  names = copy_pipelines (self);
  g_ptr_array_add (names, name);
  set_pipelines (self, names);
}

static void
pipeline_action (GtkWidget  *widget,
                 const char *action,
                 GVariant   *param)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (widget);
  g_autoptr(GPtrArray) names = copy_pipelines (self);
  guint i = g_variant_get_uint32 (param);

  if (i >= names->len)
    return;
  if (g_str_equal (action, "job.remove-pipeline"))
    g_ptr_array_remove_index (names, i);
  else
    {
      guint j = g_str_equal (action, "job.move-up") ? i - 1 : i + 1;
      gpointer tmp;

      if ((g_str_equal (action, "job.move-up") && i == 0) || j >= names->len)
        return;
      tmp = names->pdata[i];
      names->pdata[i] = names->pdata[j];
      names->pdata[j] = tmp;
    }
  set_pipelines (self, names);
}

/* ---- the workspace ---- */

static gboolean
can_deploy (SluiceJobView *self)
{
  return self->busy == 0 && self->problems == NULL && job_fabric (self) != NULL;
}

static void
update_actions (SluiceJobView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.deploy", can_deploy (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.run-now", self->busy == 0 && job_fabric (self) != NULL &&
                                                                   self->job_id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.refresh-runs", job_fabric (self) != NULL);
}

typedef struct
{
  SluiceJobView *self;    /* owned */
  Step           step;
  char          *token;   /* owned: the run-now idempotency token */
  SluiceFabric  *fabric;  /* owned */
} Call;

static void
call_free (Call *c)
{
  g_object_unref (c->self);
  g_clear_object (&c->fabric);
  g_free (c->token);
  g_free (c);
}

static void do_step (Call *c);

static void
fail (SluiceJobView *self,
      const GError  *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_status (self, error->message, TRUE);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Call *c = user_data;
  SluiceJobView *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpClient) http = NULL;
  char *token = sluice_credential_store_lookup_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);

  set_busy (self, FALSE);
  if (error == NULL && token == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The fabric “%s” has no access token in the keyring; edit the fabric to enter it."),
                 sluice_fabric_get_name (c->fabric));
  if (error == NULL)
    http = sluice_http_client_new (sluice_fabric_get_name (c->fabric), sluice_fabric_get_setting (c->fabric, "url"),
                                   &error);
  if (error)
    {
      sluice_credential_free (token);
      fail (self, error);
      call_free (c);
      return;
    }
  sluice_redact_add_secret (token);
  g_clear_object (&self->client);
  self->client = sluice_databricks_jobs_new (c->fabric, token, http);
  g_free (self->client_fabric);
  self->client_fabric = g_strdup (sluice_fabric_get_id (c->fabric));
  sluice_credential_free (token);
  do_step (c);
}

static void step_deployed_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void step_ran_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void step_found_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void step_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
do_step (Call *c)
{
  SluiceJobView *self = c->self;

  set_busy (self, TRUE);
  switch (c->step)
    {
    case STEP_DEPLOY:
      sluice_databricks_jobs_deploy_async (self->client, self->project, self->job, self->cancellable,
                                           step_deployed_cb, c);
      break;
    case STEP_RUN:
      sluice_databricks_jobs_run_now_async (self->client, self->job_id, c->token, self->cancellable,
                                            step_ran_cb, c);
      break;
    case STEP_REFRESH:
    default:
      if (self->job_id == 0)
        {
          g_autofree char *tag = sluice_job_request_tag (self->project, self->job);
          g_autofree char *name = g_strdup_printf ("%s: %s", sluice_project_get_name (self->project),
                                                   sluice_job_get_name (self->job));
          sluice_databricks_jobs_find_async (self->client, tag, name, self->cancellable, step_found_cb, c);
        }
      else
        sluice_databricks_jobs_list_runs_async (self->client, self->job_id, self->cancellable, step_listed_cb, c);
      break;
    }
}

/* Runs @step once there is a client for the job's fabric: its token is
 * looked up in the keyring the first time. */
static void
with_client (SluiceJobView *self,
             Step           step,
             const char    *token)
{
  SluiceFabric *fabric = job_fabric (self);
  Call *c;

  if (fabric == NULL)
    return;
  c = g_new0 (Call, 1);
  c->self = g_object_ref (self);
  c->step = step;
  c->token = g_strdup (token);
  c->fabric = g_object_ref (fabric);
  if (self->client && g_strcmp0 (self->client_fabric, sluice_fabric_get_id (fabric)) == 0)
    {
      do_step (c);
      return;
    }
  set_busy (self, TRUE);
  sluice_credential_store_lookup_async (sluice_fabric_session_get_credentials (self->session),
                                        sluice_fabric_kind_to_string (SLUICE_FABRIC_DATABRICKS),
                                        sluice_fabric_get_id (fabric), "token", self->cancellable, token_cb, c);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  SluiceJobView *self = user_data;

  self->refresh_id = 0;
  refresh_runs (self);
  return G_SOURCE_REMOVE;
}

static void
refresh_runs (SluiceJobView *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (job_fabric (self) != NULL)
    with_client (self, STEP_REFRESH, NULL);
}

static void
step_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Call *c = user_data;
  SluiceJobView *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) runs = sluice_databricks_jobs_list_runs_finish (SLUICE_DATABRICKS_JOBS (source), result,
                                                                         &error);
  gboolean active = FALSE;
  guint n;

  set_busy (self, FALSE);
  if (runs == NULL)
    {
      fail (self, error);
      call_free (c);
      return;
    }
  n = g_list_model_get_n_items (runs);
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n; i++)
      {
        SluiceJobRun *run = g_list_model_get_item (runs, i);
        active |= sluice_job_run_is_active (run);
        g_ptr_array_add (items, run);
      }
    g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)), items->pdata, n);
  }
  gtk_label_set_text (self->runs_label, n == 0 ? _("The job has not run yet.")
                                               : active ? _("A run is active; the list refreshes every 10 seconds.")
                                                        : "");
  if (active && self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_timeout_cb, self);
  call_free (c);
}

static void
step_found_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *c = user_data;
  SluiceJobView *self = c->self;
  g_autoptr(GError) error = NULL;
  gint64 id = sluice_databricks_jobs_find_finish (SLUICE_DATABRICKS_JOBS (source), result, &error);

  set_busy (self, FALSE);
  if (error)
    {
      fail (self, error);
      call_free (c);
      return;
    }
  if (id == 0)
    {
      gtk_label_set_text (self->runs_label, _("The job is not on the workspace yet; deploy it first."));
      call_free (c);
      return;
    }
  self->job_id = id;
  update_actions (self);
  do_step (c);
}

static void
step_ran_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Call *c = user_data;
  SluiceJobView *self = c->self;
  g_autoptr(GError) error = NULL;
  gint64 run_id = sluice_databricks_jobs_run_now_finish (SLUICE_DATABRICKS_JOBS (source), result, &error);

  set_busy (self, FALSE);
  if (error)
    fail (self, error);
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
      g_autofree char *text = g_strdup_printf (_("Started run %s."), id);
      set_status (self, text, FALSE);
      refresh_runs (self);
    }
  call_free (c);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SluiceJobView) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = sluice_databricks_jobs_apply_finish (SLUICE_DATABRICKS_JOBS (source), result, &error);

  set_busy (self, FALSE);
  if (error)
    {
      fail (self, error);
      return;
    }
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_autofree char *text = g_strdup_printf (_("Deployed as job %s."), number);
    self->job_id = id;
    set_status (self, text, FALSE);
  }
  update_actions (self);
  refresh_runs (self);
}

static void
plan_response_cb (SluiceJobView    *self,
                  const char       *response,
                  AdwMessageDialog *dialog)
{
  self->plan_dialog = NULL;
  if (g_str_equal (response, "apply") && self->plan && self->client)
    {
      set_busy (self, TRUE);
      sluice_databricks_jobs_apply_async (self->client, self->plan, self->cancellable, applied_cb,
                                          g_object_ref (self));
    }
  else if (self->plan && self->plan->action == SLUICE_JOB_PLAN_UNCHANGED)
    {
      self->job_id = self->plan->job_id;
      update_actions (self);
    }
}

static void
show_plan (SluiceJobView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SluiceJobPlan *plan = self->plan;
  g_autofree char *body = NULL;
  g_autofree char *uploaded = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file of the pipelines' code is "
                                                            "uploaded to %s.", "%u files of the pipelines' code are "
                                                            "uploaded to %s.", plan->n_uploaded),
                                               plan->n_uploaded, plan->folder);
  const char *fabric = sluice_job_get_fabric (self->job);
  g_autofree char *job_id = g_strdup_printf ("%" G_GINT64_FORMAT, plan->job_id);
  GtkWidget *dialog;

  switch (plan->action)
    {
    case SLUICE_JOB_PLAN_CREATE:
      body = g_strdup_printf (_("%s\nThe job “%s” is not on %s yet: Apply creates it."), uploaded, plan->name, fabric);
      break;
    case SLUICE_JOB_PLAN_UPDATE:
      {
        g_autofree char *fields = g_strjoinv (", ", plan->changed);
        body = g_strdup_printf (_("%s\nThe job %s on %s has other settings: Apply replaces them. Changed: %s."),
                                uploaded, job_id, fabric, fields);
        break;
      }
    case SLUICE_JOB_PLAN_UNCHANGED:
    default:
      body = g_strdup_printf (_("%s\nThe job %s on %s is up to date."), uploaded, job_id, fabric);
      break;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   plan->action == SLUICE_JOB_PLAN_CREATE ? _("Create the Job?")
                                   : plan->action == SLUICE_JOB_PLAN_UPDATE ? _("Update the Job?")
                                   : _("Job Up to Date"), body);
  if (plan->action == SLUICE_JOB_PLAN_UNCHANGED)
    adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"), NULL);
  else
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "apply", _("_Apply"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (plan_response_cb), self, G_CONNECT_SWAPPED);
  self->plan_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
step_deployed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Call *c = user_data;
  SluiceJobView *self = c->self;
  g_autoptr(GError) error = NULL;
  SluiceJobPlan *plan = sluice_databricks_jobs_deploy_finish (SLUICE_DATABRICKS_JOBS (source), result, &error);

  set_busy (self, FALSE);
  if (plan == NULL)
    {
      fail (self, error);
      call_free (c);
      return;
    }
  g_clear_pointer (&self->plan, sluice_job_plan_free);
  self->plan = plan;
  if (plan->job_id != 0)
    self->job_id = plan->job_id;
  set_status (self, NULL, FALSE);
  update_actions (self);
  show_plan (self);
  call_free (c);
}

static void
deploy_action (GtkWidget  *widget,
               const char *action,
               GVariant   *param)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (widget);

  sluice_job_view_flush (self);
  if (!can_deploy (self))
    return;
  set_status (self, _("Uploading the pipelines' code…"), FALSE);
  with_client (self, STEP_DEPLOY, NULL);
}

static void
run_now_action (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (widget);
  /* One token per click: a retry of this click starts no second run. */
  g_autofree char *token = g_uuid_string_random ();

  if (self->job_id == 0)
    return;
  with_client (self, STEP_RUN, token);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action,
                GVariant   *param)
{
  refresh_runs (SLUICE_JOB_VIEW (widget));
}

/* ---- the runs' columns ---- */

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static char *
format_duration (gint64 ms)
{
  gint64 s = ms / 1000;

  if (ms <= 0)
    return g_strdup ("");
  /* Runs last hours, not years: an int is plenty. */
  if (s < 60)
    return g_strdup_printf (_("%d s"), (int) s);
  if (s < 3600)
    return g_strdup_printf (_("%d min %d s"), (int) (s / 60), (int) (s % 60));
  return g_strdup_printf (_("%d h %d min"), (int) MIN (s / 3600, G_MAXINT), (int) ((s % 3600) / 60));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  column)
{
  SluiceJobRun *run = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (column))
    {
    case 0:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, sluice_job_run_get_id (run));
      break;
    case 1:
      if (sluice_job_run_get_start_time (run) > 0)
        {
          g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (sluice_job_run_get_start_time (run) / 1000);
          text = t ? g_date_time_format (t, "%Y-%m-%d %H:%M:%S") : NULL;
        }
      break;
    case 2:
      text = format_duration (sluice_job_run_get_duration (run));
      break;
    case 3:
      text = sluice_job_run_get_result_state (run)
             ? g_strdup_printf ("%s · %s", sluice_job_run_get_life_cycle_state (run), sluice_job_run_get_result_state (run))
             : g_strdup (sluice_job_run_get_life_cycle_state (run));
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), *sluice_job_run_get_state_message (run)
                                   ? sluice_job_run_get_state_message (run) : NULL);
      break;
    default:
      text = g_strdup (sluice_job_run_get_trigger (run));
      break;
    }
  gtk_label_set_text (label, text ? text : "");
}

static void
add_columns (SluiceJobView *self)
{
  static const char * const titles[] = { N_("Run"), N_("Started"), N_("Duration"), N_("State"), N_("Trigger") };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(titles[i]), factory);
      gtk_column_view_column_set_expand (column, i == 3);
      gtk_column_view_append_column (self->runs_view, column);
    }
}

/* ---- the type ---- */

static void
sluice_job_view_dispose (GObject *object)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->plan_dialog)
    gtk_window_destroy (GTK_WINDOW (self->plan_dialog));
  self->plan_dialog = NULL;
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_JOB_VIEW);

  G_OBJECT_CLASS (sluice_job_view_parent_class)->dispose (object);
}

static void
sluice_job_view_finalize (GObject *object)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (object);

  g_clear_object (&self->project);
  g_clear_object (&self->job);
  g_clear_object (&self->add_model);
  g_clear_object (&self->fabric_model);
  g_clear_object (&self->runs);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->plan, sluice_job_plan_free);
  g_free (self->client_fabric);
  g_free (self->status);
  g_free (self->problems);
  g_free (self->cron_preview);

  G_OBJECT_CLASS (sluice_job_view_parent_class)->finalize (object);
}

static void
sluice_job_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SluiceJobView *self = SLUICE_JOB_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_job_view_class_init (SluiceJobViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_job_view_dispose;
  object_class->finalize = sluice_job_view_finalize;
  object_class->get_property = sluice_job_view_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-job-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, title);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, problems_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, description_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, pipelines_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, add_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, cron_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, cron_preview_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, timezone_entry);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, paused_switch);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, fabric_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, spark_version_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, node_type_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, workers_spin);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, autotermination_spin);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, folder_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, retries_spin);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, emails_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, runs_view);
  gtk_widget_class_bind_template_child (widget_class, SluiceJobView, runs_label);
  gtk_widget_class_bind_template_callback (widget_class, sluice_job_view_text_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_job_view_cron_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_job_view_timezone_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_job_view_paused_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_job_view_number_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_job_view_fabric_cb);

  gtk_widget_class_install_action (widget_class, "job.add-pipeline", NULL, add_pipeline_action);
  gtk_widget_class_install_action (widget_class, "job.remove-pipeline", "u", pipeline_action);
  gtk_widget_class_install_action (widget_class, "job.move-up", "u", pipeline_action);
  gtk_widget_class_install_action (widget_class, "job.move-down", "u", pipeline_action);
  gtk_widget_class_install_action (widget_class, "job.deploy", NULL, deploy_action);
  gtk_widget_class_install_action (widget_class, "job.run-now", NULL, run_now_action);
  gtk_widget_class_install_action (widget_class, "job.refresh-runs", NULL, refresh_action);
}

/* Time zone names for completion: the system's zoneinfo list. */
static GtkListStore *
time_zones (void)
{
  static const char * const files[] = { "/usr/share/zoneinfo/tzdata.zi", NULL };
  GtkListStore *store = gtk_list_store_new (1, G_TYPE_STRING);
  g_autofree char *text = NULL;

  gtk_list_store_insert_with_values (store, NULL, -1, 0, "UTC", -1);
  if (g_file_get_contents (files[0], &text, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      /* "Z Europe/Berlin …" are zones; "L Europe/Berlin Arctic/Longyearbyen" links. */
      for (guint i = 0; lines[i]; i++)
        {
          g_auto(GStrv) f = NULL;

          if (lines[i][0] != 'Z' && lines[i][0] != 'L')
            continue;
          f = g_strsplit (lines[i], " ", 4);
          if (f[1] && f[2])
            {
              const char *name = lines[i][0] == 'Z' ? f[1] : f[2];
              if (strchr (name, '/'))
                gtk_list_store_insert_with_values (store, NULL, -1, 0, name, -1);
            }
        }
    }
  return store;
}

static void
sluice_job_view_init (SluiceJobView *self)
{
  g_autoptr(GtkListStore) zones = NULL;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->runs = g_list_store_new (SLUICE_TYPE_JOB_RUN);
  self->add_model = gtk_string_list_new (NULL);
  self->fabric_model = gtk_string_list_new (NULL);
  self->cron_preview = g_strdup ("");
  adw_combo_row_set_model (self->add_row, G_LIST_MODEL (self->add_model));
  adw_combo_row_set_model (self->fabric_row, G_LIST_MODEL (self->fabric_model));
  gtk_column_view_set_model (self->runs_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->runs)))));
  add_columns (self);

  zones = time_zones ();
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (zones));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_minimum_key_length (completion, 2);
  gtk_entry_set_completion (self->timezone_entry, completion);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

GtkWidget *
sluice_job_view_new (SluiceProject       *project,
                     SluiceJob           *job,
                     SluiceFabricSession *session)
{
  SluiceJobView *self;

  g_return_val_if_fail (SLUICE_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SLUICE_IS_JOB (job), NULL);
  g_return_val_if_fail (session == NULL || SLUICE_IS_FABRIC_SESSION (session), NULL);

  self = g_object_new (SLUICE_TYPE_JOB_VIEW, NULL);
  self->project = g_object_ref (project);
  self->job = g_object_ref (job);
  self->session = session ? g_object_ref (session) : NULL;
  if (session)
    g_signal_connect_object (sluice_fabric_session_get_fabrics (session), "items-changed",
                             G_CALLBACK (show_fabrics), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sluice_project_get_pipelines (project), "items-changed", G_CALLBACK (show_job), self,
                           G_CONNECT_SWAPPED);
  show_job (self);
  refresh_runs (self);
  return GTK_WIDGET (self);
}

SluiceJob *
sluice_job_view_get_job (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), NULL);
  return self->job;
}

gboolean
sluice_job_view_get_busy (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), FALSE);
  return self->busy > 0;
}

void
sluice_job_view_flush (SluiceJobView *self)
{
  AdwEntryRow *rows[] = { self->description_row, self->cron_row, self->spark_version_row, self->node_type_row,
                          self->folder_row, self->emails_row };

  g_return_if_fail (SLUICE_IS_JOB_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    sluice_job_view_text_apply_cb (self, rows[i]);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->timezone_entry)), sluice_job_get_timezone (self->job)))
    sluice_job_view_timezone_activate_cb (self);
}

const char *
sluice_job_view_get_status (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), NULL);
  return self->status;
}

const char *
sluice_job_view_get_problems (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), NULL);
  return self->problems;
}

const char *
sluice_job_view_get_cron_preview (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), NULL);
  return self->cron_preview;
}

GListModel *
sluice_job_view_get_runs (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), NULL);
  return G_LIST_MODEL (self->runs);
}

gint64
sluice_job_view_get_job_id (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), 0);
  return self->job_id;
}

AdwMessageDialog *
sluice_job_view_get_plan_dialog (SluiceJobView *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_VIEW (self), NULL);
  return self->plan_dialog;
}
