#define G_LOG_DOMAIN "sluice-palette"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-core.h"
#include "sluice-palette.h"

struct _SluicePalette
{
  GtkBox          parent_instance;

  GtkSearchEntry *search;
  GtkListBox     *list;

  char           *filter;   /* owned, casefolded, nullable */
  gboolean        setting;  /* the entry's own signals while we set its text */
};

G_DEFINE_FINAL_TYPE (SluicePalette, sluice_palette, GTK_TYPE_BOX)

enum { GEM_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static SluiceGemType *
row_type (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "gem-type");
}

static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack ? haystack : "", -1);
  return strstr (folded, needle) != NULL;
}

gboolean
sluice_palette_type_matches (SluiceGemType *type,
                             const char    *folded)
{
  if (folded == NULL || *folded == '\0')
    return TRUE;
  return contains_folded (sluice_gem_type_get_title (type), folded) ||
         contains_folded (sluice_gem_type_get_name (type), folded) ||
         contains_folded (sluice_gem_type_get_category (type), folded) ||
         contains_folded (sluice_gem_type_get_description (type), folded);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  SluicePalette *self = user_data;

  return sluice_palette_type_matches (row_type (row), self->filter);
}

/* Categories in the order they first appear in the catalog, gems in the
 * catalog's order within them. */
static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  int ca = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "category-rank"));
  int cb = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "category-rank"));
  int ia = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "catalog-index"));
  int ib = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "catalog-index"));

  return ca != cb ? ca - cb : ia - ib;
}

/* A heading above the first row of each category. */
static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  const char *category = sluice_gem_type_get_category (row_type (row));
  GtkWidget *label;

  if (before && g_strcmp0 (sluice_gem_type_get_category (row_type (before)), category) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  label = gtk_label_new (category);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "sluice-palette-heading");
  gtk_list_box_row_set_header (row, label);
}

GdkContentProvider *
sluice_palette_get_drag_content (SluicePalette *self,
                                 const char    *type_name)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SLUICE_IS_PALETTE (self), NULL);

  if (sluice_gem_type_lookup (type_name) == NULL)
    return NULL;
  text = g_strconcat (SLUICE_PALETTE_DRAG_PREFIX, type_name, NULL);
  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

const char *
sluice_palette_parse_drop (const char *text)
{
  const char *name;

  if (text == NULL || !g_str_has_prefix (text, SLUICE_PALETTE_DRAG_PREFIX))
    return NULL;
  name = text + strlen (SLUICE_PALETTE_DRAG_PREFIX);
  return sluice_gem_type_lookup (name) ? name : NULL;
}

static GdkContentProvider *
drag_prepare (GtkDragSource *source,
              double         x,
              double         y,
              SluicePalette *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  /* The row itself follows the pointer, where it was grabbed. */
  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  return sluice_palette_get_drag_content (self, sluice_gem_type_get_name (row_type (GTK_LIST_BOX_ROW (row))));
}

static GtkWidget *
make_row (SluicePalette *self,
          SluiceGemType *type)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (sluice_gem_type_get_title (type));
  GtkWidget *description = gtk_label_new (sluice_gem_type_get_description (type));
  GtkDragSource *source = gtk_drag_source_new ();
  g_autofree char *accessible = g_strdup_printf (_("%s gem: %s"), sluice_gem_type_get_title (type),
                                                 sluice_gem_type_get_description (type));

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (sluice_gem_type_get_icon_name (type)));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 28);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), description);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, _("Drag onto the canvas, or press Enter to add it"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepare), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  g_object_set_data (G_OBJECT (row), "gem-type", type);   /* the catalog is static */
  return row;
}

static void
search_changed_cb (SluicePalette  *self,
                   GtkSearchEntry *entry)
{
  sluice_palette_set_filter_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static GtkListBoxRow *
only_shown_row (SluicePalette *self)
{
  GtkListBoxRow *found = NULL, *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)); i++)
    if (filter_row (row, self))
      {
        if (found)
          return NULL;
        found = row;
      }
  return found;
}

static void
search_activate_cb (SluicePalette  *self,
                    GtkSearchEntry *entry)
{
  GtkListBoxRow *row = only_shown_row (self);

  if (row)
    g_signal_emit (self, signals[GEM_CHOSEN], 0, sluice_gem_type_get_name (row_type (row)));
}

static void
row_activated_cb (SluicePalette *self,
                  GtkListBoxRow *row)
{
  g_signal_emit (self, signals[GEM_CHOSEN], 0, sluice_gem_type_get_name (row_type (row)));
}

void
sluice_palette_set_filter_text (SluicePalette *self,
                                const char    *text)
{
  g_return_if_fail (SLUICE_IS_PALETTE (self));

  if (self->setting)
    return;
  g_free (self->filter);
  self->filter = text && *text ? g_utf8_casefold (text, -1) : NULL;
  /* Setting the text deletes the old one first, and the entry reports both. */
  self->setting = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search), text ? text : "");
  self->setting = FALSE;
  gtk_list_box_invalidate_filter (self->list);
}

GStrv
sluice_palette_get_shown_types (SluicePalette *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  GtkListBoxRow *row;

  g_return_val_if_fail (SLUICE_IS_PALETTE (self), NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)); i++)
    if (filter_row (row, self))
      g_strv_builder_add (b, sluice_gem_type_get_name (row_type (row)));
  return g_strv_builder_end (b);
}

static void
sluice_palette_finalize (GObject *object)
{
  g_free (SLUICE_PALETTE (object)->filter);
  G_OBJECT_CLASS (sluice_palette_parent_class)->finalize (object);
}

static void
sluice_palette_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SLUICE_TYPE_PALETTE);
  G_OBJECT_CLASS (sluice_palette_parent_class)->dispose (object);
}

static void
sluice_palette_class_init (SluicePaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_palette_dispose;
  object_class->finalize = sluice_palette_finalize;

  /* (type_name) */
  signals[GEM_CHOSEN] = g_signal_new ("gem-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, SluicePalette, search);
  gtk_widget_class_bind_template_child (widget_class, SluicePalette, list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
sluice_palette_init (SluicePalette *self)
{
  GListModel *types = sluice_gem_type_list ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_list_box_set_header_func (self->list, update_header, NULL, NULL);
  g_autoptr(GPtrArray) categories = g_ptr_array_new ();

  gtk_list_box_set_sort_func (self->list, sort_rows, NULL, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(SluiceGemType) type = g_list_model_get_item (types, i);
      GtkWidget *row = make_row (self, type);
      const char *category = sluice_gem_type_get_category (type);
      guint rank;

      if (!g_ptr_array_find_with_equal_func (categories, category, g_str_equal, &rank))
        {
          rank = categories->len;
          g_ptr_array_add (categories, (gpointer) category);
        }
      g_object_set_data (G_OBJECT (row), "category-rank", GINT_TO_POINTER (rank));
      g_object_set_data (G_OBJECT (row), "catalog-index", GINT_TO_POINTER (i));
      gtk_list_box_append (self->list, row);
    }
}

GtkWidget *
sluice_palette_new (void)
{
  return g_object_new (SLUICE_TYPE_PALETTE, NULL);
}
