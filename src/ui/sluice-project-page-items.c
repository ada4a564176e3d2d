/* The project page's sidebar management: new pipeline, and rename and
 * delete (with undo) of pipelines, datasets and jobs, as page.* actions
 * that the rows' context menu, the "+" button and F2 activate. */
#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sluice-code-writer.h"
#include "sluice-job-request.h"
#include "sluice-project-page-private.h"

static const char * const kind_names[] = { "pipeline", "dataset", "job" };

static gboolean
kind_from_string (const char     *s,
                  SluiceItemKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (s, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static const char *
item_name_of (gpointer item)
{
  if (SLUICE_IS_PIPELINE (item))
    return sluice_pipeline_get_name (item);
  if (SLUICE_IS_DATASET (item))
    return sluice_dataset_get_name (item);
  return sluice_job_get_name (item);
}

static SluiceItemKind
kind_of (gpointer item)
{
  return SLUICE_IS_PIPELINE (item) ? SLUICE_ITEM_PIPELINE
       : SLUICE_IS_DATASET (item) ? SLUICE_ITEM_DATASET : SLUICE_ITEM_JOB;
}

static void
show_toast (SluiceProjectPage *self,
            AdwToast          *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
select_item (SluiceProjectPage *self,
             SluiceItemKind     kind,
             const char        *name)
{
  static const char * const folders[] = { "pipelines", "datasets", "jobs" };
  g_autofree char *file = g_strdup_printf ("%s/%s.json", folders[kind], name);

  sluice_project_page_select_file (self, file);
}

/* ---- the name dialog (new, rename) ---- */

typedef struct
{
  SluiceProjectPage *self;      /* owned */
  SluiceItemKind     kind;
  char              *old_name;  /* owned, nullable: NULL for a new pipeline */
  GtkEditable       *entry;     /* borrowed: the dialog's */
} NameDialog;

static void
name_dialog_free (NameDialog *nd)
{
  g_object_unref (nd->self);
  g_free (nd->old_name);
  g_free (nd);
}

static const char *
name_problem (NameDialog *nd,
              const char *name)
{
  if (*name == '\0' || g_strcmp0 (name, nd->old_name) == 0)
    return "";
  if (!sluice_project_name_is_valid (name))
    return _("Use lower-case letters, digits and underscores, starting with a letter.");
  if (nd->self->project && sluice_project_find_item (nd->self->project, nd->kind, name))
    return _("That name is taken.");
  return NULL;
}

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  NameDialog *nd = g_object_get_data (G_OBJECT (dialog), "name-dialog");
  const char *problem = name_problem (nd, gtk_editable_get_text (entry));

  adw_message_dialog_set_response_enabled (dialog, "ok", problem == NULL);
  if (problem && *problem)
    {
      adw_message_dialog_set_body (dialog, problem);
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
    }
  else
    {
      adw_message_dialog_set_body (dialog, "");
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
    }
}

typedef struct
{
  char       *project_dir;
  char       *old_name;
  char       *new_name;
  GHashTable *files;  /* nullable: the new name's code, when it can be made */
} MoveCode;

static void
move_code_free (MoveCode *m)
{
  g_free (m->project_dir);
  g_free (m->old_name);
  g_free (m->new_name);
  g_clear_pointer (&m->files, g_hash_table_unref);
  g_free (m);
}

static void
move_code_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  MoveCode *m = task_data;
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *package = g_build_filename (m->project_dir, "code", "pyspark", m->old_name, NULL);
  g_autofree char *spark = NULL;
  g_autofree char *snowflake = NULL;
  g_autofree char *sql = g_strconcat (m->old_name, ".sql", NULL);
  guint written, removed;

  /* The old name's generated files go (never a user's own file)… */
  if (!sluice_code_write_pipeline (m->project_dir, m->old_name, none, &written, &removed, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_rmdir (package);
  spark = g_build_filename (m->project_dir, "code", "sql", "spark", sql, NULL);
  snowflake = g_build_filename (m->project_dir, "code", "sql", "snowflake", sql, NULL);
  if (sluice_code_file_is_generated (spark))
    g_unlink (spark);
  if (sluice_code_file_is_generated (snowflake))
    g_unlink (snowflake);

  /* … and the new name's come. */
  if (m->files && !sluice_code_write_pipeline (m->project_dir, m->new_name, m->files, &written, &removed, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
code_moved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SluiceProjectPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) && !self->disposed)
    {
      g_autofree char *text = g_strdup_printf (_("Renamed, but the generated code could not be moved: %s"),
                                               error->message);
      show_toast (self, adw_toast_new (text));
    }
}

/* The jobs' generated requests after a rename, delete or undo: a job's
 * request names its pipelines, and a job gone has none. Small files,
 * written here. @gone: (nullable) a job whose request goes. */
static void
refresh_job_code (SluiceProjectPage *self,
                  const char        *gone)
{
  g_autofree char *dir = g_file_get_path (sluice_project_get_directory (self->project));
  GListModel *jobs = sluice_project_get_jobs (self->project);
  g_autoptr(GError) error = NULL;

  if (gone && !sluice_code_write_job (dir, gone, NULL, &error))
    g_warning ("%s", error->message);
  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(SluiceJob) job = g_list_model_get_item (jobs, i);
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) files = sluice_project_get_n_errors (self->project) == 0
                                    ? sluice_code_files_for_job (self->project, job, problems) : NULL;

      g_clear_error (&error);
      if (!sluice_code_write_job (dir, sluice_job_get_name (job), files, &error))
        {
          g_autofree char *text = g_strdup_printf (_("The job request could not be written: %s"), error->message);
          show_toast (self, adw_toast_new (text));
          return;
        }
    }
}

static void
rename_item (SluiceProjectPage *self,
             SluiceItemKind     kind,
             const char        *old_name,
             const char        *new_name)
{
  g_autoptr(GError) error = NULL;
  gpointer item;

  if (!(item = sluice_project_rename_item (self->project, kind, old_name, new_name, &error)))
    {
      show_toast (self, adw_toast_new (error->message));
      return;
    }
  select_item (self, kind, new_name);
  refresh_job_code (self, kind == SLUICE_ITEM_JOB ? old_name : NULL);

  if (kind == SLUICE_ITEM_PIPELINE)
    {
      g_autoptr(GTask) task = NULL;
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      MoveCode *m = g_new0 (MoveCode, 1);

      m->project_dir = g_file_get_path (sluice_project_get_directory (self->project));
      m->old_name = g_strdup (old_name);
      m->new_name = g_strdup (new_name);
      if (sluice_pipeline_get_load_error (item) == NULL)
        m->files = sluice_code_files_for_pipeline (self->project, item, NULL, problems);
      task = g_task_new (NULL, NULL, code_moved_cb, g_object_ref (self));
      g_task_set_source_tag (task, rename_item);
      g_task_set_task_data (task, m, (GDestroyNotify) move_code_free);
      g_task_run_in_thread (task, move_code_thread);
      return;
    }
}

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  NameDialog       *nd)
{
  SluiceProjectPage *self = nd->self;
  const char *name = gtk_editable_get_text (nd->entry);
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_func (dialog, name_response_cb, nd);
  if (!g_str_equal (response, "ok") || self->project == NULL || name_problem (nd, name) != NULL)
    return;

  if (nd->old_name == NULL)
    {
      if (!sluice_project_add_pipeline (self->project, name, &error))
        show_toast (self, adw_toast_new (error->message));
      else
        select_item (self, SLUICE_ITEM_PIPELINE, name);
      return;
    }
  rename_item (self, nd->kind, nd->old_name, name);
}

