#define G_LOG_DOMAIN "sluice-clone-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-clone-dialog.h"
#include "sluice-git-credentials.h"
#include "sluice-repository-ui-ops.h"

struct _SluiceCloneDialog
{
  AdwWindow              parent_instance;

  /* template children */
  AdwEntryRow           *url_row;
  AdwEntryRow           *token_row;
  AdwEntryRow           *user_row;
  AdwActionRow          *parent_row;
  AdwEntryRow           *name_row;
  GtkProgressBar        *progress_bar;
  GtkLabel              *error_label;

  SluiceCredentialStore *store;         /* owned, nullable */
  char                  *parent_folder; /* owned */
  char                  *error;         /* owned, nullable */
  GCancellable          *cancellable;   /* owned, nullable: the clone running */
  gboolean               name_edited;   /* the user typed a folder name: keep it */
  gboolean               naming;        /* we are setting the name */
};

G_DEFINE_FINAL_TYPE (SluiceCloneDialog, sluice_clone_dialog, ADW_TYPE_WINDOW)

enum { CLONED, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct
{
  SluiceCloneDialog *self;   /* owned */
  char              *url;
  char              *path;
  char              *user;   /* nullable */
  char              *token;  /* nullable, wiped */
  char              *host;   /* nullable */
} CloneOp;

static void
clone_op_free (CloneOp *op)
{
  g_object_unref (op->self);
  g_free (op->url);
  g_free (op->path);
  g_free (op->user);
  sluice_credential_free (op->token);
  g_free (op->host);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloneOp, clone_op_free)

static char *
text_of (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
set_error (SluiceCloneDialog *self,
           const char        *sentence)
{
  g_free (self->error);
  self->error = g_strdup (sentence);
  gtk_label_set_label (self->error_label, sentence ? sentence : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), sentence != NULL);
}

static void
update_actions (SluiceCloneDialog *self)
{
  g_autofree char *url = text_of (self->url_row);
  g_autofree char *name = text_of (self->name_row);
  gboolean running = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clone.clone",
                                 !running && *url != '\0' && *name != '\0' && strchr (name, '/') == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clone.choose-folder", !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !running);
}

static void
show_parent (SluiceCloneDialog *self)
{
  const char *home = g_get_home_dir ();
  g_autofree char *shown = home && strlen (home) > 1 && g_str_has_prefix (self->parent_folder, home)
                           ? g_strconcat ("~", self->parent_folder + strlen (home), NULL)
                           : g_strdup (self->parent_folder);

  adw_action_row_set_subtitle (self->parent_row, shown);
}

/* "https://host/team/orders.git" → "orders" */
static char *
name_from_url (const char *url)
{
  g_autofree char *trimmed = g_strdup (url);
  char *slash, *base;

  g_strstrip (trimmed);
  while (*trimmed && trimmed[strlen (trimmed) - 1] == '/')
    trimmed[strlen (trimmed) - 1] = '\0';
  slash = strrchr (trimmed, '/');
  base = slash ? slash + 1 : trimmed;
  if (g_str_has_suffix (base, ".git"))
    base[strlen (base) - 4] = '\0';
  return g_strdup (base);
}

static void
sluice_clone_dialog_url_changed_cb (SluiceCloneDialog *self)
{
  if (!self->name_edited)
    {
      g_autofree char *url = text_of (self->url_row);
      g_autofree char *name = name_from_url (url);

      self->naming = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      self->naming = FALSE;
    }
  update_actions (self);
}

static void
sluice_clone_dialog_name_changed_cb (SluiceCloneDialog *self)
{
  if (!self->naming)
    self->name_edited = TRUE;
  update_actions (self);
}

/* ---- cloning ---- */

static void
finished (SluiceCloneDialog *self)
{
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  update_actions (self);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CloneOp) op = user_data;
  SluiceCloneDialog *self = op->self;
  g_autoptr(GError) error = NULL;

  g_autofree char *warning = NULL;

  finished (self);
  /* The clone is there; only pull and push will lack the token. */
  if (!sluice_git_credentials_store_finish (result, &error))
    warning = g_strdup_printf (_("Cloned, but the token could not be kept in the keyring: %s"), error->message);
  g_signal_emit (self, signals[CLONED], 0, op->path, warning);
  gtk_window_close (GTK_WINDOW (self));
}

