#define G_LOG_DOMAIN "sluice-conflict-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-atomic-file.h"
#include "sluice-conflict-dialog.h"
#include "sluice-pipeline-merge.h"
#include "sluice-pipeline-resolve.h"

struct _SluiceConflictDialog
{
  AdwWindow          parent_instance;

  /* template children */
  AdwWindowTitle    *title;
  GtkLabel          *error_label;
  AdwPreferencesPage *page;

  SluiceRepository  *repository;   /* owned */
  char              *path;         /* project-relative */
  GBytes            *bytes;        /* owned, nullable: the file as read */
  GPtrArray         *conflicts;    /* owned, nullable: SluicePipelineConflict */
  GPtrArray         *theirs_buttons; /* borrowed GtkToggleButton, one per conflict */
  GPtrArray         *ours_buttons;
  char              *error;
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (SluiceConflictDialog, sluice_conflict_dialog, ADW_TYPE_WINDOW)

enum { RESOLVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_error (SluiceConflictDialog *self,
           const char           *sentence)
{
  g_free (self->error);
  self->error = g_strdup (sentence);
  gtk_label_set_label (self->error_label, sentence ? sentence : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), sentence != NULL);
}

static void
update_actions (SluiceConflictDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "conflict.resolve",
                                 !self->busy && self->conflicts != NULL && self->conflicts->len > 0);
}

static char *
value_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup (_("(absent: removed on this side)"));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, TRUE);
}

static char *
conflict_title (SluicePipelineConflict *c)
{
  if (c->gem_id && *c->path == '\0')
    return g_strdup_printf (_("Gem “%s”: removed on one side, changed on the other"), c->gem_id);
  if (c->gem_id)
    return g_strdup_printf (_("Gem “%s”: %s"), c->gem_id, c->path);
  if (g_str_has_prefix (c->path, "edges:"))
    return g_strdup_printf (_("The wire into %s"), c->path + strlen ("edges:"));
  return g_strdup_printf (_("Pipeline: %s"), c->path);
}

static GtkWidget *
side_button (const char *caption,
             JsonNode   *value)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *heading = gtk_label_new (caption);
  g_autofree char *text = value_text (value);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_hexpand (button, TRUE);
  return button;
}

static void
fill (SluiceConflictDialog *self)
{
  for (guint i = 0; i < self->conflicts->len; i++)
    {
      SluicePipelineConflict *c = g_ptr_array_index (self->conflicts, i);
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *ours = side_button (_("Ours (this branch)"), c->ours);
      GtkWidget *theirs = side_button (_("Theirs (incoming)"), c->theirs);
      g_autofree char *title = conflict_title (c);
      g_autofree char *base = value_text (c->base);
      g_autofree char *before = c->base ? g_strdup_printf (_("Before both changes: %s"), base)
                                        : g_strdup (_("Before both changes: absent"));

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), before);
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (theirs), GTK_TOGGLE_BUTTON (ours));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ours), TRUE);
      gtk_box_set_homogeneous (GTK_BOX (sides), TRUE);
      gtk_box_append (GTK_BOX (sides), ours);
      gtk_box_append (GTK_BOX (sides), theirs);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), sides);
      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->ours_buttons, ours);
      g_ptr_array_add (self->theirs_buttons, theirs);
    }
}

/* ---- reading ---- */

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SluiceConflictDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);

  self->busy = FALSE;
  if (bytes == NULL)
    {
      set_error (self, error->message);
      update_actions (self);
      return;
    }
  self->conflicts = sluice_pipeline_read_conflicts (self->path, bytes, &error);
  if (self->conflicts == NULL)
    set_error (self, error->message);
  else if (self->conflicts->len == 0)
    set_error (self, _("This file has no merge conflicts left: stage it to mark it resolved."));
  else
    {
      self->bytes = g_steal_pointer (&bytes);
      fill (self);
    }
  update_actions (self);
}

/* ---- resolving ---- */

typedef struct
{
  char     *file;      /* absolute */
  char     *path;      /* relative */
  GBytes   *bytes;
  gboolean *choices;
  guint     n;
} ResolveJob;