static void
ask_name (SluiceProjectPage *self,
          SluiceItemKind     kind,
          const char        *old_name)
{
  static const char * const rename_titles[] = {
    N_("Rename Pipeline"), N_("Rename Dataset"), N_("Rename Job"),
  };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();
  NameDialog *nd = g_new0 (NameDialog, 1);

  nd->self = g_object_ref (self);
  nd->kind = kind;
  nd->old_name = g_strdup (old_name);
  nd->entry = GTK_EDITABLE (entry);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   old_name ? _(rename_titles[kind]) : _("New Pipeline"), "");
  g_object_set_data_full (G_OBJECT (dialog), "name-dialog", nd, (GDestroyNotify) name_dialog_free);
  if (old_name)
    gtk_editable_set_text (GTK_EDITABLE (entry), old_name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", old_name ? _("_Rename") : _("C_reate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "ok", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (name_response_cb), nd);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- delete, with undo ---- */

typedef struct
{
  SluiceProjectPage *self;  /* owned */
  SluiceItemKind     kind;
  char              *name;  /* owned */
  GBytes            *bytes; /* owned: the file as it was */
  GBytes            *unsaved; /* owned, nullable: a pipeline's unsaved text */
  GHashTable        *code;  /* owned, nullable: a pipeline's generated files, path → text */
} Deleted;