static void
progress_cb (const SluiceVcsProgress *progress,
             gpointer                 user_data)
{
  SluiceCloneDialog *self = user_data;
  g_autofree char *text = NULL;

  if (self->cancellable == NULL)
    return;
  if (progress->total_objects == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      return;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, (double) progress->received_objects / progress->total_objects);
  text = g_strdup_printf (_("Receiving objects: %u of %u"), progress->received_objects, progress->total_objects);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
cloned_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CloneOp) op = user_data;
  SluiceCloneDialog *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRepository) repository = sluice_repository_clone_finish (result, &error);

  if (repository == NULL)
    {
      finished (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *sentence = sluice_git_error_sentence (error, op->host, op->token != NULL);
          set_error (self, sentence);
        }
      return;
    }
  if (op->token && self->store)
    {
      CloneOp *kept = g_steal_pointer (&op);

      sluice_git_credentials_store_async (self->store, kept->url, kept->user, kept->token, NULL, stored_cb, kept);
      return;
    }
  finished (self);
  g_signal_emit (self, signals[CLONED], 0, op->path, NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
clone_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  SluiceCloneDialog *self = SLUICE_CLONE_DIALOG (widget);
  g_autoptr(SluiceVcsCredentials) credentials = NULL;
  g_autofree char *name = text_of (self->name_row);
  g_autofree char *user = text_of (self->user_row);
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  CloneOp *op;

  if (self->cancellable)
    return;
  op = g_new0 (CloneOp, 1);
  op->self = g_object_ref (self);
  op->url = text_of (self->url_row);
  op->path = g_build_filename (self->parent_folder, name, NULL);
  op->user = *user ? g_strdup (user) : NULL;
  op->token = *token ? g_strdup (token) : NULL;
  op->host = sluice_vcs_host_of_url (op->url);
  if (op->host == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is not an HTTPS address: Sluice clones over HTTPS."), op->url);
      set_error (self, text);
      clone_op_free (op);
      return;
    }
  if (op->token)
    credentials = sluice_vcs_credentials_new (op->user, op->token);

  set_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Connecting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  update_actions (self);
  sluice_repository_clone_async (op->url, op->path, credentials, progress_cb, g_object_ref (self), g_object_unref,
                                 self->cancellable, cloned_cb, op);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SluiceCloneDialog *self = SLUICE_CLONE_DIALOG (widget);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
folder_chosen_cb (GtkNativeDialog   *chooser,
                  int                response,
                  SluiceCloneDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path)
        sluice_clone_dialog_set_folder (self, path);
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SluiceCloneDialog *self = SLUICE_CLONE_DIALOG (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Choose Where to Clone"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));

  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- GObject ---- */

static gboolean
sluice_clone_dialog_close_request (GtkWindow *window)
{
  SluiceCloneDialog *self = SLUICE_CLONE_DIALOG (window);

  /* Closing stops a clone in progress; the backend removes what it began. */
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (sluice_clone_dialog_parent_class)->close_request (window);
}

static void
sluice_clone_dialog_dispose (GObject *object)
{
  SluiceCloneDialog *self = SLUICE_CLONE_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sluice_clone_dialog_parent_class)->dispose (object);
}

static void
sluice_clone_dialog_finalize (GObject *object)
{
  SluiceCloneDialog *self = SLUICE_CLONE_DIALOG (object);

  g_free (self->parent_folder);
  g_free (self->error);

  G_OBJECT_CLASS (sluice_clone_dialog_parent_class)->finalize (object);
}

static void
sluice_clone_dialog_class_init (SluiceCloneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sluice_clone_dialog_dispose;
  object_class->finalize = sluice_clone_dialog_finalize;
  window_class->close_request = sluice_clone_dialog_close_request;

  signals[CLONED] =
    g_signal_new ("cloned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-clone-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, parent_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SluiceCloneDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, sluice_clone_dialog_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_clone_dialog_name_changed_cb);

  gtk_widget_class_install_action (widget_class, "clone.clone", NULL, clone_action);
  gtk_widget_class_install_action (widget_class, "clone.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "clone.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "clone.cancel", NULL);
}

static void
sluice_clone_dialog_init (SluiceCloneDialog *self)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->parent_folder = g_strdup (documents && g_file_test (documents, G_FILE_TEST_IS_DIR)
                                  ? documents : g_get_home_dir ());
  show_parent (self);
  update_actions (self);
}

SluiceCloneDialog *
sluice_clone_dialog_new (GtkWindow             *parent,
                         SluiceCredentialStore *store)
{
  SluiceCloneDialog *self = g_object_new (SLUICE_TYPE_CLONE_DIALOG, "transient-for", parent, NULL);

  if (store)
    self->store = g_object_ref (store);
  return self;
}

void
sluice_clone_dialog_set_folder (SluiceCloneDialog *self,
                                const char        *parent_folder)
{
  g_return_if_fail (SLUICE_IS_CLONE_DIALOG (self));
  g_return_if_fail (parent_folder != NULL);

  g_free (self->parent_folder);
  self->parent_folder = g_strdup (parent_folder);
  show_parent (self);
}

void
sluice_clone_dialog_set_fields (SluiceCloneDialog *self,
                                const char        *url,
                                const char        *user,
                                const char        *token,
                                const char        *folder_name)
{
  g_return_if_fail (SLUICE_IS_CLONE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user ? user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token ? token : "");
  if (folder_name)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), folder_name);
}

const char *
sluice_clone_dialog_get_error (SluiceCloneDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_CLONE_DIALOG (self), NULL);
  return self->error;
}

gboolean
sluice_clone_dialog_get_busy (SluiceCloneDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_CLONE_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}
