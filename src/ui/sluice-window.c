#define G_LOG_DOMAIN "sluice-window"

#include "config.h"

#include <glib/gi18n.h>
#include <time.h>

#include "sluice-application.h"
#include "sluice-branch-button.h"
#include "sluice-clone-dialog.h"
#include "sluice-fabric-banner.h"
#include "sluice-fabric-button.h"
#include "sluice-git-panel.h"
#include "sluice-project-page.h"
#include "sluice-pipeline-diff.h"
#include "sluice-repository.h"
#include "sluice-repository-ui-ops.h"
#include "sluice-welcome-page.h"
#include "sluice-window.h"

struct _SluiceWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toasts;
  AdwWindowTitle       *title;
  GtkStack             *stack;
  SluiceWelcomePage    *welcome;
  SluiceProjectPage    *project_page;
  GtkToggleButton      *problems_button;
  SluiceFabricButton   *fabric_button;
  SluiceFabricBanner   *fabric_banner;
  SluiceBranchButton   *branch_button;
  GtkToggleButton      *git_button;
  GtkPaned             *project_paned;
  SluiceGitPanel       *git_panel;

  SluiceProject        *project;      /* owned, nullable */
  GCancellable         *cancellable;  /* owned: cancelled when the window closes */
  gboolean              loading;
  gboolean              close_confirmed; /* unsaved edits were saved or discarded */
  GtkWidget            *unsaved_dialog;  /* borrowed, nullable: the one asking */
  gboolean              highlight;       /* mark gems changed since HEAD on the canvas */
  GCancellable         *highlight_cancellable; /* owned, nullable: the comparison running */
  /* The last fabric rename's changes to this project's jobs, so its undo
   * puts back just those (a job may have named the new name before). */
  char                 *renamed_id;    /* owned, nullable: the fabric's */
  char                 *renamed_to;    /* owned, nullable */
  GStrv                 renamed_jobs;  /* owned, nullable */
  /* The git panel opens the repository after the window's first frame
   * (start-up draws the project first): the directory it is to open. */
  gboolean              painted;
  gboolean              git_pending;
  char                 *git_directory;   /* owned, nullable */
  guint                 git_idle_id;
};

/* What to do once unsaved edits are saved or discarded. */
typedef enum { THEN_CLOSE_WINDOW, THEN_CLOSE_PROJECT, THEN_OPEN } Then;

typedef struct
{
  SluiceWindow *self;    /* owned */
  Then          then;
  GFile        *folder;  /* owned, nullable: THEN_OPEN's */
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->self);
  g_clear_object (&p->folder);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void set_project (SluiceWindow *self, SluiceProject *project);
static void load_project (SluiceWindow *self, GFile *directory);

G_DEFINE_FINAL_TYPE (SluiceWindow, sluice_window, ADW_TYPE_APPLICATION_WINDOW)

/* highlight-changes: the canvas marks the gems changed since the last
 * commit (the stateful action win.highlight-changes). */
enum { PROP_0, PROP_HIGHLIGHT_CHANGES, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- SLUICE_REPORT_FIRST_FRAME=FILE (bench/sluice-bench-startup.c) ----
 * Appends to FILE one line for the window's first painted frame and one for
 * the first painted with a project open: "first|project <wall-clock µs,
 * g_get_real_time> <VmRSS kB> <process CPU µs>". */

static void
report_frame (const char *what)
{
  g_autofree char *status = NULL;
  g_autofree char *line = NULL;
  gint64 now = g_get_real_time ();
  const char *rss;
  FILE *f;

  struct timespec cpu;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) && (rss = strstr (status, "VmRSS:")))
    line = g_strdup_printf ("%s %" G_GINT64_FORMAT " %ld %ld\n", what, now, strtol (rss + 6, NULL, 10),
                            (long) (cpu.tv_sec * 1000000 + cpu.tv_nsec / 1000));
  else
    line = g_strdup_printf ("%s %" G_GINT64_FORMAT " 0 0\n", what, now);
  if ((f = fopen (g_getenv ("SLUICE_REPORT_FIRST_FRAME"), "a")))
    {
      fputs (line, f);
      fclose (f);
    }
}

