/* The project page's datasets: a new dataset from a file (the file chooser,
 * or a file dropped onto the window or the canvas), the import bar that
 * shows it being read, and page.open-pipeline for the dataset editor's
 * "Used by" list.
 *
 * A file inside the project is used where it is (a project-relative sample
 * path). A file outside is copied into the project's data/ folder, so that
 * the project stays whole for whoever clones it; the toast says so and
 * offers to keep the file where it is instead (a relative path beside the
 * project). Its location (required) starts as the same path, for the
 * analyst to point at the remote table or folder. Nothing is created when
 * the file cannot be read. */
#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sluice-inference.h"
#include "sluice-project-page-private.h"

#define IMPORT_MAX_ROWS 100000

void
_sluice_project_page_show_toast (SluiceProjectPage *self,
                                 AdwToast          *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

/* ---- the import bar ---- */

static void
bar_busy (SluiceProjectPage *self,
          const char        *text)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->import_bar), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), TRUE);
  gtk_spinner_set_spinning (self->import_spinner, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_error_icon), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_cancel), TRUE);
  gtk_label_set_text (self->import_label, text);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
}

static void
bar_error (SluiceProjectPage *self,
           const char        *text)
{
  gtk_widget_add_css_class (GTK_WIDGET (self->import_bar), "error");
  gtk_spinner_set_spinning (self->import_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_error_icon), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_cancel), FALSE);
  gtk_label_set_text (self->import_label, text);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
}

static void
bar_hide (SluiceProjectPage *self)
{
  gtk_spinner_set_spinning (self->import_spinner, FALSE);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
}

/* ---- names and paths ---- */

/* "Orders 2024 (final).csv" → "orders_2024_final", made unique. */
static char *
dataset_name_for (SluiceProject *project,
                  GFile         *file)
{
  g_autofree char *base = g_file_get_basename (file);
  char *dot = strrchr (base, '.');
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *stem = NULL;

  if (dot && dot != base)
    *dot = '\0';
  for (const char *p = base; *p; p++)
    {
      char c = g_ascii_tolower (*p);
      if (g_ascii_isalnum (c))
        g_string_append_c (s, c);
      else if (s->len > 0 && s->str[s->len - 1] != '_')
        g_string_append_c (s, '_');
    }
  while (s->len > 0 && s->str[s->len - 1] == '_')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_assign (s, "dataset");
  else if (g_ascii_isdigit (s->str[0]))
    g_string_prepend (s, "d_");
  if (s->len > 56)
    g_string_truncate (s, 56);
  stem = g_string_free (g_steal_pointer (&s), FALSE);
  g_assert (sluice_project_name_is_valid (stem));
  if (!sluice_project_find_dataset (project, stem))
    return g_steal_pointer (&stem);
  for (guint i = 2;; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s_%u", stem, i);
      if (!sluice_project_find_dataset (project, name))
        return g_steal_pointer (&name);
    }
}

