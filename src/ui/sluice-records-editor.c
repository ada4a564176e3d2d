#define G_LOG_DOMAIN "sluice-records-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sluice-field-editor.h"
#include "sluice-records-editor.h"

typedef struct
{
  JsonObject *record;    /* owned: as last shown, with keys the catalog does not describe */
  GtkWidget  *card;      /* borrowed */
  GtkLabel   *message;   /* borrowed */
  GPtrArray  *editors;   /* owned: SluiceFieldEditor (borrowed), in sub-field order */
} Record;

struct _SluiceRecordsEditor
{
  GtkBox                    parent_instance;

  GtkBox                   *cards;
  GtkLabel                 *empty_label;
  GtkButton                *add_button;

  const SluiceConfigField  *field;        /* static */
  char                     *path;         /* owned */
  GtkStringList            *columns;      /* owned ref */
  GtkStringList            *datasets;     /* owned ref */
  SluiceCompletionProvider *completion;   /* owned ref */
  GPtrArray                *records;      /* owned: Record */
  guint                     updating;
};

G_DEFINE_FINAL_TYPE (SluiceRecordsEditor, sluice_records_editor, GTK_TYPE_BOX)

enum { COMMITTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
record_free (Record *r)
{
  g_clear_pointer (&r->record, json_object_unref);
  g_clear_pointer (&r->editors, g_ptr_array_unref);
  g_free (r);
}

static void
emit_committed (SluiceRecordsEditor *self)
{
  if (self->updating == 0)
    g_signal_emit (self, signals[COMMITTED], 0);
}

static void
editor_committed_cb (SluiceRecordsEditor *self)
{
  emit_committed (self);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             guint       index)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (index));
  return button;
}

static Record *
add_card (SluiceRecordsEditor *self,
          JsonObject          *object,
          guint                index,
          guint                n)
{
  Record *r = g_new0 (Record, 1);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *number = g_strdup_printf ("%u", index + 1);
  GtkWidget *title = gtk_label_new (number);
  GtkWidget *up, *down;

  r->record = json_object_ref (object);
  r->editors = g_ptr_array_new ();
  r->card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (r->card, "card");
  gtk_widget_add_css_class (r->card, "sluice-record");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_box_append (GTK_BOX (header), title);
  up = icon_button ("go-up-symbolic", _("Move Up"), "records.move-up", index);
  down = icon_button ("go-down-symbolic", _("Move Down"), "records.move-down", index);
  gtk_widget_set_sensitive (up, index > 0);
  gtk_widget_set_sensitive (down, index + 1 < n);
  gtk_box_append (GTK_BOX (header), up);
  gtk_box_append (GTK_BOX (header), down);
  gtk_box_append (GTK_BOX (header), icon_button ("user-trash-symbolic", _("Remove"), "records.remove", index));
  gtk_box_append (GTK_BOX (r->card), header);

  for (const SluiceConfigField *sub = self->field->fields; sub && sub->name; sub++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%u/%s", self->path, index, sub->name);
      SluiceFieldEditor *editor = sluice_field_editor_new (sub, path, self->columns, self->datasets, self->completion);

      sluice_field_editor_set_value (editor, json_object_get_member (object, sub->name));
      g_signal_connect_object (editor, "committed", G_CALLBACK (editor_committed_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (r->card), GTK_WIDGET (editor));
      g_ptr_array_add (r->editors, editor);
    }

  r->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (r->message, TRUE);
  gtk_label_set_xalign (r->message, 0);
  gtk_widget_add_css_class (GTK_WIDGET (r->message), "error");
  gtk_widget_set_visible (GTK_WIDGET (r->message), FALSE);
  gtk_box_append (GTK_BOX (r->card), GTK_WIDGET (r->message));

  gtk_box_append (self->cards, r->card);
  return r;
}

static void
update_actions (SluiceRecordsEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->records->len == 0);
}

/* Shows @objects (transfer none) as cards, from scratch: paths and the
 * move buttons depend on each record's place. */
static void
rebuild (SluiceRecordsEditor *self,
         GPtrArray           *objects)
{
  GtkWidget *child;

  self->updating++;
  g_ptr_array_set_size (self->records, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards))))
    gtk_box_remove (self->cards, child);
  for (guint i = 0; i < objects->len; i++)
    g_ptr_array_add (self->records, add_card (self, g_ptr_array_index (objects, i), i, objects->len));
  update_actions (self);
  self->updating--;
}