static void
deleted_free (gpointer data,
              GClosure *closure)
{
  Deleted *d = data;
  g_object_unref (d->self);
  g_free (d->name);
  g_bytes_unref (d->bytes);
  g_clear_pointer (&d->unsaved, g_bytes_unref);
  g_clear_pointer (&d->code, g_hash_table_unref);
  g_free (d);
}

static void
undo_delete_cb (AdwToast *toast,
                Deleted  *d)
{
  g_autoptr(GError) error = NULL;
  gpointer item;

  if (d->self->project == NULL)
    return;
  if (!(item = sluice_project_restore_item (d->self->project, d->kind, d->name, d->bytes, &error)))
    {
      show_toast (d->self, adw_toast_new (error->message));
      return;
    }
  refresh_job_code (d->self, NULL);
  /* The unsaved edits come back too, still unsaved (and undoable). */
  if (d->unsaved && SLUICE_IS_PIPELINE (item))
    {
      g_autoptr(SluicePipeline) edited =
        sluice_pipeline_load_from_bytes (d->name, sluice_pipeline_get_file (item), d->unsaved, NULL, NULL);
      if (edited)
        sluice_pipeline_replace_contents (item, edited, _("Restore Unsaved Changes"), NULL);
    }
  /* Its generated code comes back as it was. */
  if (d->code && g_hash_table_size (d->code) > 0)
    {
      g_autofree char *dir = g_file_get_path (sluice_project_get_directory (d->self->project));
      guint written, removed;

      if (!sluice_code_write_pipeline (dir, d->name, d->code, &written, &removed, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Restored, but the generated code could not be written back: %s"),
                                                   error->message);
          show_toast (d->self, adw_toast_new (text));
        }
    }
  select_item (d->self, d->kind, d->name);
}

static void
delete_item (SluiceProjectPage *self,
             SluiceItemKind     kind,
             const char        *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gpointer item = sluice_project_find_item (self->project, kind, name);
  g_autoptr(GBytes) unsaved = NULL;
  g_autoptr(GHashTable) code = NULL;
  AdwToast *toast;
  Deleted *d;

  if (item == NULL)
    return;
  /* Its unsaved edits go with it (undo brings them back too). */
  if (SLUICE_IS_PIPELINE (item) && sluice_pipeline_get_load_error (item) == NULL)
    {
      if (sluice_pipeline_get_dirty (item))
        unsaved = sluice_pipeline_to_bytes (item);
      _sluice_project_page_forget_draft (self, item);
    }
  if (!(bytes = sluice_project_remove_item (self->project, kind, name, &error)))
    {
      show_toast (self, adw_toast_new (error->message));
      return;
    }
  /* Its generated code goes with it: a handful of small files, removed
   * here so that an undo right after finds them gone. */
  if (kind == SLUICE_ITEM_PIPELINE)
    {
      g_autofree char *dir = g_file_get_path (sluice_project_get_directory (self->project));

      if (!(code = sluice_code_remove_pipeline (dir, name, &error)))
        {
          g_autofree char *message = g_strdup_printf (_("Deleted %s, but its generated code could not be removed: %s"),
                                                      name, error->message);
          show_toast (self, adw_toast_new (message));
          g_clear_error (&error);
        }
    }
  refresh_job_code (self, kind == SLUICE_ITEM_JOB ? name : NULL);

  text = g_strdup_printf (_("Deleted %s"), name);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  d = g_new0 (Deleted, 1);
  d->self = g_object_ref (self);
  d->kind = kind;
  d->name = g_strdup (name);
  d->bytes = g_steal_pointer (&bytes);
  d->unsaved = g_steal_pointer (&unsaved);
  d->code = g_steal_pointer (&code);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_delete_cb), d, deleted_free, 0);
  show_toast (self, toast);
}

/* ---- actions ---- */

static gboolean
parse_target (GVariant       *parameter,
              SluiceItemKind *kind,
              const char    **name)
{
  const char *kind_name;

  g_variant_get (parameter, "(&s&s)", &kind_name, name);
  return kind_from_string (kind_name, kind);
}

