#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-application.h"
#include "sluice-pipeline-view.h"
#include "sluice-project-page-private.h"


G_DEFINE_FINAL_TYPE (SluiceProjectPage, sluice_project_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_SHOW_PROBLEMS, N_PROPS };
enum { PROBLEMS_CHANGED, DRAFT_WRITTEN, DRAFTS_RESTORED, SAVED, PIPELINE_SHOWN, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- sidebar ---- */

static GtkWidget *
sidebar_row (SluiceProjectPage *page,
             const char        *icon_name,
             const char        *name,
             const char        *warning,
             gpointer           item)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *label = gtk_label_new (name);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  if (warning)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, warning);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (item), g_object_unref);
  _sluice_project_page_setup_row_menu (page, row);
  return row;
}

static GtkWidget *
create_pipeline_row (gpointer item,
                     gpointer user_data)
{
  SluicePipeline *p = item;
  const GError *error = sluice_pipeline_get_load_error (p);

  return sidebar_row (user_data, "sluice-pipeline-symbolic", sluice_pipeline_get_name (p),
                      error ? error->message : NULL, item);
}

static GtkWidget *
create_dataset_row (gpointer item,
                    gpointer user_data)
{
  return sidebar_row (user_data, "sluice-dataset-symbolic", sluice_dataset_get_name (item), NULL, item);
}

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  return sidebar_row (user_data, "sluice-job-symbolic", sluice_job_get_name (item), NULL, item);
}

/* ---- details ---- */

static void
clear_detail (SluiceProjectPage *self)
{
  GtkWidget *child;

  self->pipeline_view = NULL;
  self->dataset_view = NULL;
  self->job_view = NULL;
  sluice_results_view_set_result (self->results_view, NULL);
  gtk_revealer_set_reveal_child (self->results_revealer, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))))
    gtk_box_remove (self->detail_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pipeline_box))))
    gtk_box_remove (self->pipeline_box, child);
}

static GtkWidget *
heading (const char *title,
         const char *subtitle)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "title-1");
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle && *subtitle)
    {
      GtkWidget *sub = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_box_append (GTK_BOX (box), sub);
    }
  return box;
}

/* The results pane follows the pipeline view's chosen gem. */
static void
show_result (SluiceProjectPage *self)
{
  SluiceGemResult *r = self->pipeline_view ? sluice_pipeline_view_get_shown_result (self->pipeline_view) : NULL;

  sluice_results_view_set_result (self->results_view, r);
  gtk_revealer_set_reveal_child (self->results_revealer, r != NULL);
}

/* A file dropped onto the canvas: a dataset of it, and a Source gem there. */
static void
file_dropped_cb (SluiceProjectPage  *self,
                 GFile              *file,
                 double              x,
                 double              y,
                 SluicePipelineView *view)
{
  _sluice_project_page_import_file (self, file, sluice_pipeline_view_get_pipeline (view), (int) x, (int) y);
}

/* Returns the stack page that shows it: the editor, or the details of a
 * pipeline that could not be loaded. */
static const char *
show_pipeline (SluiceProjectPage *self,
               SluicePipeline    *p)
{
  const GError *load_error = sluice_pipeline_get_load_error (p);

  if (load_error)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (load_error->message);

      gtk_box_append (self->detail_box, heading (sluice_pipeline_get_name (p), sluice_pipeline_get_description (p)));
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_add_css_class (box, "error");
      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "sluice-load-error");
      gtk_box_append (self->detail_box, box);
      return "detail";
    }

  /* The editor, with what the latest run gave for each gem. */
  self->pipeline_view = SLUICE_PIPELINE_VIEW (sluice_pipeline_view_new (p, sluice_project_get_datasets (self->project)));
  gtk_widget_set_vexpand (GTK_WIDGET (self->pipeline_view), TRUE);
  g_signal_connect_object (self->pipeline_view, "notify::shown-result", G_CALLBACK (show_result), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pipeline_view, "file-dropped", G_CALLBACK (file_dropped_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->pipeline_box, GTK_WIDGET (self->pipeline_view));
  _sluice_project_page_update_run (self);
  g_signal_emit (self, signals[PIPELINE_SHOWN], 0);
  return "pipeline";
}

static void
show_dataset (SluiceProjectPage *self,
              SluiceDataset     *d)
{
  self->dataset_view = SLUICE_DATASET_VIEW (sluice_dataset_view_new (self->project, d));
  gtk_box_append (self->detail_box, GTK_WIDGET (self->dataset_view));
}

static void
show_job (SluiceProjectPage *self,
          SluiceJob         *j)
{
  GApplication *app = g_application_get_default ();
  SluiceFabricSession *session = SLUICE_IS_APPLICATION (app)
                                 ? sluice_application_get_fabric_session (SLUICE_APPLICATION (app)) : NULL;

  self->job_view = SLUICE_JOB_VIEW (sluice_job_view_new (self->project, j, session));
  gtk_box_append (self->detail_box, GTK_WIDGET (self->job_view));
}