static void
report_after_paint_cb (GdkFrameClock *clock,
                       SluiceWindow  *self)
{
  if (!g_object_get_data (G_OBJECT (self), "sluice-reported-first"))
    {
      report_frame ("first");
      g_object_set_data (G_OBJECT (self), "sluice-reported-first", GINT_TO_POINTER (1));
    }
  if (self->project)
    {
      report_frame ("project");
      g_signal_handlers_disconnect_by_func (clock, report_after_paint_cb, self);
    }
}

static void
report_realize_cb (SluiceWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (report_after_paint_cb), self, 0);
}

/* The git panel's repository is opened (a libgit2 repository, its status)
 * once the window has shown its first frame, not before it: nothing in that
 * frame needs it, and at start-up it competed with the first frame for the
 * CPU. */
static gboolean
git_directory_idle_cb (gpointer data)
{
  SluiceWindow *self = data;

  self->git_idle_id = 0;
  if (self->git_pending)
    {
      self->git_pending = FALSE;
      if (self->git_directory)
        sluice_application_ensure_vcs ();
      sluice_git_panel_set_directory (self->git_panel, self->git_directory);
    }
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock,
                SluiceWindow  *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
  self->painted = TRUE;
  if (self->git_pending && self->git_idle_id == 0)
    self->git_idle_id = g_idle_add (git_directory_idle_cb, self);
}

static void
first_paint_realize_cb (SluiceWindow *self)
{
  if (!self->painted)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                             G_CALLBACK (first_paint_cb), self, 0);
}

static void
set_git_directory (SluiceWindow *self,
                   const char   *directory)
{
  if (self->painted || !gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      self->git_pending = FALSE;
      if (directory)
        sluice_application_ensure_vcs ();
      sluice_git_panel_set_directory (self->git_panel, directory);
      return;
    }
  g_free (self->git_directory);
  self->git_directory = g_strdup (directory);
  self->git_pending = TRUE;
}

static GSettings *
settings_of (SluiceWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  return SLUICE_IS_APPLICATION (app) ? sluice_application_get_settings (SLUICE_APPLICATION (app)) : NULL;
}

static void
update_actions (SluiceWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-problems", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-project", !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-project", !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clone-project", !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-git", self->project != NULL);
}

void
sluice_window_show_toast (SluiceWindow *self,
                          const char   *message)
{
  AdwToast *toast;

  g_return_if_fail (SLUICE_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
update_problems_button (SluiceWindow *self)
{
  guint n = self->project ? g_list_model_get_n_items (sluice_project_get_problems (self->project)) : 0;
  g_autofree char *label = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->problems_button), self->project != NULL);
  if (n == 0)
    {
      gtk_button_set_icon_name (GTK_BUTTON (self->problems_button), "emblem-ok-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->problems_button), _("No problems (F8)"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->problems_button), "error");
    }
  else
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem", "%u problems", n), n);
      gtk_button_set_label (GTK_BUTTON (self->problems_button), label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->problems_button), _("Show the problems (F8)"));
      gtk_widget_add_css_class (GTK_WIDGET (self->problems_button), "error");
    }
}