static void
resolve_job_free (ResolveJob *job)
{
  g_free (job->file);
  g_free (job->path);
  g_bytes_unref (job->bytes);
  g_free (job->choices);
  g_free (job);
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ResolveJob *job = task_data;
  g_autoptr(GBytes) resolved = NULL;
  GError *error = NULL;

  resolved = sluice_pipeline_resolve_conflicts (job->path, job->bytes, job->choices, job->n, &error);
  if (resolved == NULL || !sluice_atomic_write (job->file, resolved, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
staged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SluiceConflictDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  update_actions (self);
  if (!sluice_repository_stage_finish (SLUICE_REPOSITORY (source), result, &error))
    {
      set_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[RESOLVED], 0, self->path);
  gtk_window_close (GTK_WINDOW (self));
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SluiceConflictDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { self->path, NULL };

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->busy = FALSE;
      update_actions (self);
      set_error (self, error->message);
      return;
    }
  sluice_repository_stage_async (self->repository, paths, NULL, staged_cb, g_object_ref (self));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SluiceConflictDialog *self = SLUICE_CONFLICT_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  ResolveJob *job;

  if (self->busy || self->bytes == NULL)
    return;
  job = g_new0 (ResolveJob, 1);
  job->file = g_build_filename (sluice_repository_get_workdir (self->repository), self->path, NULL);
  job->path = g_strdup (self->path);
  job->bytes = g_bytes_ref (self->bytes);
  job->n = self->conflicts->len;
  job->choices = g_new0 (gboolean, job->n);
  for (guint i = 0; i < job->n; i++)
    job->choices[i] = gtk_toggle_button_get_active (g_ptr_array_index (self->theirs_buttons, i));
  self->busy = TRUE;
  set_error (self, NULL);
  update_actions (self);
  task = g_task_new (NULL, NULL, written_cb, g_object_ref (self));
  g_task_set_source_tag (task, resolve_action);
  g_task_set_task_data (task, job, (GDestroyNotify) resolve_job_free);
  g_task_run_in_thread (task, resolve_thread);
}

/* ---- GObject ---- */

static void
sluice_conflict_dialog_dispose (GObject *object)
{
  SluiceConflictDialog *self = SLUICE_CONFLICT_DIALOG (object);

  g_clear_object (&self->repository);

  G_OBJECT_CLASS (sluice_conflict_dialog_parent_class)->dispose (object);
}

static void
sluice_conflict_dialog_finalize (GObject *object)
{
  SluiceConflictDialog *self = SLUICE_CONFLICT_DIALOG (object);

  g_free (self->path);
  g_free (self->error);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_ptr_array_unref (self->ours_buttons);
  g_ptr_array_unref (self->theirs_buttons);

  G_OBJECT_CLASS (sluice_conflict_dialog_parent_class)->finalize (object);
}

static void
sluice_conflict_dialog_class_init (SluiceConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_conflict_dialog_dispose;
  object_class->finalize = sluice_conflict_dialog_finalize;

  signals[RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceConflictDialog, title);
  gtk_widget_class_bind_template_child (widget_class, SluiceConflictDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceConflictDialog, page);
  gtk_widget_class_install_action (widget_class, "conflict.resolve", NULL, resolve_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sluice_conflict_dialog_init (SluiceConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->ours_buttons = g_ptr_array_new ();
  self->theirs_buttons = g_ptr_array_new ();
  update_actions (self);
}

SluiceConflictDialog *
sluice_conflict_dialog_new (GtkWindow        *parent,
                            SluiceRepository *repository,
                            const char       *path)
{
  SluiceConflictDialog *self;
  g_autofree char *full = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (SLUICE_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_CONFLICT_DIALOG, "transient-for", parent, NULL);
  self->repository = g_object_ref (repository);
  self->path = g_strdup (path);
  adw_window_title_set_subtitle (self->title, path);
  full = g_build_filename (sluice_repository_get_workdir (repository), path, NULL);
  file = g_file_new_for_path (full);
  self->busy = TRUE;
  g_file_load_bytes_async (file, NULL, loaded_cb, g_object_ref (self));
  return self;
}

guint
sluice_conflict_dialog_get_n_conflicts (SluiceConflictDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_CONFLICT_DIALOG (self), 0);
  return self->conflicts ? self->conflicts->len : 0;
}

void
sluice_conflict_dialog_choose (SluiceConflictDialog *self,
                               guint                 index,
                               gboolean              theirs)
{
  g_return_if_fail (SLUICE_IS_CONFLICT_DIALOG (self));
  g_return_if_fail (index < self->theirs_buttons->len);

  gtk_toggle_button_set_active (g_ptr_array_index (theirs ? self->theirs_buttons : self->ours_buttons, index), TRUE);
}

const char *
sluice_conflict_dialog_get_error (SluiceConflictDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_CONFLICT_DIALOG (self), NULL);
  return self->error;
}

gboolean
sluice_conflict_dialog_get_busy (SluiceConflictDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_CONFLICT_DIALOG (self), FALSE);
  return self->busy;
}