static void
row_selected_cb (SluiceProjectPage *self,
                 GtkListBoxRow     *row,
                 GtkListBox        *list)
{
  GtkListBox *lists[] = { self->pipelines_list, self->datasets_list, self->jobs_list };
  const char *page = "detail";
  gpointer item;

  if (self->disposed)
    return;

  if (row == NULL)
    {
      if (!self->selecting && !gtk_list_box_get_selected_row (self->pipelines_list) &&
          !gtk_list_box_get_selected_row (self->datasets_list) && !gtk_list_box_get_selected_row (self->jobs_list))
        gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }

  /* One selection across the three lists. */
  self->selecting = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (lists[i] != list)
      gtk_list_box_unselect_all (lists[i]);
  self->selecting = FALSE;

  clear_detail (self);
  item = g_object_get_data (G_OBJECT (row), "item");
  if (SLUICE_IS_PIPELINE (item))
    page = show_pipeline (self, item);
  else if (SLUICE_IS_DATASET (item))
    show_dataset (self, item);
  else if (SLUICE_IS_JOB (item))
    show_job (self, item);
  gtk_stack_set_visible_child_name (self->detail_stack, page);
  _sluice_project_page_update_run (self);
  _sluice_project_page_update_outline (self);
}

/* ---- problems ---- */

static GtkWidget *
create_problem_row (gpointer item,
                    gpointer user_data)
{
  SluiceDiagnostic *d = item;
  GtkWidget *row = adw_action_row_new ();
  gboolean error = sluice_diagnostic_get_severity (d) == SLUICE_SEVERITY_ERROR;
  GtkWidget *icon = gtk_image_new_from_icon_name (error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  g_autofree char *place = NULL;

  if (sluice_diagnostic_get_line (d) > 0)
    place = g_strdup_printf ("%s:%u:%u", sluice_diagnostic_get_file (d),
                             sluice_diagnostic_get_line (d), sluice_diagnostic_get_column (d));
  else
    place = g_strdup (sluice_diagnostic_get_file (d));

  gtk_widget_add_css_class (icon, error ? "error" : "warning");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sluice_diagnostic_get_message (d));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), place);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "diagnostic", g_object_ref (d), g_object_unref);
  return row;
}

static void
update_problems_title (SluiceProjectPage *self)
{
  guint n = self->project ? g_list_model_get_n_items (sluice_project_get_problems (self->project)) : 0;
  g_autofree char *title = n == 0 ? g_strdup (_("Problems"))
                                  : g_strdup_printf (_("Problems (%u)"), n);

  gtk_label_set_text (self->problems_title, title);
  g_signal_emit (self, signals[PROBLEMS_CHANGED], 0);
}

static void
problem_activated_cb (SluiceProjectPage *self,
                      GtkListBoxRow     *row)
{
  SluiceDiagnostic *d = g_object_get_data (G_OBJECT (row), "diagnostic");

  if (d)
    sluice_project_page_select_file (self, sluice_diagnostic_get_file (d));
}