/* The records as the widgets hold them: what get_value() returns. */
static GPtrArray *
current_objects (SluiceRecordsEditor *self)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < self->records->len; i++)
    {
      Record *r = g_ptr_array_index (self->records, i);
      JsonObject *copy = json_object_new ();
      GList *members = json_object_get_members (r->record);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (r->record, l->data)));
      g_list_free (members);
      for (guint j = 0; j < r->editors->len; j++)
        {
          SluiceFieldEditor *editor = g_ptr_array_index (r->editors, j);
          const char *name = sluice_field_editor_get_field (editor)->name;
          JsonNode *value = sluice_field_editor_get_value (editor);

          if (value)
            json_object_set_member (copy, name, value);
          else
            json_object_remove_member (copy, name);
        }
      g_ptr_array_add (objects, copy);
    }
  return objects;
}

static void
edit_records (SluiceRecordsEditor *self,
              GPtrArray           *objects)
{
  rebuild (self, objects);
  emit_committed (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SluiceRecordsEditor *self = SLUICE_RECORDS_EDITOR (widget);
  g_autoptr(GPtrArray) objects = current_objects (self);
  JsonObject *record = json_object_new ();

  /* A new record starts with the choices a user would otherwise pick first. */
  for (const SluiceConfigField *sub = self->field->fields; sub && sub->name; sub++)
    if (sub->default_value && sub->kind == SLUICE_FIELD_ENUM)
      json_object_set_string_member (record, sub->name, sub->default_value);
  g_ptr_array_add (objects, record);
  edit_records (self, objects);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SluiceRecordsEditor *self = SLUICE_RECORDS_EDITOR (widget);
  g_autoptr(GPtrArray) objects = current_objects (self);
  guint index = g_variant_get_uint32 (parameter);

  if (index >= objects->len)
    return;
  g_ptr_array_remove_index (objects, index);
  edit_records (self, objects);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SluiceRecordsEditor *self = SLUICE_RECORDS_EDITOR (widget);
  g_autoptr(GPtrArray) objects = current_objects (self);
  guint index = g_variant_get_uint32 (parameter);
  guint other = g_str_equal (action_name, "records.move-up") ? index - 1 : index + 1;
  gpointer tmp;

  if (index >= objects->len || other >= objects->len)
    return;
  tmp = objects->pdata[index];
  objects->pdata[index] = objects->pdata[other];
  objects->pdata[other] = tmp;
  edit_records (self, objects);
}

static void
sluice_records_editor_dispose (GObject *object)
{
  SluiceRecordsEditor *self = SLUICE_RECORDS_EDITOR (object);

  g_clear_object (&self->columns);
  g_clear_object (&self->datasets);
  g_clear_object (&self->completion);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_RECORDS_EDITOR);
  G_OBJECT_CLASS (sluice_records_editor_parent_class)->dispose (object);
}

static void
sluice_records_editor_finalize (GObject *object)
{
  SluiceRecordsEditor *self = SLUICE_RECORDS_EDITOR (object);

  g_free (self->path);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  G_OBJECT_CLASS (sluice_records_editor_parent_class)->finalize (object);
}

