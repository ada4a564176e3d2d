#define G_LOG_DOMAIN "sluice-hand-edit-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sluice-hand-edit-dialog.h"

struct _SluiceHandEditDialog
{
  AdwMessageDialog  parent_instance;

  GtkExpander      *expander;
  GtkSourceView    *diff_view;
};

G_DEFINE_FINAL_TYPE (SluiceHandEditDialog, sluice_hand_edit_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
sluice_hand_edit_dialog_class_init (SluiceHandEditDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-hand-edit-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceHandEditDialog, expander);
  gtk_widget_class_bind_template_child (widget_class, SluiceHandEditDialog, diff_view);
}

static void
sluice_hand_edit_dialog_init (SluiceHandEditDialog *self)
{
  GtkSourceLanguage *diff;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  diff = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), "diff");
  if (diff)
    gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->diff_view))),
                                    diff);
}

SluiceHandEditDialog *
sluice_hand_edit_dialog_new (GtkWindow          *parent,
                             const char         *pipeline_name,
                             const char * const *paths,
                             const char         *diff)
{
  SluiceHandEditDialog *self;
  g_autofree char *files = NULL;
  g_autofree char *body = NULL;
  guint n;

  g_return_val_if_fail (pipeline_name != NULL && paths != NULL && diff != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_HAND_EDIT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  n = g_strv_length ((char **) paths);
  files = g_strjoinv (", ", (char **) paths);
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s was changed by hand since Sluice generated it from %s. Saving "
                                       "rewrites it from the pipeline: keep their edits, or overwrite them?",
                                       "%s were changed by hand since Sluice generated them from %s. Saving "
                                       "rewrites them from the pipeline: keep their edits, or overwrite them?", n),
                          files, pipeline_name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->diff_view)), diff, -1);
  return self;
}

GtkTextView *
sluice_hand_edit_dialog_get_diff_view (SluiceHandEditDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_HAND_EDIT_DIALOG (self), NULL);
  return GTK_TEXT_VIEW (self->diff_view);
}