static void
set_project (SluiceWindow  *self,
             SluiceProject *project)
{
  g_set_object (&self->project, project);

  if (project)
    {
      g_autofree char *path = g_file_get_path (sluice_project_get_directory (project));
      g_autofree char *home = g_strdup (g_get_home_dir ());
      g_autofree char *shown = g_str_has_prefix (path, home) && strlen (home) > 1
                               ? g_strconcat ("~", path + strlen (home), NULL) : g_strdup (path);

      adw_window_title_set_title (self->title, sluice_project_get_name (project));
      adw_window_title_set_subtitle (self->title, shown);
      gtk_window_set_title (GTK_WINDOW (self), sluice_project_get_name (project));
      sluice_project_page_set_project (self->project_page, project);
      set_git_directory (self, path);
      gtk_widget_set_visible (GTK_WIDGET (self->git_button), TRUE);
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->project_paned));
      /* Broken projects open on their problems. */
      gtk_toggle_button_set_active (self->problems_button, sluice_project_get_n_errors (project) > 0);
    }
  else
    {
      adw_window_title_set_title (self->title, "Sluice");
      adw_window_title_set_subtitle (self->title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), "Sluice");
      sluice_project_page_set_project (self->project_page, NULL);
      set_git_directory (self, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->git_button), FALSE);
      sluice_welcome_page_reload (self->welcome);
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->welcome));
    }
  update_problems_button (self);
  update_actions (self);
}

static void
project_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SluiceWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = sluice_project_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  update_actions (self);

  if (project == NULL)
    {
      sluice_window_show_toast (self, error->message);
      return;
    }

  set_project (self, project);
  {
    g_autofree char *path = g_file_get_path (sluice_project_get_directory (project));
    GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
    if (SLUICE_IS_APPLICATION (app))
      sluice_application_add_recent (SLUICE_APPLICATION (app), path);
  }
}

/* ---- unsaved edits ---- */

static void
carry_on (Pending *p)
{
  SluiceWindow *self = p->self;

  switch (p->then)
    {
    case THEN_CLOSE_WINDOW:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;
    case THEN_CLOSE_PROJECT:
      set_project (self, NULL);
      break;
    case THEN_OPEN:
      load_project (self, p->folder);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
saved_all_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Pending) p = user_data;
  g_autoptr(GError) error = NULL;

  /* A file that could not be written keeps the window open: the toast of
   * that pipeline says why, and nothing is lost. */
  if (!sluice_project_page_save_all_finish (SLUICE_PROJECT_PAGE (source), result, &error))
    return;
  carry_on (p);
}

static void
unsaved_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Pending          *p)
{
  SluiceWindow *self = p->self;

  /* One answer: closing the dialog afterwards must not answer again. */
  g_signal_handlers_disconnect_by_func (dialog, unsaved_response_cb, p);
  self->unsaved_dialog = NULL;
  if (g_str_equal (response, "save"))
    {
      sluice_project_page_save_all_async (self->project_page, NULL, saved_all_cb, p);
      return;
    }
  if (g_str_equal (response, "discard"))
    {
      sluice_project_page_discard_unsaved (self->project_page);
      carry_on (p);
    }
  pending_free (p);
}

/* Returns TRUE when it asked (and will carry on after the answer), FALSE
 * when nothing is unsaved and the caller goes ahead. */
static gboolean
ask_about_unsaved (SluiceWindow *self,
                   Then          then,
                   GFile        *folder)
{
  g_autoptr(GPtrArray) unsaved = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  Pending *p;

  if (self->project == NULL)
    return FALSE;
  unsaved = sluice_project_page_get_unsaved (self->project_page);
  if (unsaved->len == 0)
    return FALSE;
  if (self->unsaved_dialog)
    {
      gtk_window_present (GTK_WINDOW (self->unsaved_dialog));
      return TRUE;
    }

  for (guint i = 0; i < unsaved->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            sluice_pipeline_get_name (g_ptr_array_index (unsaved, i)));
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Save changes to %u pipeline?",
                                          "Save changes to %u pipelines?", unsaved->len), unsaved->len);
  body = g_strdup_printf (_("Unsaved: %s. If you discard them, the changes are lost."), names->str);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  p = g_new0 (Pending, 1);
  p->self = g_object_ref (self);
  p->then = then;
  p->folder = folder ? g_object_ref (folder) : NULL;
  g_signal_connect (dialog, "response", G_CALLBACK (unsaved_response_cb), p);
  self->unsaved_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