/* A path from @dir to @file with "..", for a file beside the project. */
static char *
relative_path (GFile *dir,
               GFile *file)
{
  g_autoptr(GFile) up = g_object_ref (dir);
  g_autoptr(GString) s = g_string_new (NULL);
  char *below;

  while (up && !(below = g_file_get_relative_path (up, file)))
    {
      GFile *parent = g_file_get_parent (up);
      g_string_append (s, "../");
      g_object_unref (up);
      up = parent;
    }
  if (up == NULL)
    return NULL;
  g_string_append (s, below);
  g_free (below);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* data/NAME, or data/STEM_2.EXT when that is taken. (transfer full) */
static GFile *
free_copy_target (GFile *data_dir,
                  GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
  const char *ext = dot && dot != base ? dot : "";
  GFile *target = g_file_get_child (data_dir, base);

  for (guint i = 2; g_file_query_exists (target, NULL); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s_%u%s", stem, i, ext);
      g_object_unref (target);
      target = g_file_get_child (data_dir, name);
    }
  return target;
}

/* ---- importing ---- */

typedef struct
{
  SluiceProjectPage *self;         /* owned */
  SluiceProject     *project;      /* owned: the one it was started for */
  GFile             *file;         /* owned: what was dropped or chosen */
  GFile             *copy;         /* owned, nullable: its copy in data/ */
  SluicePipeline    *pipeline;     /* owned, nullable: where the Source gem goes */
  int                x, y;         /* the gem's position in the model */
  char              *name;         /* owned */
  GCancellable      *cancellable;  /* owned */
  SluiceInference   *inference;    /* owned, nullable */
} Import;

static void
import_free (Import *im)
{
  g_object_unref (im->self);
  g_object_unref (im->project);
  g_object_unref (im->file);
  g_clear_object (&im->copy);
  g_clear_object (&im->pipeline);
  g_free (im->name);
  g_object_unref (im->cancellable);
  g_clear_object (&im->inference);
  g_free (im);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Import, import_free)

/* Still the import the page waits for (not cancelled, same project)? */
static gboolean
import_current (Import *im)
{
  return !im->self->disposed && im->self->project == im->project && im->self->import_cancellable == im->cancellable;
}

static void
import_failed (Import     *im,
               const char *message)
{
  g_autofree char *base = g_file_get_basename (im->file);
  g_autofree char *text = g_strdup_printf (_("“%s” was not added: %s"), base, message);

  if (im->copy)
    g_file_delete (im->copy, NULL, NULL);
  if (!import_current (im) || g_cancellable_is_cancelled (im->cancellable))
    return;
  g_clear_object (&im->self->import_cancellable);
  bar_error (im->self, text);
}

/* The copy's toast button: use the file where it is, beside the project. */
typedef struct
{
  SluiceProject *project;  /* owned */
  char          *name;     /* owned: the dataset */
  char          *relative; /* owned: the original's path from the project */
  GFile         *copy;     /* owned */
} KeepOutside;

static void
keep_outside_free (gpointer  data,
                   GClosure *closure)
{
  KeepOutside *k = data;
  g_object_unref (k->project);
  g_free (k->name);
  g_free (k->relative);
  g_object_unref (k->copy);
  g_free (k);
}

static void
keep_outside_cb (AdwToast    *toast,
                 KeepOutside *k)
{
  SluiceDataset *d = sluice_project_find_dataset (k->project, k->name);
  g_autoptr(GError) error = NULL;

  if (d == NULL)
    return;
  sluice_dataset_set_sample (d, k->relative);
  if (sluice_project_save_dataset (k->project, d, &error))
    g_file_delete (k->copy, NULL, NULL);
  else
    g_warning ("%s", error->message);
}

static void
add_source_gem (Import *im)
{
  SluiceProjectPage *self = im->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);
  g_autofree char *id = NULL;
  SluiceGem *gem;
  gboolean ok;

  json_node_set_string (value, im->name);
  sluice_pipeline_begin_group (im->pipeline, _("Add Source"));
  gem = sluice_pipeline_add_gem (im->pipeline, "Source", im->name, im->x, im->y, &error);
  if (gem)
    id = g_strdup (sluice_gem_get_id (gem));
  ok = gem && sluice_pipeline_set_config (im->pipeline, id, "dataset", value, &error);
  sluice_pipeline_end_group (im->pipeline);
  if (!ok)
    {
      if (gem)
        sluice_pipeline_undo (im->pipeline);
      _sluice_project_page_show_toast (self, adw_toast_new (error->message));
      return;
    }
  if (self->pipeline_view && sluice_pipeline_view_get_pipeline (self->pipeline_view) == im->pipeline)
    {
      SluiceCanvas *canvas = sluice_pipeline_view_get_canvas (self->pipeline_view);
      sluice_canvas_set_selection (canvas, (const char * const[]) { id, NULL });
      gtk_widget_grab_focus (GTK_WIDGET (canvas));
    }
}

static void
import_finish (Import     *im,
               const char *sample)
{
  SluiceProjectPage *self = im->self;
  g_autoptr(SluiceDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_file_get_basename (im->file);
  g_autofree char *text = NULL;
  AdwToast *toast;

  /* A name taken meanwhile: the next free one. */
  if (sluice_project_find_dataset (im->project, im->name))
    {
      g_free (im->name);
      im->name = dataset_name_for (im->project, im->file);
    }
  dataset = sluice_inference_to_dataset (im->inference, im->name, sample);
  /* A location is required: until the analyst says where the table lives
   * on a remote fabric, the file's own path (what Spark reads from the
   * project's folder). The editor has it to change. */
  sluice_dataset_set_location (dataset, sample);
  if (!sluice_project_add_dataset (im->project, dataset, &error))
    {
      import_failed (im, error->message);
      return;
    }
  g_clear_object (&self->import_cancellable);
  bar_hide (self);

  if (im->copy)
    text = g_strdup_printf (_("Added dataset %s; %s was copied into the project as %s"), im->name, base, sample);
  else
    text = g_strdup_printf (_("Added dataset %s, reading %s"), im->name, sample);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 8);
  if (im->copy)
    {
      KeepOutside *k = g_new0 (KeepOutside, 1);
      k->project = g_object_ref (im->project);
      k->name = g_strdup (im->name);
      k->relative = relative_path (sluice_project_get_directory (im->project), im->file);
      k->copy = g_object_ref (im->copy);
      if (k->relative)
        {
          adw_toast_set_button_label (toast, _("Use the _Original"));
          g_signal_connect_data (toast, "button-clicked", G_CALLBACK (keep_outside_cb), k, keep_outside_free, 0);
        }
      else
        keep_outside_free (k, NULL);
    }
  _sluice_project_page_show_toast (self, toast);

  if (im->pipeline)
    add_source_gem (im);
  else
    {
      g_autofree char *file = g_strdup_printf ("datasets/%s.json", im->name);
      sluice_project_page_select_file (self, file);
    }
}

