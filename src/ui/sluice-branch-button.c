#define G_LOG_DOMAIN "sluice-branch-button"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-branch-button.h"

struct _SluiceBranchButton
{
  AdwBin            parent_instance;

  /* template children */
  GtkMenuButton    *button;
  GtkPopover       *popover;
  GtkListBox       *list;
  GtkLabel         *error_label;
  GtkEntry         *new_entry;
  GtkButton        *create_button;
  GtkLabel         *label;

  SluiceRepository *repository;   /* owned, nullable */
  GCancellable     *cancellable;  /* owned */
  char             *current;      /* owned, nullable */
  char             *error;        /* owned, nullable */
  guint             pending;
};

G_DEFINE_FINAL_TYPE (SluiceBranchButton, sluice_branch_button, ADW_TYPE_BIN)

enum { SWITCHED, CHECK_UNSAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_error (SluiceBranchButton *self,
           const char         *sentence)
{
  g_free (self->error);
  self->error = g_strdup (sentence);
  gtk_label_set_label (self->error_label, sentence ? sentence : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), sentence != NULL);
}

static void
toast (SluiceBranchButton *self,
       const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    {
      AdwToast *t = adw_toast_new (text);
      adw_toast_set_timeout (t, 10);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
    }
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SluiceBranchButton) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) branches = sluice_repository_list_branches_finish (SLUICE_REPOSITORY (source), result, &error);
  GtkWidget *child;

  self->pending--;
  if (branches == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  if (SLUICE_REPOSITORY (source) != self->repository)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  g_clear_pointer (&self->current, g_free);
  for (guint i = 0; i < branches->len; i++)
    {
      SluiceVcsBranch *b = g_ptr_array_index (branches, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), b->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (b->remote)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Remote branch"));
      else if (b->upstream)
        {
          g_autofree char *tracks = g_strdup_printf (_("Tracks %s"), b->upstream);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tracks);
        }
      if (b->current)
        {
          self->current = g_strdup (b->name);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("object-select-symbolic"));
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "branch", g_strdup (b->name), g_free);
      gtk_list_box_append (self->list, row);
    }
  /* An unborn HEAD (no commit yet) lists no branch. */
  gtk_label_set_label (self->label, self->current ? self->current : _("No commits"));
}

void
sluice_branch_button_reload (SluiceBranchButton *self)
{
  g_return_if_fail (SLUICE_IS_BRANCH_BUTTON (self));

  if (self->repository == NULL)
    return;
  self->pending++;
  sluice_repository_list_branches_async (self->repository, self->cancellable, listed_cb, g_object_ref (self));
}

void
sluice_branch_button_set_repository (SluiceBranchButton *self,
                                     SluiceRepository   *repository)
{
  g_return_if_fail (SLUICE_IS_BRANCH_BUTTON (self));

  if (!g_set_object (&self->repository, repository))
    return;
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->current, g_free);
  set_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), repository != NULL);
  sluice_branch_button_reload (self);
}

typedef struct
{
  SluiceBranchButton *self;   /* owned */
  char               *name;
} BranchOp;

static BranchOp *
branch_op_new (SluiceBranchButton *self,
               const char         *name)
{
  BranchOp *op = g_new0 (BranchOp, 1);

  op->self = g_object_ref (self);
  op->name = g_strdup (name);
  return op;
}

static void
branch_op_free (BranchOp *op)
{
  g_object_unref (op->self);
  g_free (op->name);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BranchOp, branch_op_free)

static void
switched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BranchOp) op = user_data;
  SluiceBranchButton *self = op->self;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!sluice_repository_switch_branch_finish (SLUICE_REPOSITORY (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The repository's sentence names the files that stand in the way. */
      set_error (self, error->message);
      toast (self, error->message);
      return;
    }
  set_error (self, NULL);
  gtk_popover_popdown (self->popover);
  sluice_branch_button_reload (self);
  g_signal_emit (self, signals[SWITCHED], 0, op->name);
}

