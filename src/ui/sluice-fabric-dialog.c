#define G_LOG_DOMAIN "sluice-fabric-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-fabric-dialog.h"
#include "sluice-redact.h"

struct _SluiceFabricDialog
{
  AdwWindow             parent_instance;

  /* template children */
  AdwWindowTitle       *title;
  GtkWidget            *save_button;
  GtkLabel             *problem_label;
  AdwEntryRow          *name_row;
  AdwPreferencesGroup  *settings_group;
  AdwPreferencesGroup  *secrets_group;

  SluiceFabricSession  *session;    /* owned */
  SluiceFabric         *fabric;     /* owned: the copy being edited */
  GHashTable           *rows;       /* owned: key → row (borrowed) */
  GHashTable           *stored_rows;/* owned: secret key → "stored" row (borrowed) */
  GHashTable           *stored;     /* owned: secret keys the keyring has */
  GCancellable         *cancellable;/* owned */
  gboolean              searching;
  gboolean              saving;
};

G_DEFINE_FINAL_TYPE (SluiceFabricDialog, sluice_fabric_dialog, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const SluiceFabricField *
fields_of (SluiceFabricDialog *self,
           guint              *n)
{
  return sluice_fabric_kind_get_fields (sluice_fabric_get_kind (self->fabric), n);
}

/* What the row of @key holds now (a choice's value, not its title). */
static const char *
current_value (SluiceFabricDialog *self,
               const char         *key)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, key);
  guint n;
  const SluiceFabricField *fields = fields_of (self, &n);

  if (row == NULL)
    return NULL;
  if (ADW_IS_COMBO_ROW (row))
    for (guint i = 0; i < n; i++)
      if (g_str_equal (fields[i].key, key))
        {
          guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
          return selected < g_strv_length ((char **) fields[i].choices) ? fields[i].choices[selected] : NULL;
        }
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
applies (SluiceFabricDialog      *self,
         const SluiceFabricField *field)
{
  return field->when_key == NULL || g_strcmp0 (current_value (self, field->when_key), field->when_value) == 0;
}

static void
update (SluiceFabricDialog *self)
{
  SluiceCredentialStore *credentials = sluice_fabric_session_get_credentials (self->session);
  gboolean no_keyring = sluice_credential_store_get_status (credentials) == SLUICE_KEYRING_UNAVAILABLE;
  gboolean any_secret = FALSE;
  guint n;
  const SluiceFabricField *fields = fields_of (self, &n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = g_hash_table_lookup (self->rows, fields[i].key);
      gboolean on = applies (self, &fields[i]);

      if (fields[i].type != SLUICE_FABRIC_FIELD_SECRET)
        {
          gtk_widget_set_visible (row, on);
          continue;
        }
      {
        GtkWidget *stored_row = g_hash_table_lookup (self->stored_rows, fields[i].key);
        gboolean stored = g_hash_table_contains (self->stored, fields[i].key);
        gboolean replacing = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "replacing"));

        any_secret |= on;
        if (no_keyring)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (stored_row),
                                       _("The keyring is not available, so this cannot be stored now"));
        else if (self->searching)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (stored_row), _("Asking the keyring…"));
        else
          adw_action_row_set_subtitle (ADW_ACTION_ROW (stored_row), _("Stored in the keyring"));
        gtk_widget_set_visible (stored_row, on && (no_keyring || self->searching || (stored && !replacing)));
        gtk_widget_set_visible (row, on && !no_keyring && !self->searching && (!stored || replacing));
        gtk_widget_set_visible (g_object_get_data (G_OBJECT (stored_row), "replace"),
                                !no_keyring && !self->searching);
      }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->secrets_group), any_secret);
  gtk_widget_set_sensitive (self->save_button, !self->saving && !self->searching);
}