static void
copied_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Import) im = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;

  if (!g_file_copy_finish (G_FILE (source), result, &error))
    {
      /* A file that appeared there meanwhile is not ours to delete. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        g_clear_object (&im->copy);
      import_failed (im, error->message);
      return;
    }
  if (!import_current (im))
    {
      g_file_delete (im->copy, NULL, NULL);
      return;
    }
  sample = g_file_get_relative_path (sluice_project_get_directory (im->project), im->copy);
  import_finish (im, sample);
}

static void
inferred_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Import) im = user_data;
  g_autoptr(GError) error = NULL;
  GFile *dir = sluice_project_get_directory (im->project);
  g_autofree char *inside = NULL;
  g_autoptr(GFile) data_dir = NULL;

  im->inference = sluice_inference_run_finish (result, &error);
  if (im->inference == NULL)
    {
      import_failed (im, error->message);
      return;
    }
  if (!import_current (im))
    return;

  /* Inside the project: used where it is. */
  if ((inside = g_file_get_relative_path (dir, im->file)))
    {
      import_finish (im, inside);
      return;
    }
  /* Outside: a copy in data/. */
  data_dir = g_file_get_child (dir, "data");
  if (!g_file_make_directory_with_parents (data_dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      import_failed (im, error->message);
      return;
    }
  im->copy = free_copy_target (data_dir, im->file);
  {
    g_autofree char *base = g_file_get_basename (im->file);
    g_autofree char *text = g_strdup_printf (_("Copying %s into the project…"), base);
    bar_busy (im->self, text);
  }
  g_file_copy_async (im->file, im->copy, G_FILE_COPY_NONE, G_PRIORITY_DEFAULT, im->cancellable, NULL, NULL,
                     copied_cb, im);
  im = NULL;
}

void
_sluice_project_page_import_file (SluiceProjectPage *self,
                                  GFile             *file,
                                  SluicePipeline    *pipeline,
                                  int                x,
                                  int                y)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *base = g_file_get_basename (file);
  g_autofree char *text = NULL;
  Import *im;

  if (self->project == NULL)
    return;
  if (path == NULL || g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a local file Sluice can read"), uri);
      bar_error (self, message);
      return;
    }

  /* One import at a time: a new one replaces the one running. */
  if (self->import_cancellable)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  self->import_cancellable = g_cancellable_new ();

  im = g_new0 (Import, 1);
  im->self = g_object_ref (self);
  im->project = g_object_ref (self->project);
  im->file = g_object_ref (file);
  im->pipeline = pipeline ? g_object_ref (pipeline) : NULL;
  im->x = x;
  im->y = y;
  im->name = dataset_name_for (self->project, file);
  im->cancellable = g_object_ref (self->import_cancellable);

  text = g_strdup_printf (_("Reading %s…"), base);
  bar_busy (self, text);
  sluice_inference_run_async (path, NULL, NULL, IMPORT_MAX_ROWS, im->cancellable, inferred_cb, im);
}

void
sluice_project_page_import_file (SluiceProjectPage *self,
                                 GFile             *file)
{
  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  _sluice_project_page_import_file (self, file, NULL, 0, 0);
}

SluiceDatasetView *
sluice_project_page_get_dataset_view (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->dataset_view;
}

/* ---- actions ---- */

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     SluiceProjectPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file)
        sluice_project_page_import_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
new_dataset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) data = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->project == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("New Dataset from a File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (data, _("CSV and JSON lines"));
  gtk_file_filter_add_suffix (data, "csv");
  gtk_file_filter_add_suffix (data, "tsv");
  gtk_file_filter_add_suffix (data, "jsonl");
  gtk_file_filter_add_suffix (data, "ndjson");
  gtk_file_filter_add_suffix (data, "json");
  gtk_file_filter_add_mime_type (data, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), data);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  {
    g_autoptr(GFile) data_dir = g_file_get_child (sluice_project_get_directory (self->project), "data");
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser),
                                         g_file_query_exists (data_dir, NULL) ? data_dir
                                                                              : sluice_project_get_directory (self->project),
                                         NULL);
  }
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);

  if (self->import_cancellable)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  bar_hide (self);
}

static void
dismiss_import_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);

  if (self->import_cancellable == NULL)
    bar_hide (self);
}

static void
open_pipeline_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_autofree char *file = g_strdup_printf ("pipelines/%s.json", g_variant_get_string (parameter, NULL));

  sluice_project_page_select_file (SLUICE_PROJECT_PAGE (widget), file);
}

void
_sluice_project_page_class_init_datasets (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.new-dataset", NULL, new_dataset_action);
  gtk_widget_class_install_action (widget_class, "page.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "page.dismiss-import", NULL, dismiss_import_action);
  gtk_widget_class_install_action (widget_class, "page.open-pipeline", "s", open_pipeline_action);
}

void
_sluice_project_page_dispose_datasets (SluiceProjectPage *self)
{
  if (self->import_cancellable)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
}

SluiceJobView *
sluice_project_page_get_job_view (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->job_view;
}
