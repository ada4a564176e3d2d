#define G_LOG_DOMAIN "sluice-add-gem-popover"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-add-gem-popover.h"
#include "sluice-core.h"
#include "sluice-palette.h"

struct _SluiceAddGemPopover
{
  GtkPopover      parent_instance;

  GtkSearchEntry *search;   /* borrowed: template child */
  GtkListBox     *list;     /* borrowed: template child */
  char           *filter;   /* owned, casefolded, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceAddGemPopover, sluice_add_gem_popover, GTK_TYPE_POPOVER)

enum { GEM_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static SluiceGemType *
row_type (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "gem-type");
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  SluiceAddGemPopover *self = user_data;

  return sluice_palette_type_matches (row_type (row), self->filter);
}

static GtkListBoxRow *
first_shown (SluiceAddGemPopover *self)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->list)); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_BOX_ROW (w) && filter_row (GTK_LIST_BOX_ROW (w), self))
      return GTK_LIST_BOX_ROW (w);
  return NULL;
}

static void
choose (SluiceAddGemPopover *self,
        GtkListBoxRow       *row)
{
  g_autofree char *name = NULL;

  if (row == NULL)
    return;
  name = g_strdup (sluice_gem_type_get_name (row_type (row)));
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[GEM_CHOSEN], 0, name);
}

static void
sluice_add_gem_popover_search_changed_cb (SluiceAddGemPopover *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));

  g_free (self->filter);
  self->filter = g_utf8_casefold (text, -1);
  gtk_list_box_invalidate_filter (self->list);
  gtk_list_box_select_row (self->list, first_shown (self));
}

static void
sluice_add_gem_popover_activate_cb (SluiceAddGemPopover *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);

  /* The highlighted match, which is the first one unless the user moved. */
  if (row == NULL || !filter_row (row, self))
    row = first_shown (self);
  choose (self, row);
}

static void
sluice_add_gem_popover_stop_search_cb (SluiceAddGemPopover *self)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
sluice_add_gem_popover_row_activated_cb (SluiceAddGemPopover *self,
                                         GtkListBoxRow       *row)
{
  choose (self, row);
}

/* Up and Down in the entry move the highlight, so the entry keeps the focus. */
static gboolean
key_pressed_cb (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SluiceAddGemPopover   *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  GtkWidget *w;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up)
    return FALSE;
  w = row ? GTK_WIDGET (row) : NULL;
  do
    w = w == NULL ? gtk_widget_get_first_child (GTK_WIDGET (self->list))
        : keyval == GDK_KEY_Down ? gtk_widget_get_next_sibling (w) : gtk_widget_get_prev_sibling (w);
  while (w && !(GTK_IS_LIST_BOX_ROW (w) && filter_row (GTK_LIST_BOX_ROW (w), self)));
  if (w)
    gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (w));
  return TRUE;
}

static GtkWidget *
make_row (SluiceGemType *type)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name (sluice_gem_type_get_icon_name (type));
  GtkWidget *title = gtk_label_new (sluice_gem_type_get_title (type));
  GtkWidget *category = gtk_label_new (sluice_gem_type_get_category (type));

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (category, "dim-label");
  gtk_widget_add_css_class (category, "caption");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), category);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, sluice_gem_type_get_description (type));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sluice_gem_type_get_title (type), -1);
  g_object_set_data (G_OBJECT (row), "gem-type", type);
  return row;
}

static void
sluice_add_gem_popover_finalize (GObject *object)
{
  SluiceAddGemPopover *self = SLUICE_ADD_GEM_POPOVER (object);

  g_free (self->filter);
  G_OBJECT_CLASS (sluice_add_gem_popover_parent_class)->finalize (object);
}

static void
sluice_add_gem_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SLUICE_TYPE_ADD_GEM_POPOVER);
  G_OBJECT_CLASS (sluice_add_gem_popover_parent_class)->dispose (object);
}

static void
sluice_add_gem_popover_class_init (SluiceAddGemPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_add_gem_popover_dispose;
  object_class->finalize = sluice_add_gem_popover_finalize;

  signals[GEM_CHOSEN] =
    g_signal_new ("gem-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-add-gem-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceAddGemPopover, search);
  gtk_widget_class_bind_template_child (widget_class, SluiceAddGemPopover, list);
  gtk_widget_class_bind_template_callback (widget_class, sluice_add_gem_popover_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_add_gem_popover_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_add_gem_popover_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_add_gem_popover_row_activated_cb);
}

static void
sluice_add_gem_popover_init (SluiceAddGemPopover *self)
{
  GListModel *types = sluice_gem_type_list ();
  GtkEventController *key = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(SluiceGemType) type = g_list_model_get_item (types, i);
      gtk_list_box_append (self->list, make_row (type));
    }
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), key);
}

GtkWidget *
sluice_add_gem_popover_new (void)
{
  return g_object_new (SLUICE_TYPE_ADD_GEM_POPOVER, NULL);
}

void
sluice_add_gem_popover_set_text (SluiceAddGemPopover *self,
                                 const char          *text)
{
  g_return_if_fail (SLUICE_IS_ADD_GEM_POPOVER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search), text ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (self->search), -1);
  /* Now, not after the entry's delay: Enter must act on what was typed. */
  sluice_add_gem_popover_search_changed_cb (self);
}

GStrv
sluice_add_gem_popover_get_shown_types (SluiceAddGemPopover *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SLUICE_IS_ADD_GEM_POPOVER (self), NULL);

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->list)); w; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_BOX_ROW (w) && filter_row (GTK_LIST_BOX_ROW (w), self))
      g_strv_builder_add (builder, sluice_gem_type_get_name (row_type (GTK_LIST_BOX_ROW (w))));
  return g_strv_builder_end (builder);
}