GtkWidget *
sluice_window_get_unsaved_dialog (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->unsaved_dialog;
}

void
sluice_window_open_project (SluiceWindow *self,
                            GFile        *directory)
{
  g_return_if_fail (SLUICE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (directory));

  if (!ask_about_unsaved (self, THEN_OPEN, directory))
    load_project (self, directory);
}

static void
load_project (SluiceWindow *self,
              GFile        *directory)
{
  self->loading = TRUE;
  update_actions (self);
  sluice_project_load_async (directory, self->cancellable, project_loaded_cb, g_object_ref (self));
}

SluiceProject *
sluice_window_get_project (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->project;
}

/* ---- actions ---- */

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  SluiceWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (folder)
        sluice_window_open_project (self, folder);
    }
  g_object_unref (dialog);
}

static void
open_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SluiceWindow *self = SLUICE_WINDOW (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open Project Folder"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));

  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct
{
  SluiceWindow *self;
  GFile        *folder;
  GtkEntry     *entry;
} NewProject;

static void
new_project_free (NewProject *np)
{
  g_object_unref (np->self);
  g_object_unref (np->folder);
  g_free (np);
}

static void
repository_created_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  NewProject *np = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRepository) repository = sluice_repository_create_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (repository == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The project was created, but not as a git repository: %s"),
                                                   error->message);
          sluice_window_show_toast (np->self, text);
        }
      sluice_window_open_project (np->self, np->folder);
    }
  new_project_free (np);
}

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  NewProject       *np)
{
  if (g_str_equal (response, "create"))
    sluice_window_create_project (np->self, np->folder, gtk_editable_get_text (GTK_EDITABLE (np->entry)));
  new_project_free (np);
}

void
sluice_window_create_project (SluiceWindow *self,
                              GFile        *folder,
                              const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autofree char *path = NULL;
  NewProject *np;

  g_return_if_fail (SLUICE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder) && name != NULL);

  project = sluice_project_create (folder, name, &error);
  if (project == NULL)
    {
      sluice_window_show_toast (self, error->message);
      return;
    }
  /* A project is a git working copy (git init, or the one it is in). */
  np = g_new0 (NewProject, 1);
  np->self = g_object_ref (self);
  np->folder = g_object_ref (folder);
  path = g_file_get_path (folder);
  sluice_repository_create_async (path, self->cancellable, repository_created_cb, np);
}

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  const char *text = gtk_editable_get_text (entry);
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  adw_message_dialog_set_response_enabled (dialog, "create", *stripped != '\0');
}