void
sluice_branch_button_switch (SluiceBranchButton *self,
                             const char         *name)
{
  g_return_if_fail (SLUICE_IS_BRANCH_BUTTON (self));
  g_return_if_fail (name != NULL);

  g_autofree char *refusal = NULL;

  if (self->repository == NULL)
    return;
  /* A switch rewrites files on disk: edits only in the editor would then
   * be saved over the other branch's. */
  g_signal_emit (self, signals[CHECK_UNSAVED], 0, &refusal);
  if (refusal)
    {
      set_error (self, refusal);
      toast (self, refusal);
      return;
    }
  set_error (self, NULL);
  self->pending++;
  sluice_repository_switch_branch_async (self->repository, name, self->cancellable, switched_cb,
                                         branch_op_new (self, name));
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BranchOp) op = user_data;
  SluiceBranchButton *self = op->self;
  g_autoptr(GError) error = NULL;

  self->pending--;
  if (!sluice_repository_create_branch_finish (SLUICE_REPOSITORY (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_entry), "");
  sluice_branch_button_switch (self, op->name);
}

void
sluice_branch_button_create (SluiceBranchButton *self,
                             const char         *name)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (SLUICE_IS_BRANCH_BUTTON (self));
  g_return_if_fail (name != NULL);

  stripped = g_strstrip (g_strdup (name));
  if (self->repository == NULL || *stripped == '\0')
    return;
  set_error (self, NULL);
  self->pending++;
  sluice_repository_create_branch_async (self->repository, stripped, self->cancellable, created_cb,
                                         branch_op_new (self, stripped));
}

/* ---- template callbacks ---- */

static void
sluice_branch_button_row_activated_cb (SluiceBranchButton *self,
                                       GtkListBoxRow      *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "branch");

  if (name)
    sluice_branch_button_switch (self, name);
}

static void
sluice_branch_button_create_cb (SluiceBranchButton *self)
{
  sluice_branch_button_create (self, gtk_editable_get_text (GTK_EDITABLE (self->new_entry)));
}

static void
sluice_branch_button_entry_changed_cb (SluiceBranchButton *self)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), *stripped != '\0');
}

static void
sluice_branch_button_popover_show_cb (SluiceBranchButton *self)
{
  sluice_branch_button_reload (self);
}

/* ---- GObject ---- */

static void
sluice_branch_button_dispose (GObject *object)
{
  SluiceBranchButton *self = SLUICE_BRANCH_BUTTON (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (sluice_branch_button_parent_class)->dispose (object);
}

static void
sluice_branch_button_finalize (GObject *object)
{
  SluiceBranchButton *self = SLUICE_BRANCH_BUTTON (object);

  g_clear_object (&self->cancellable);
  g_free (self->current);
  g_free (self->error);

  G_OBJECT_CLASS (sluice_branch_button_parent_class)->finalize (object);
}

static void
sluice_branch_button_class_init (SluiceBranchButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_branch_button_dispose;
  object_class->finalize = sluice_branch_button_finalize;

  signals[SWITCHED] =
    g_signal_new ("switched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHECK_UNSAVED] =
    g_signal_new ("check-unsaved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_STRING, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-branch-button.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, button);
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, popover);
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, list);
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, new_entry);
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, create_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceBranchButton, label);
  gtk_widget_class_bind_template_callback (widget_class, sluice_branch_button_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_branch_button_create_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_branch_button_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_branch_button_popover_show_cb);
}

static void
sluice_branch_button_init (SluiceBranchButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

const char *
sluice_branch_button_get_current (SluiceBranchButton *self)
{
  g_return_val_if_fail (SLUICE_IS_BRANCH_BUTTON (self), NULL);
  return self->current;
}

const char *
sluice_branch_button_get_error (SluiceBranchButton *self)
{
  g_return_val_if_fail (SLUICE_IS_BRANCH_BUTTON (self), NULL);
  return self->error;
}

gboolean
sluice_branch_button_get_busy (SluiceBranchButton *self)
{
  g_return_val_if_fail (SLUICE_IS_BRANCH_BUTTON (self), FALSE);
  return self->pending > 0;
}

GtkListBox *
sluice_branch_button_get_list (SluiceBranchButton *self)
{
  g_return_val_if_fail (SLUICE_IS_BRANCH_BUTTON (self), NULL);
  return self->list;
}