static void
show_problem (SluiceFabricDialog *self,
              const char         *message)
{
  g_autofree char *redacted = sluice_redact (message);

  gtk_label_set_text (self->problem_label, redacted ? redacted : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

static void
replace_clicked_cb (GtkButton *button,
                    GtkWidget *entry_row)
{
  SluiceFabricDialog *self = SLUICE_FABRIC_DIALOG (gtk_widget_get_root (entry_row));

  g_object_set_data (G_OBJECT (entry_row), "replacing", GINT_TO_POINTER (TRUE));
  update (self);
  gtk_widget_grab_focus (entry_row);
}

static void
add_rows (SluiceFabricDialog *self)
{
  guint n;
  const SluiceFabricField *fields = fields_of (self, &n);

  g_hash_table_insert (self->rows, g_strdup ("name"), self->name_row);
  for (guint i = 0; i < n; i++)
    {
      const SluiceFabricField *f = &fields[i];
      const char *value = sluice_fabric_get_setting (self->fabric, f->key);
      GtkWidget *row;

      switch (f->type)
        {
        case SLUICE_FABRIC_FIELD_CHOICE:
          {
            g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
            guint selected = 0;

            for (guint c = 0; f->choices[c]; c++)
              {
                gtk_string_list_append (titles, _(f->choice_titles[c]));
                if (g_strcmp0 (value ? value : f->default_value, f->choices[c]) == 0)
                  selected = c;
              }
            row = adw_combo_row_new ();
            adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (titles));
            adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
            g_signal_connect_object (row, "notify::selected", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(f->title));
            adw_preferences_group_add (self->settings_group, row);
            break;
          }
        case SLUICE_FABRIC_FIELD_SECRET:
          {
            GtkWidget *stored_row = adw_action_row_new ();
            GtkWidget *replace = gtk_button_new_with_mnemonic (_("_Replace…"));

            /* Never filled in: a stored secret is only said to exist. */
            row = adw_password_entry_row_new ();
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(f->title));
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (stored_row), _(f->title));
            gtk_widget_set_valign (replace, GTK_ALIGN_CENTER);
            g_signal_connect (replace, "clicked", G_CALLBACK (replace_clicked_cb), row);
            adw_action_row_add_suffix (ADW_ACTION_ROW (stored_row), replace);
            g_object_set_data (G_OBJECT (stored_row), "replace", replace);
            adw_preferences_group_add (self->secrets_group, stored_row);
            adw_preferences_group_add (self->secrets_group, row);
            g_hash_table_insert (self->stored_rows, g_strdup (f->key), stored_row);
            break;
          }
        case SLUICE_FABRIC_FIELD_TEXT:
        case SLUICE_FABRIC_FIELD_URL:
        case SLUICE_FABRIC_FIELD_INT:
        default:
          row = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(f->title));
          gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
          if (f->hint)
            {
              g_autofree char *tip = g_strdup_printf (_("For example %s"), _(f->hint));
              gtk_widget_set_tooltip_text (row, tip);
            }
          if (f->type == SLUICE_FABRIC_FIELD_INT)
            adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
          else if (f->type == SLUICE_FABRIC_FIELD_URL)
            adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
          adw_preferences_group_add (self->settings_group, row);
          break;
        }
      g_hash_table_insert (self->rows, g_strdup (f->key), row);
    }
}

static void
searched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SluiceFabricDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = sluice_credential_store_search_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->searching = FALSE;
  for (guint i = 0; items && i < items->len; i++)
    {
      const char *field = g_hash_table_lookup (g_ptr_array_index (items, i), "field");
      if (field)
        g_hash_table_add (self->stored, g_strdup (field));
    }
  update (self);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SluiceFabricDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sluice_fabric_session_save_finish (SLUICE_FABRIC_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->saving = FALSE;
      show_problem (self, error->message);
      update (self);
      return;
    }
  self->saving = FALSE;
  g_signal_emit (self, signals[SAVED], 0, self->fabric);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SluiceFabricDialog *self = SLUICE_FABRIC_DIALOG (widget);
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  guint n;
  const SluiceFabricField *fields = fields_of (self, &n);

  if (self->saving || self->searching)
    return;
  show_problem (self, NULL);
  sluice_fabric_set_name (self->fabric, name);
  for (guint i = 0; i < n; i++)
    {
      const SluiceFabricField *f = &fields[i];
      GtkWidget *row = g_hash_table_lookup (self->rows, f->key);
      gboolean on = applies (self, f);

      if (f->type == SLUICE_FABRIC_FIELD_SECRET)
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
          if (on && gtk_widget_get_visible (row) && *text)
            g_hash_table_insert (secrets, (char *) f->key, (char *) text);
          continue;
        }
      /* A setting of another choice (an existing cluster's id once "new"
       * is chosen) is dropped, not kept out of sight. */
      sluice_fabric_set_setting (self->fabric, f->key, on ? current_value (self, f->key) : NULL);
    }
  self->saving = TRUE;
  update (self);
  sluice_fabric_session_save_async (self->session, self->fabric, secrets, self->cancellable, saved_cb,
                                    g_object_ref (self));
}