static void
new_folder_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        SluiceWindow    *self)
{
  g_autoptr(GFile) folder = NULL;
  NewProject *np;
  GtkWidget *dialog, *entry;
  g_autofree char *basename = NULL;

  if (response != GTK_RESPONSE_ACCEPT ||
      !(folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    {
      g_object_unref (chooser);
      return;
    }
  g_object_unref (chooser);

  basename = g_file_get_basename (folder);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("New Project"),
                                   _("Sluice creates sluice.json and the pipelines, datasets, jobs "
                                     "and code folders in the folder you chose."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), basename);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Project name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "create", _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  np = g_new0 (NewProject, 1);
  np->self = g_object_ref (self);
  np->folder = g_steal_pointer (&folder);
  np->entry = GTK_ENTRY (entry);
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (name_response_cb), np);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SluiceWindow *self = SLUICE_WINDOW (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Choose a Folder for the New Project"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));

  g_signal_connect (chooser, "response", G_CALLBACK (new_folder_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cloned_cb (SluiceWindow *self,
           const char   *path,
           const char   *warning)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);

  if (warning)
    sluice_window_show_toast (self, warning);
  sluice_window_open_project (self, folder);
}

SluiceCloneDialog *
sluice_window_clone (SluiceWindow *self)
{
  GtkApplication *app;
  SluiceCloneDialog *dialog;

  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);

  app = gtk_window_get_application (GTK_WINDOW (self));
  dialog = sluice_clone_dialog_new (GTK_WINDOW (self),
                                    SLUICE_IS_APPLICATION (app)
                                    ? sluice_fabric_session_get_credentials (
                                        sluice_application_get_fabric_session (SLUICE_APPLICATION (app)))
                                    : NULL);
  g_signal_connect_object (dialog, "cloned", G_CALLBACK (cloned_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
clone_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  sluice_window_clone (SLUICE_WINDOW (widget));
}

static void
toggle_git_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SluiceWindow *self = SLUICE_WINDOW (widget);
  gtk_toggle_button_set_active (self->git_button, !gtk_toggle_button_get_active (self->git_button));
}

/* ---- git ---- */

static void update_highlight (SluiceWindow *self);

static void
project_saved_cb (SluiceWindow *self)
{
  sluice_git_panel_refresh (self->git_panel);
  update_highlight (self);
}

static void
reload_from_disk (SluiceWindow *self)
{
  /* The files changed under the project (a pull, another branch): read
   * them again; unsaved edits are asked about first. */
  if (self->project)
    sluice_window_open_project (self, sluice_project_get_directory (self->project));
}

static void
working_tree_changed_cb (SluiceWindow *self)
{
  sluice_branch_button_reload (self->branch_button);
  reload_from_disk (self);
}

static void
branch_switched_cb (SluiceWindow *self,
                    const char   *name)
{
  g_autofree char *text = g_strdup_printf (_("Switched to %s"), name);

  sluice_window_show_toast (self, text);
  sluice_git_panel_refresh (self->git_panel);
  reload_from_disk (self);
}

/* Pulls and switches rewrite files; unsaved edits would be saved over them. */
static char *
check_unsaved_cb (SluiceWindow *self)
{
  g_autoptr(GPtrArray) unsaved = self->project ? sluice_project_page_get_unsaved (self->project_page) : NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  if (unsaved == NULL || unsaved->len == 0)
    return NULL;
  for (guint i = 0; i < unsaved->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", sluice_pipeline_get_name (g_ptr_array_index (unsaved, i)));
  return g_strdup_printf (_("Save or undo your unsaved changes to %s first: git would change the files "
                            "under them."), names->str);
}

static void
git_repository_cb (SluiceWindow *self)
{
  sluice_branch_button_set_repository (self->branch_button, sluice_git_panel_get_repository (self->git_panel));
}

static void
git_busy_cb (SluiceWindow *self)
{
  /* A commit can give an unborn HEAD its branch; a pull, new remote ones. */
  if (!sluice_git_panel_get_busy (self->git_panel))
    {
      sluice_branch_button_reload (self->branch_button);
      update_highlight (self);
    }
}

/* ---- gems changed since the last commit, on the canvas ---- */

typedef struct
{
  SluiceWindow   *self;       /* owned */
  SluicePipeline *pipeline;   /* owned */
  char           *path;       /* project-relative */
  GBytes         *now;        /* owned: the pipeline as it is in the editor */
} Highlight;

static void
highlight_free (Highlight *h)
{
  g_object_unref (h->self);
  g_object_unref (h->pipeline);
  g_free (h->path);
  g_bytes_unref (h->now);
  g_free (h);
}

static SluiceCanvas *
shown_canvas (SluiceWindow *self)
{
  SluicePipelineView *view = sluice_project_page_get_pipeline_view (self->project_page);

  return view ? sluice_pipeline_view_get_canvas (view) : NULL;
}

static void
head_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Highlight *h = user_data;
  SluiceWindow *self = h->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) head = sluice_repository_read_head_finish (SLUICE_REPOSITORY (source), result, &error);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  SluiceCanvas *canvas = shown_canvas (self);

  if (head == NULL || !self->highlight || canvas == NULL || sluice_canvas_get_pipeline (canvas) != h->pipeline)
    {
      highlight_free (h);
      return;
    }
  changes = sluice_pipeline_diff (h->path, g_hash_table_lookup (head, h->path), h->path, h->now, &error);
  ids = g_ptr_array_new ();
  for (guint i = 0; changes && i < changes->len; i++)
    {
      SluicePipelineChange *c = g_ptr_array_index (changes, i);

      if (c->gem_id && c->kind != SLUICE_PIPELINE_CHANGE_GEM_REMOVED
          && !g_ptr_array_find_with_equal_func (ids, c->gem_id, g_str_equal, NULL))
        g_ptr_array_add (ids, c->gem_id);
    }
  g_ptr_array_add (ids, NULL);
  sluice_canvas_set_changed_gems (canvas, (const char * const *) ids->pdata);
  highlight_free (h);
}

static void
update_highlight (SluiceWindow *self)
{
  SluiceCanvas *canvas = shown_canvas (self);
  SluiceRepository *repository = sluice_git_panel_get_repository (self->git_panel);
  SluicePipeline *pipeline = canvas ? sluice_canvas_get_pipeline (canvas) : NULL;
  const char *paths[2] = { NULL, NULL };
  Highlight *h;

  if (self->highlight_cancellable)
    g_cancellable_cancel (self->highlight_cancellable);
  g_clear_object (&self->highlight_cancellable);
  if (canvas == NULL)
    return;
  if (!self->highlight || repository == NULL || pipeline == NULL)
    {
      sluice_canvas_set_changed_gems (canvas, NULL);
      return;
    }
  h = g_new0 (Highlight, 1);
  h->self = g_object_ref (self);
  h->pipeline = g_object_ref (pipeline);
  h->path = g_strconcat ("pipelines/", sluice_pipeline_get_name (pipeline), ".json", NULL);
  h->now = sluice_pipeline_to_bytes (pipeline);
  paths[0] = h->path;
  self->highlight_cancellable = g_cancellable_new ();
  sluice_repository_read_head_async (repository, paths, self->highlight_cancellable, head_read_cb, h);
}

static void
pipeline_shown_cb (SluiceWindow *self)
{
  update_highlight (self);
}

static void
active_cb (SluiceWindow *self)
{
  /* Back from a terminal or an editor: the working tree may have moved. */
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->project)
    {
      sluice_git_panel_refresh (self->git_panel);
      sluice_branch_button_reload (self->branch_button);
    }
}

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SluiceWindow *self = SLUICE_WINDOW (widget);

  if (!ask_about_unsaved (self, THEN_CLOSE_PROJECT, NULL))
    set_project (self, NULL);
}

