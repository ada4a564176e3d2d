/* The project page's outline: the shown pipeline's gems in the sidebar,
 * each with its type's icon; activating one selects it on the canvas and
 * brings it to the middle of the view. */
#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-project-page-private.h"

static GtkWidget *
create_outline_row (gpointer item,
                    gpointer user_data)
{
  SluiceGem *gem = item;
  SluiceGemType *type = sluice_gem_get_gem_type (gem);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name (type ? sluice_gem_type_get_icon_name (type)
                                                       : "dialog-question-symbolic");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_tooltip_text (icon, type ? sluice_gem_type_get_title (type) : sluice_gem_get_type_name (gem));
  gtk_widget_set_margin_start (box, 12);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  /* The label follows renames made in the inspector. */
  g_object_bind_property (gem, "label", label, "label", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sluice_gem_get_label (gem), -1);
  g_object_set_data_full (G_OBJECT (row), "gem", g_object_ref (gem), g_object_unref);
  return row;
}

void
_sluice_project_page_update_outline (SluiceProjectPage *self)
{
  SluicePipeline *p = self->pipeline_view ? sluice_pipeline_view_get_pipeline (self->pipeline_view) : NULL;
  g_autofree char *title = NULL;

  if (self->disposed)
    return;
  gtk_list_box_bind_model (self->outline_list, p ? sluice_pipeline_get_gems (p) : NULL,
                           create_outline_row, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->outline_box), p != NULL);
  if (p)
    {
      title = g_strdup_printf (_("Gems of %s"), sluice_pipeline_get_name (p));
      gtk_label_set_text (self->outline_title, title);
    }
}

/* Brings the gem's card to the middle of the canvas. */
static void
centre_on (SluiceCanvas *canvas,
           SluiceGem    *gem)
{
  GtkWidget *card = sluice_canvas_get_gem_widget (canvas, sluice_gem_get_id (gem));
  double vx, vy, w = 160, h = 48;

  /* A card's own size is in model units (the canvas scales it). */
  if (card && gtk_widget_get_width (card) > 0)
    {
      w = gtk_widget_get_width (card);
      h = gtk_widget_get_height (card);
    }
  sluice_canvas_model_to_view (canvas, sluice_gem_get_x (gem) + w / 2, sluice_gem_get_y (gem) + h / 2, &vx, &vy);
  sluice_canvas_pan_by (canvas,
                        gtk_widget_get_width (GTK_WIDGET (canvas)) / 2.0 - vx,
                        gtk_widget_get_height (GTK_WIDGET (canvas)) / 2.0 - vy);
}

typedef struct
{
  SluiceGem *gem;     /* owned */
  guint      frames;
} Centring;

static void
centring_free (gpointer data)
{
  Centring *c = data;
  g_object_unref (c->gem);
  g_free (c);
}

/* Selecting may show the inspector and narrow the canvas: centre again
 * once that frame has been laid out. */
static gboolean
centre_tick_cb (GtkWidget     *canvas,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Centring *c = user_data;

  if (++c->frames < 2)
    return G_SOURCE_CONTINUE;
  centre_on (SLUICE_CANVAS (canvas), c->gem);
  return G_SOURCE_REMOVE;
}

/* Selects @gem_id on the shown canvas and centres the view on it. */
gboolean
sluice_project_page_reveal_gem (SluiceProjectPage *self,
                                const char        *gem_id)
{
  const char *ids[] = { gem_id, NULL };
  SluiceCanvas *canvas;
  SluicePipeline *p;
  SluiceGem *gem;
  Centring *c;

  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), FALSE);

  if (self->pipeline_view == NULL || gem_id == NULL)
    return FALSE;
  p = sluice_pipeline_view_get_pipeline (self->pipeline_view);
  if (!(gem = sluice_pipeline_find_gem (p, gem_id)))
    return FALSE;

  canvas = sluice_pipeline_view_get_canvas (self->pipeline_view);
  sluice_canvas_set_selection (canvas, ids);
  centre_on (canvas, gem);
  c = g_new0 (Centring, 1);
  c->gem = g_object_ref (gem);
  gtk_widget_add_tick_callback (GTK_WIDGET (canvas), centre_tick_cb, c, centring_free);
  gtk_widget_grab_focus (GTK_WIDGET (canvas));
  return TRUE;
}

static void
outline_activated_cb (SluiceProjectPage *self,
                      GtkListBoxRow     *row)
{
  SluiceGem *gem = g_object_get_data (G_OBJECT (row), "gem");

  if (gem)
    sluice_project_page_reveal_gem (self, sluice_gem_get_id (gem));
}

void
_sluice_project_page_class_init_outline (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, outline_activated_cb);
}
