/* The dataset editor's schema table: a GtkColumnView of the columns, with
 * the type (a menu, and precision and scale for decimal), nullable and the
 * description editable in place, and the inference's note. Each edit is
 * saved at once. */
#define G_LOG_DOMAIN "sluice-dataset-view"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sluice-dataset-view-private.h"

const char * const sluice_dataset_view_types[] = {
  "string", "int", "bigint", "double", "decimal", "boolean", "date", "timestamp", NULL
};


void
_sluice_dataset_view_rebuild_columns (SluiceDatasetView *self)
{
  guint n = sluice_dataset_get_n_columns (self->dataset);
  g_autofree const char **names = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    names[i] = sluice_dataset_get_column_name (self->dataset, i);
  gtk_string_list_splice (self->columns, 0, g_list_model_get_n_items (G_LIST_MODEL (self->columns)),
                          (const char * const *) names);
}

static guint
item_position (GtkWidget *widget)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (widget), "list-item");
  guint i = item ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;

  return i;
}

static SluiceDatasetView *
view_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "dataset-view");
}

static gboolean
valid_column (SluiceDatasetView *self,
              guint              i)
{
  return i != GTK_INVALID_LIST_POSITION && i < sluice_dataset_get_n_columns (self->dataset);
}

/* "decimal(10,2)" → 4, 10, 2 */
static guint
type_index (const char *type,
            int        *precision,
            int        *scale)
{
  *precision = 10;
  *scale = 2;
  if (g_str_has_prefix (type, "decimal"))
    {
      if (sscanf (type, "decimal(%d,%d)", precision, scale) != 2)
        *precision = 10, *scale = 0;
      return 4;
    }
  for (guint i = 0; sluice_dataset_view_types[i]; i++)
    if (g_str_equal (sluice_dataset_view_types[i], type))
      return i;
  return 0;
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
}

static void
type_edited (GtkWidget *box)
{
  SluiceDatasetView *self = view_of (box);
  GtkDropDown *drop = g_object_get_data (G_OBJECT (box), "drop-down");
  GtkSpinButton *p = g_object_get_data (G_OBJECT (box), "precision");
  GtkSpinButton *s = g_object_get_data (G_OBJECT (box), "scale");
  guint i = item_position (box);
  guint t = gtk_drop_down_get_selected (drop);
  g_autofree char *type = NULL;

  if (t == GTK_INVALID_LIST_POSITION || t >= g_strv_length ((char **) sluice_dataset_view_types))
    return;
  gtk_widget_set_visible (gtk_widget_get_next_sibling (GTK_WIDGET (drop)), t == 4);
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (box), "binding")) || !valid_column (self, i))
    return;
  if (t == 4)
    {
      int precision = gtk_spin_button_get_value_as_int (p);
      int scale = MIN (gtk_spin_button_get_value_as_int (s), precision);
      type = g_strdup_printf ("decimal(%d,%d)", precision, scale);
    }
  else
    type = g_strdup (sluice_dataset_view_types[t]);
  if (g_str_equal (type, sluice_dataset_get_column_type (self->dataset, i)))
    return;
  sluice_dataset_set_column_type (self->dataset, i, type);
  _sluice_dataset_view_save (self);
  _sluice_dataset_view_refresh_preview (self);
}

static void
type_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SluiceDatasetView        *self)
{
  static const char * const labels[] = {
    "string", "int", "bigint", "double", "decimal(p,s)", "boolean", "date", "timestamp", NULL
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *decimal = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *drop = gtk_drop_down_new_from_strings (labels);
  GtkWidget *p = gtk_spin_button_new_with_range (1, 38, 1);
  GtkWidget *s = gtk_spin_button_new_with_range (0, 38, 1);

  gtk_widget_add_css_class (drop, "flat");
  gtk_widget_add_css_class (drop, "sluice-type-drop-down");
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Column type"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (p), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Precision"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (s), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Scale"), -1);
  gtk_widget_set_tooltip_text (p, _("Precision: digits in all"));
  gtk_widget_set_tooltip_text (s, _("Scale: digits after the point"));
  gtk_box_append (GTK_BOX (box), drop);
  gtk_box_append (GTK_BOX (decimal), p);
  gtk_box_append (GTK_BOX (decimal), s);
  gtk_widget_set_visible (decimal, FALSE);
  gtk_box_append (GTK_BOX (box), decimal);
  g_object_set_data (G_OBJECT (box), "list-item", item);
  g_object_set_data (G_OBJECT (box), "dataset-view", self);
  g_object_set_data (G_OBJECT (box), "drop-down", drop);
  g_object_set_data (G_OBJECT (box), "precision", p);
  g_object_set_data (G_OBJECT (box), "scale", s);
  g_signal_connect_swapped (drop, "notify::selected", G_CALLBACK (type_edited), box);
  g_signal_connect_swapped (p, "value-changed", G_CALLBACK (type_edited), box);
  g_signal_connect_swapped (s, "value-changed", G_CALLBACK (type_edited), box);
  gtk_list_item_set_child (item, box);
}

static void
type_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SluiceDatasetView        *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  guint i = gtk_list_item_get_position (item);
  int precision, scale;
  guint t;

  if (!valid_column (self, i))
    return;
  t = type_index (sluice_dataset_get_column_type (self->dataset, i), &precision, &scale);
  g_object_set_data (G_OBJECT (box), "binding", GINT_TO_POINTER (TRUE));
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (box), "precision"), precision);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (box), "scale"), scale);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (box), "drop-down"), t);
  gtk_widget_set_visible (gtk_widget_get_last_child (box), t == 4);
  g_object_set_data (G_OBJECT (box), "binding", NULL);
}