static void
toggle_problems_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  SluiceWindow *self = SLUICE_WINDOW (widget);
  gtk_toggle_button_set_active (self->problems_button, !gtk_toggle_button_get_active (self->problems_button));
}

static void
open_recent_cb (SluiceWindow      *self,
                const char        *path,
                SluiceWelcomePage *page)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  sluice_window_open_project (self, folder);
}

static void
problems_changed_cb (SluiceWindow *self)
{
  update_problems_button (self);
}

/* ---- window state ---- */

static gboolean
sluice_window_close_request (GtkWindow *window)
{
  SluiceWindow *self = SLUICE_WINDOW (window);
  GSettings *settings = settings_of (self);

  if (!self->close_confirmed && ask_about_unsaved (self, THEN_CLOSE_WINDOW, NULL))
    return TRUE;

  g_cancellable_cancel (self->cancellable);

  if (settings)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (settings, "window-width", CLAMP (width, 360, 16384));
          g_settings_set_int (settings, "window-height", CLAMP (height, 294, 16384));
        }
      g_settings_apply (settings);
    }

  return GTK_WINDOW_CLASS (sluice_window_parent_class)->close_request (window);
}

/* After the application is set (it is not yet in constructed()). */
static void
apply_settings (SluiceWindow *self)
{
  GSettings *settings = settings_of (self);

  if (settings)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  sluice_welcome_page_set_settings (self->welcome, settings);
  sluice_project_page_set_settings (self->project_page, settings);
  sluice_git_panel_set_settings (self->git_panel, settings);
  if (settings)
    g_settings_bind (settings, "show-git-panel", self->git_button, "active", G_SETTINGS_BIND_DEFAULT);
  set_project (self, NULL);
}