static void
sluice_records_editor_class_init (SluiceRecordsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_records_editor_dispose;
  object_class->finalize = sluice_records_editor_finalize;

  signals[COMMITTED] = g_signal_new ("committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/sluice/Sluice/ui/sluice-records-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceRecordsEditor, cards);
  gtk_widget_class_bind_template_child (widget_class, SluiceRecordsEditor, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceRecordsEditor, add_button);

  gtk_widget_class_install_action (widget_class, "records.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "records.remove", "u", remove_action);
  gtk_widget_class_install_action (widget_class, "records.move-up", "u", move_action);
  gtk_widget_class_install_action (widget_class, "records.move-down", "u", move_action);
}

static void
sluice_records_editor_init (SluiceRecordsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
}

SluiceRecordsEditor *
sluice_records_editor_new (const SluiceConfigField  *field,
                           const char               *path,
                           GtkStringList            *columns,
                           GtkStringList            *datasets,
                           SluiceCompletionProvider *completion)
{
  SluiceRecordsEditor *self;

  g_return_val_if_fail (field != NULL && field->fields != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_RECORDS_EDITOR, NULL);
  self->field = field;
  self->path = g_strdup (path);
  self->columns = g_object_ref (columns);
  self->datasets = g_object_ref (datasets);
  self->completion = g_object_ref (completion);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(field->title), -1);
  update_actions (self);
  return self;
}

JsonNode *
sluice_records_editor_get_value (SluiceRecordsEditor *self)
{
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(JsonArray) array = json_array_new ();

  g_return_val_if_fail (SLUICE_IS_RECORDS_EDITOR (self), NULL);

  objects = current_objects (self);
  if (objects->len == 0 && !self->field->required)
    return NULL;
  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  return json_node_init_array (json_node_alloc (), array);
}

void
sluice_records_editor_set_value (SluiceRecordsEditor *self,
                                 JsonNode            *value)
{
  JsonArray *array = value && JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_if_fail (SLUICE_IS_RECORDS_EDITOR (self));

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);
      g_ptr_array_add (objects, JSON_NODE_HOLDS_OBJECT (n) ? json_object_ref (json_node_get_object (n)) : json_object_new ());
    }

  if (objects->len != self->records->len)
    {
      rebuild (self, objects);
      return;
    }
  /* Same records: update in place, so the field being typed in keeps its
   * widget, its focus and its cursor. */
  self->updating++;
  for (guint i = 0; i < objects->len; i++)
    {
      Record *r = g_ptr_array_index (self->records, i);
      JsonObject *object = g_ptr_array_index (objects, i);

      g_clear_pointer (&r->record, json_object_unref);
      r->record = json_object_ref (object);
      for (guint j = 0; j < r->editors->len; j++)
        {
          SluiceFieldEditor *editor = g_ptr_array_index (r->editors, j);
          sluice_field_editor_set_value (editor, json_object_get_member (object, sluice_field_editor_get_field (editor)->name));
        }
    }
  self->updating--;
}

void
sluice_records_editor_set_diagnostics (SluiceRecordsEditor *self,
                                       GPtrArray           *diagnostics)
{
  g_return_if_fail (SLUICE_IS_RECORDS_EDITOR (self));

  for (guint i = 0; i < self->records->len; i++)
    {
      Record *r = g_ptr_array_index (self->records, i);
      g_autofree char *path = g_strdup_printf ("%s/%u", self->path, i);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint j = 0; j < r->editors->len; j++)
        sluice_field_editor_set_diagnostics (g_ptr_array_index (r->editors, j), diagnostics);

      /* What is about the record as a whole, or a key no editor shows. */
      for (guint k = 0; diagnostics && k < diagnostics->len; k++)
        {
          SluiceDiagnostic *d = g_ptr_array_index (diagnostics, k);
          const char *field = sluice_diagnostic_get_field (d);
          gboolean claimed = FALSE;
          g_autofree char *message = NULL;

          if (!sluice_field_path_claims (path, field))
            continue;
          for (guint j = 0; j < r->editors->len && !claimed; j++)
            claimed = sluice_field_path_claims (sluice_field_editor_get_path (g_ptr_array_index (r->editors, j)), field);
          if (claimed)
            continue;
          message = sluice_field_describe_diagnostic (d);
          g_string_append_printf (text, "%s%s", text->len ? "\n" : "", message);
        }
      gtk_label_set_text (r->message, text->str);
      gtk_widget_set_visible (GTK_WIDGET (r->message), text->len > 0);
    }
}

void
sluice_records_editor_flush (SluiceRecordsEditor *self)
{
  g_return_if_fail (SLUICE_IS_RECORDS_EDITOR (self));

  for (guint i = 0; i < self->records->len; i++)
    {
      Record *r = g_ptr_array_index (self->records, i);
      for (guint j = 0; j < r->editors->len; j++)
        sluice_field_editor_flush (g_ptr_array_index (r->editors, j));
    }
}

guint
sluice_records_editor_get_n_records (SluiceRecordsEditor *self)
{
  g_return_val_if_fail (SLUICE_IS_RECORDS_EDITOR (self), 0);
  return self->records->len;
}

SluiceFieldEditor *
sluice_records_editor_get_editor (SluiceRecordsEditor *self,
                                  guint                index,
                                  const char          *name)
{
  Record *r;

  g_return_val_if_fail (SLUICE_IS_RECORDS_EDITOR (self), NULL);

  if (index >= self->records->len)
    return NULL;
  r = g_ptr_array_index (self->records, index);
  for (guint j = 0; j < r->editors->len; j++)
    if (g_strcmp0 (sluice_field_editor_get_field (g_ptr_array_index (r->editors, j))->name, name) == 0)
      return g_ptr_array_index (r->editors, j);
  return NULL;
}