static void
nullable_toggled (GtkCheckButton *check)
{
  SluiceDatasetView *self = view_of (GTK_WIDGET (check));
  guint i = item_position (GTK_WIDGET (check));
  gboolean active = gtk_check_button_get_active (check);

  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "binding")) || !valid_column (self, i) ||
      active == sluice_dataset_get_column_nullable (self->dataset, i))
    return;
  sluice_dataset_set_column_nullable (self->dataset, i, active);
  _sluice_dataset_view_save (self);
  _sluice_dataset_view_refresh_preview (self);
}

static void
nullable_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                SluiceDatasetView        *self)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Nullable"), -1);
  g_object_set_data (G_OBJECT (check), "list-item", item);
  g_object_set_data (G_OBJECT (check), "dataset-view", self);
  g_signal_connect (check, "toggled", G_CALLBACK (nullable_toggled), NULL);
  gtk_list_item_set_child (item, check);
}

static void
nullable_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SluiceDatasetView        *self)
{
  GtkWidget *check = gtk_list_item_get_child (item);
  guint i = gtk_list_item_get_position (item);

  if (!valid_column (self, i))
    return;
  g_object_set_data (G_OBJECT (check), "binding", GINT_TO_POINTER (TRUE));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), sluice_dataset_get_column_nullable (self->dataset, i));
  g_object_set_data (G_OBJECT (check), "binding", NULL);
}

static void
description_edited (GtkEditableLabel *label)
{
  SluiceDatasetView *self = view_of (GTK_WIDGET (label));
  guint i = item_position (GTK_WIDGET (label));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (label));

  if (gtk_editable_label_get_editing (label) || !valid_column (self, i) ||
      g_strcmp0 (text, sluice_dataset_get_column_description (self->dataset, i) ?: "") == 0)
    return;
  sluice_dataset_set_column_description (self->dataset, i, *text ? text : NULL);
  _sluice_dataset_view_save (self);
}

static void
description_setup (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   SluiceDatasetView        *self)
{
  GtkWidget *label = gtk_editable_label_new ("");

  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Column description"), -1);
  gtk_widget_set_tooltip_text (label, _("Double-click to describe the column"));
  g_object_set_data (G_OBJECT (label), "list-item", item);
  g_object_set_data (G_OBJECT (label), "dataset-view", self);
  g_signal_connect (label, "notify::editing", G_CALLBACK (description_edited), NULL);
  gtk_list_item_set_child (item, label);
}

static void
description_bind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  SluiceDatasetView        *self)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  guint i = gtk_list_item_get_position (item);

  if (valid_column (self, i))
    gtk_editable_set_text (GTK_EDITABLE (label), sluice_dataset_get_column_description (self->dataset, i) ?: "");
}

static void
note_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_item_set_child (item, label);
}

static void
note_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SluiceDatasetView        *self)
{
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), g_hash_table_lookup (self->notes, name));
}

static void
add_column (SluiceDatasetView *self,
            const char        *title,
            GCallback          setup,
            GCallback          bind,
            gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->schema_view, column);
  g_object_unref (column);
}

void
_sluice_dataset_view_init_schema (SluiceDatasetView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->columns = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->columns)));
  gtk_column_view_set_model (self->schema_view, GTK_SELECTION_MODEL (selection));
  add_column (self, _("Column"), G_CALLBACK (name_setup), G_CALLBACK (name_bind), FALSE);
  add_column (self, _("Type"), G_CALLBACK (type_setup), G_CALLBACK (type_bind), FALSE);
  add_column (self, _("Nullable"), G_CALLBACK (nullable_setup), G_CALLBACK (nullable_bind), FALSE);
  add_column (self, _("Description"), G_CALLBACK (description_setup), G_CALLBACK (description_bind), TRUE);
  add_column (self, _("Inference note"), G_CALLBACK (note_setup), G_CALLBACK (note_bind), FALSE);
}