static void
sluice_window_dispose (GObject *object)
{
  SluiceWindow *self = SLUICE_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->project);
  if (self->highlight_cancellable)
    g_cancellable_cancel (self->highlight_cancellable);
  g_clear_object (&self->highlight_cancellable);
  g_clear_pointer (&self->renamed_id, g_free);
  g_clear_pointer (&self->renamed_to, g_free);
  g_clear_pointer (&self->renamed_jobs, g_strfreev);
  g_clear_handle_id (&self->git_idle_id, g_source_remove);
  g_clear_pointer (&self->git_directory, g_free);

  G_OBJECT_CLASS (sluice_window_parent_class)->dispose (object);
}

static void
sluice_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SluiceWindow *self = SLUICE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HIGHLIGHT_CHANGES:
      g_value_set_boolean (value, self->highlight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SluiceWindow *self = SLUICE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HIGHLIGHT_CHANGES:
      if (self->highlight == g_value_get_boolean (value))
        return;
      self->highlight = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
      update_highlight (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_window_class_init (SluiceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sluice_window_dispose;
  object_class->get_property = sluice_window_get_property;
  object_class->set_property = sluice_window_set_property;
  window_class->close_request = sluice_window_close_request;

  properties[PROP_HIGHLIGHT_CHANGES] =
    g_param_spec_boolean ("highlight-changes", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, title);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, welcome);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, project_page);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, problems_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, fabric_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, fabric_banner);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, branch_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, git_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, project_paned);
  gtk_widget_class_bind_template_child (widget_class, SluiceWindow, git_panel);
  gtk_widget_class_bind_template_callback (widget_class, open_recent_cb);
  gtk_widget_class_bind_template_callback (widget_class, project_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, working_tree_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, branch_switched_cb);
  gtk_widget_class_bind_template_callback (widget_class, git_repository_cb);
  gtk_widget_class_bind_template_callback (widget_class, git_busy_cb);
  gtk_widget_class_bind_template_callback (widget_class, pipeline_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_unsaved_cb);

  gtk_widget_class_install_action (widget_class, "win.open-project", NULL, open_project_action);
  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-problems", NULL, toggle_problems_action);
  gtk_widget_class_install_action (widget_class, "win.clone-project", NULL, clone_project_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-git", NULL, toggle_git_action);
  gtk_widget_class_install_property_action (widget_class, "win.highlight-changes", "highlight-changes");
}

/* A file dropped anywhere on the window: a new dataset of it. */
static gboolean
file_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              SluiceWindow  *self)
{
  GSList *files = g_value_get_boxed (value);

  if (files == NULL || sluice_window_get_project (self) == NULL)
    return FALSE;
  sluice_project_page_import_file (self->project_page, files->data);
  return TRUE;
}