gboolean
sluice_project_page_select_file (SluiceProjectPage *self,
                                 const char        *file)
{
  struct { const char *folder; GtkListBox *list; } kinds[] = {
    { "pipelines/", self->pipelines_list }, { "datasets/", self->datasets_list }, { "jobs/", self->jobs_list },
  };

  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), FALSE);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *name = NULL;
      GtkListBoxRow *row;

      if (!g_str_has_prefix (file, kinds[k].folder) || !g_str_has_suffix (file, ".json"))
        continue;
      name = g_strndup (file + strlen (kinds[k].folder), strlen (file) - strlen (kinds[k].folder) - 5);
      for (int i = 0; (row = gtk_list_box_get_row_at_index (kinds[k].list, i)); i++)
        {
          gpointer item = g_object_get_data (G_OBJECT (row), "item");
          const char *item_name = SLUICE_IS_PIPELINE (item) ? sluice_pipeline_get_name (item)
                                : SLUICE_IS_DATASET (item) ? sluice_dataset_get_name (item)
                                : sluice_job_get_name (item);
          if (g_strcmp0 (item_name, name) == 0)
            {
              gtk_list_box_select_row (kinds[k].list, row);
              gtk_widget_grab_focus (GTK_WIDGET (row));
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* ---- public ---- */

void
sluice_project_page_set_project (SluiceProjectPage *self,
                                 SluiceProject     *project)
{
  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  if (self->project)
    g_signal_handlers_disconnect_by_data (sluice_project_get_problems (self->project), self);
  g_set_object (&self->project, project);

  gtk_list_box_bind_model (self->pipelines_list, project ? sluice_project_get_pipelines (project) : NULL,
                           create_pipeline_row, self, NULL);
  gtk_list_box_bind_model (self->datasets_list, project ? sluice_project_get_datasets (project) : NULL,
                           create_dataset_row, self, NULL);
  gtk_list_box_bind_model (self->jobs_list, project ? sluice_project_get_jobs (project) : NULL,
                           create_job_row, self, NULL);
  gtk_list_box_bind_model (self->problems_list, project ? sluice_project_get_problems (project) : NULL,
                           create_problem_row, self, NULL);
  if (project)
    g_signal_connect_object (sluice_project_get_problems (project), "items-changed",
                             G_CALLBACK (update_problems_title), self, G_CONNECT_SWAPPED);

  clear_detail (self);
  _sluice_project_page_update_outline (self);
  _sluice_project_page_dispose_run (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "empty");
  update_problems_title (self);
  _sluice_project_page_update_run (self);

  /* Start on the first pipeline: the usual next step. */
  if (project && g_list_model_get_n_items (sluice_project_get_pipelines (project)) > 0)
    gtk_list_box_select_row (self->pipelines_list, gtk_list_box_get_row_at_index (self->pipelines_list, 0));

  /* Unsaved edits of a session that ended without saving them. */
  _sluice_project_page_set_project_drafts (self);
}

SluiceProject *
sluice_project_page_get_project (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->project;
}

void
sluice_project_page_set_settings (SluiceProjectPage *self,
                                  GSettings         *settings)
{
  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  g_set_object (&self->settings, settings);
  if (settings)
    g_settings_bind (settings, "sidebar-width", self->paned, "position", G_SETTINGS_BIND_DEFAULT);
}

GtkListBox *
sluice_project_page_get_list (SluiceProjectPage *self,
                              const char        *which)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);

  if (g_str_equal (which, "pipelines"))
    return self->pipelines_list;
  if (g_str_equal (which, "datasets"))
    return self->datasets_list;
  if (g_str_equal (which, "jobs"))
    return self->jobs_list;
  if (g_str_equal (which, "outline"))
    return self->outline_list;
  g_return_val_if_reached (NULL);
}

GtkListBox *
sluice_project_page_get_problems_list (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->problems_list;
}

static void
sluice_project_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOW_PROBLEMS:
      g_value_set_boolean (value, gtk_revealer_get_reveal_child (self->problems_revealer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_project_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SHOW_PROBLEMS:
      if (gtk_revealer_get_reveal_child (self->problems_revealer) != g_value_get_boolean (value))
        {
          gtk_revealer_set_reveal_child (self->problems_revealer, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_project_page_dispose (GObject *object)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (object);

  self->disposed = TRUE;
  if (self->project)
    g_signal_handlers_disconnect_by_data (sluice_project_get_problems (self->project), self);
  _sluice_project_page_dispose_run (self);
  _sluice_project_page_dispose_drafts (self);
  _sluice_project_page_dispose_datasets (self);
  if (self->dirty_source)
    g_signal_handlers_disconnect_by_func (self->dirty_source, _sluice_project_page_update_save, self);
  g_clear_object (&self->dirty_source);
  g_clear_object (&self->project);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sluice_project_page_parent_class)->dispose (object);
}

static void
sluice_project_page_class_init (SluiceProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_project_page_dispose;
  object_class->get_property = sluice_project_page_get_property;
  object_class->set_property = sluice_project_page_set_property;

  properties[PROP_SHOW_PROBLEMS] =
    g_param_spec_boolean ("show-problems", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROBLEMS_CHANGED] =
    g_signal_new ("problems-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DRAFT_WRITTEN] =
    g_signal_new ("draft-written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DRAFTS_RESTORED] =
    g_signal_new ("drafts-restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PIPELINE_SHOWN] =
    g_signal_new ("pipeline-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SLUICE_TYPE_RESULTS_VIEW);
  g_type_ensure (SLUICE_TYPE_DATASET_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-project-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, paned);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, pipelines_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, datasets_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, outline_box);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, outline_title);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, outline_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, pipeline_box);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, results_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, results_view);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, problems_title);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, problems_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, import_bar);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, import_spinner);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, import_error_icon);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, import_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceProjectPage, import_cancel);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, problem_activated_cb);

  _sluice_project_page_class_init_run (widget_class);
  _sluice_project_page_class_init_save (widget_class);
  _sluice_project_page_class_init_items (widget_class);
  _sluice_project_page_class_init_outline (widget_class);
  _sluice_project_page_class_init_datasets (widget_class);
}

static void
sluice_project_page_init (SluiceProjectPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  _sluice_project_page_init_run (self);
  _sluice_project_page_init_drafts (self);

  placeholder = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (placeholder), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (placeholder), _("No problems"));
  gtk_widget_add_css_class (placeholder, "compact");
  gtk_list_box_set_placeholder (self->problems_list, placeholder);
}

void
_sluice_project_page_emit_saved (SluiceProjectPage *self,
                                 const char        *name)
{
  g_signal_emit (self, signals[SAVED], 0, name);
}