static void
new_pipeline_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);

  if (self->project)
    ask_name (self, SLUICE_ITEM_PIPELINE, NULL);
}

static void
rename_item_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);
  SluiceItemKind kind;
  const char *name;

  if (self->project && parse_target (parameter, &kind, &name) && sluice_project_find_item (self->project, kind, name))
    ask_name (self, kind, name);
}

static void
confirm_delete_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   SluiceProjectPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "dataset");

  if (g_str_equal (response, "delete") && self->project && !self->disposed)
    delete_item (self, SLUICE_ITEM_DATASET, name);
}

/* A dataset that pipelines read or write: say which, before it goes. */
static void
confirm_delete_dataset (SluiceProjectPage  *self,
                        const char         *name,
                        char              **users)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Delete Dataset “%s”?"), name);
  g_autofree char *list = g_strjoinv (", ", users);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (g_strv_length (users) == 1
                          ? _("It is used by the pipeline %s, whose gems will then name a missing dataset.")
                          : _("It is used by the pipelines %s, whose gems will then name a missing dataset."),
                          list);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  g_object_set_data_full (G_OBJECT (dialog), "dataset", g_strdup (name), g_free);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_delete_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_item_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);
  SluiceItemKind kind;
  const char *name;

  if (!self->project || !parse_target (parameter, &kind, &name))
    return;
  if (kind == SLUICE_ITEM_DATASET)
    {
      g_auto(GStrv) users = sluice_dataset_view_find_users (self->project, name);

      if (users[0])
        {
          confirm_delete_dataset (self, name, users);
          return;
        }
    }
  delete_item (self, kind, name);
}

static gpointer
selected_item (SluiceProjectPage *self)
{
  GtkListBox *lists[] = { self->pipelines_list, self->datasets_list, self->jobs_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (lists[i]);
      if (row)
        return g_object_get_data (G_OBJECT (row), "item");
    }
  return NULL;
}

static void
rename_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);
  gpointer item = selected_item (self);

  if (self->project && item)
    ask_name (self, kind_of (item), item_name_of (item));
}

/* ---- the rows' context menu ---- */

static void
menu_closed_cb (GtkPopover *popover)
{
  /* After the menu's action ran: unparent in an idle. */
  g_idle_add_once ((GSourceOnceFunc) gtk_widget_unparent, popover);
}

static void
popup_menu (GtkWidget *row,
            double     x,
            double     y)
{
  gpointer item = g_object_get_data (G_OBJECT (row), "item");
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = NULL;
  g_autoptr(GMenuItem) delete = NULL;
  GVariant *target;
  GtkWidget *popover;

  if (item == NULL)
    return;
  target = g_variant_new ("(ss)", kind_names[kind_of (item)], item_name_of (item));
  g_variant_ref_sink (target);
  rename = g_menu_item_new (_("_Rename…"), NULL);
  g_menu_item_set_action_and_target_value (rename, "page.rename-item", target);
  delete = g_menu_item_new (_("_Delete"), NULL);
  g_menu_item_set_action_and_target_value (delete, "page.delete-item", target);
  g_variant_unref (target);
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);

  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, row);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (menu_closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkWidget       *row)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu (row, x, y);
}

static gboolean
row_menu_shortcut_cb (GtkWidget *row,
                      GVariant  *args,
                      gpointer   user_data)
{
  popup_menu (row, -1, -1);
  return TRUE;
}

void
_sluice_project_page_setup_row_menu (SluiceProjectPage *self,
                                     GtkWidget         *row)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  /* Shift+F10 / the Menu key, for the keyboard. */
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();
    GtkShortcutTrigger *trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                               gtk_keyval_trigger_new (GDK_KEY_Menu, 0));

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (trigger, gtk_callback_action_new (row_menu_shortcut_cb,
                                                                                              NULL, NULL)));
    gtk_widget_add_controller (row, shortcuts);
  }
}

void
_sluice_project_page_class_init_items (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.new-pipeline", NULL, new_pipeline_action);
  gtk_widget_class_install_action (widget_class, "page.rename-item", "(ss)", rename_item_action);
  gtk_widget_class_install_action (widget_class, "page.delete-item", "(ss)", delete_item_action);
  gtk_widget_class_install_action (widget_class, "page.rename-selected", NULL, rename_selected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "page.rename-selected", NULL);
}