static void
sluice_window_init (SluiceWindow *self)
{
  GtkDropTarget *drop;

  g_type_ensure (SLUICE_TYPE_WELCOME_PAGE);
  g_type_ensure (SLUICE_TYPE_PROJECT_PAGE);
  g_type_ensure (SLUICE_TYPE_FABRIC_BUTTON);
  g_type_ensure (SLUICE_TYPE_FABRIC_BANNER);
  g_type_ensure (SLUICE_TYPE_BRANCH_BUTTON);
  g_type_ensure (SLUICE_TYPE_GIT_PANEL);
  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_bind_property (self->git_button, "active", self->git_panel, "visible", G_BINDING_SYNC_CREATE);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_cb), NULL);

  self->cancellable = g_cancellable_new ();
  g_object_bind_property (self->problems_button, "active",
                          self->project_page, "show-problems", G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (self->project_page, "problems-changed",
                           G_CALLBACK (problems_changed_cb), self, G_CONNECT_SWAPPED);
  if (g_getenv ("SLUICE_REPORT_FIRST_FRAME"))
    g_signal_connect (self, "realize", G_CALLBACK (report_realize_cb), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (first_paint_realize_cb), NULL);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (file_drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

/* Pipelines run on the fabric chosen in the header bar, once its engine
 * is made (at once for Local; after the keyring lookup for a remote one). */
static void
selected_engine_cb (SluiceWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  SluiceFabricSession *session = sluice_application_get_fabric_session (SLUICE_APPLICATION (app));

  SluiceFabric *fabric = sluice_fabric_session_get_selected (session);

  sluice_project_page_set_fabric_name (self->project_page,
                                       sluice_fabric_is_local (fabric) ? _("Local") : sluice_fabric_get_name (fabric));
  sluice_project_page_set_engine (self->project_page, sluice_fabric_session_get_selected_engine (session));
}

/* Jobs name fabrics: when one is renamed, this project's jobs that named
 * it name it again, on disk too (all or none; a failure is a toast, and
 * the job editor then says which fabric the job lacks). */
static void
fabric_renamed_cb (SluiceWindow *self,
                   SluiceFabric *fabric,
                   const char   *old_name,
                   gboolean      undo)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changed = NULL;
  const char * const *only = NULL;
  const char *new_name = sluice_fabric_get_name (fabric);

  selected_engine_cb (self);   /* what Run says it runs on */
  sluice_project_page_rename_fabric (self->project_page, old_name, new_name);
  if (self->project == NULL)
    return;
  if (undo && self->renamed_jobs && g_strcmp0 (self->renamed_id, sluice_fabric_get_id (fabric)) == 0 &&
      g_strcmp0 (self->renamed_to, old_name) == 0)
    only = (const char * const *) self->renamed_jobs;
  changed = sluice_project_rename_fabric (self->project, old_name, new_name, only, &error);
  if (changed == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The jobs that name “%s” still do: %s"), old_name, error->message);
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      sluice_window_show_toast (self, escaped);
      return;
    }
  g_free (self->renamed_id);
  g_free (self->renamed_to);
  g_strfreev (self->renamed_jobs);
  self->renamed_id = g_strdup (sluice_fabric_get_id (fabric));
  self->renamed_to = g_strdup (new_name);
  self->renamed_jobs = g_steal_pointer (&changed);
}

SluiceWindow *
sluice_window_new (SluiceApplication *app)
{
  SluiceWindow *self = g_object_new (SLUICE_TYPE_WINDOW, "application", app, NULL);

  apply_settings (self);
  sluice_fabric_button_set_session (self->fabric_button, sluice_application_get_fabric_session (app));
  sluice_fabric_banner_set_session (self->fabric_banner, sluice_application_get_fabric_session (app));
  sluice_git_panel_set_credentials (self->git_panel,
                                    sluice_fabric_session_get_credentials (sluice_application_get_fabric_session (app)));
  g_signal_connect_object (sluice_application_get_fabric_session (app), "notify::engine",
                           G_CALLBACK (selected_engine_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sluice_application_get_fabric_session (app), "fabric-renamed",
                           G_CALLBACK (fabric_renamed_cb), self, G_CONNECT_SWAPPED);
  selected_engine_cb (self);
  return self;
}

SluiceFabricBanner *
sluice_window_get_fabric_banner (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->fabric_banner;
}

SluiceFabricButton *
sluice_window_get_fabric_button (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->fabric_button;
}

SluiceWelcomePage *
sluice_window_get_welcome_page (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->welcome;
}

SluiceProjectPage *
sluice_window_get_project_page (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->project_page;
}

SluiceGitPanel *
sluice_window_get_git_panel (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->git_panel;
}

SluiceBranchButton *
sluice_window_get_branch_button (SluiceWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_WINDOW (self), NULL);
  return self->branch_button;
}