static gboolean
sluice_fabric_dialog_close_request (GtkWindow *window)
{
  SluiceFabricDialog *self = SLUICE_FABRIC_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  /* Whatever was typed into a secret row goes with the dialog. */
  {
    GHashTableIter iter;
    gpointer row;
    g_hash_table_iter_init (&iter, self->rows);
    while (g_hash_table_iter_next (&iter, NULL, &row))
      if (ADW_IS_PASSWORD_ENTRY_ROW (row))
        gtk_editable_set_text (GTK_EDITABLE (row), "");
  }
  return GTK_WINDOW_CLASS (sluice_fabric_dialog_parent_class)->close_request (window);
}

static void
sluice_fabric_dialog_dispose (GObject *object)
{
  SluiceFabricDialog *self = SLUICE_FABRIC_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->fabric);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->stored_rows, g_hash_table_unref);
  g_clear_pointer (&self->stored, g_hash_table_unref);

  G_OBJECT_CLASS (sluice_fabric_dialog_parent_class)->dispose (object);
}

static void
sluice_fabric_dialog_class_init (SluiceFabricDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sluice_fabric_dialog_dispose;
  window_class->close_request = sluice_fabric_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-fabric-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricDialog, title);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricDialog, settings_group);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricDialog, secrets_group);

  gtk_widget_class_install_action (widget_class, "fabric.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "fabric.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, SLUICE_TYPE_FABRIC);
}

static void
sluice_fabric_dialog_init (SluiceFabricDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->stored_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

SluiceFabricDialog *
sluice_fabric_dialog_new (SluiceFabricSession *session,
                          SluiceFabric        *fabric)
{
  SluiceFabricDialog *self;
  gboolean existing;

  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (session), NULL);
  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  self = g_object_new (SLUICE_TYPE_FABRIC_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->fabric = sluice_fabric_copy (fabric);
  existing = sluice_fabric_store_lookup (sluice_fabric_session_get_fabrics (session), sluice_fabric_get_id (fabric)) != NULL;

  adw_window_title_set_title (self->title, existing ? _("Edit Fabric") : _("New Fabric"));
  adw_window_title_set_subtitle (self->title, sluice_fabric_kind_get_title (sluice_fabric_get_kind (fabric)));
  gtk_window_set_title (GTK_WINDOW (self), existing ? _("Edit Fabric") : _("New Fabric"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), sluice_fabric_get_name (fabric));
  add_rows (self);

  g_signal_connect_object (sluice_fabric_session_get_credentials (session), "notify::status",
                           G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  if (existing)
    {
      /* Which secrets exist, never what they are. */
      self->searching = TRUE;
      sluice_credential_store_search_async (sluice_fabric_session_get_credentials (session),
                                            sluice_fabric_kind_to_string (sluice_fabric_get_kind (fabric)),
                                            sluice_fabric_get_id (fabric), self->cancellable, searched_cb,
                                            g_object_ref (self));
    }
  update (self);
  return self;
}

GtkWidget *
sluice_fabric_dialog_get_row (SluiceFabricDialog *self,
                              const char         *key)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_DIALOG (self), NULL);
  return g_hash_table_lookup (self->rows, key);
}

GtkWidget *
sluice_fabric_dialog_get_stored_row (SluiceFabricDialog *self,
                                     const char         *key)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_DIALOG (self), NULL);
  return g_hash_table_lookup (self->stored_rows, key);
}

const char *
sluice_fabric_dialog_get_problem (SluiceFabricDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->problem_label)) ? gtk_label_get_text (self->problem_label) : "";
}

gboolean
sluice_fabric_dialog_is_busy (SluiceFabricDialog *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_DIALOG (self), FALSE);
  return self->searching || self->saving;
}
