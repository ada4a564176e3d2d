#pragma once

#include <gtk/gtk.h>

#include "sluice-core.h"

G_BEGIN_DECLS

/* One gem on the canvas: a card drawn by the widget itself (one CSS node,
 * cached text), so a canvas of thousands of gems stays cheap. Its size and
 * port points are in model units; the canvas scales it with the allocation
 * transform. The widget only shows the gem: edits go through the pipeline. */

#define SLUICE_TYPE_GEM_WIDGET (sluice_gem_widget_get_type ())
G_DECLARE_FINAL_TYPE (SluiceGemWidget, sluice_gem_widget, SLUICE, GEM_WIDGET, GtkWidget)

#define SLUICE_GEM_WIDGET_WIDTH   184
#define SLUICE_GEM_WIDGET_PORT_RADIUS 5

GtkWidget  *sluice_gem_widget_new             (SluiceGem        *gem);
/* (transfer none) */
SluiceGem  *sluice_gem_widget_get_gem         (SluiceGemWidget  *self);
gboolean    sluice_gem_widget_get_selected    (SluiceGemWidget  *self);
void        sluice_gem_widget_set_selected    (SluiceGemWidget  *self,
                                               gboolean          selected);
/* @diagnostics (nullable) (transfer none): SluiceDiagnostic of this gem */
void        sluice_gem_widget_set_diagnostics (SluiceGemWidget  *self,
                                               GPtrArray        *diagnostics);
guint       sluice_gem_widget_get_n_errors    (SluiceGemWidget  *self);
/* A run badge under the card ("1,234 rows"); @text NULL removes it. */
void        sluice_gem_widget_set_badge       (SluiceGemWidget  *self,
                                               const char       *text,
                                               gboolean          error);
/* A dot marking a gem that differs from the last commit. */
void        sluice_gem_widget_set_changed     (SluiceGemWidget  *self,
                                               gboolean          changed);
gboolean    sluice_gem_widget_get_changed     (SluiceGemWidget  *self);
/* Below a zoom threshold the canvas asks for a plain card, without text. */
void        sluice_gem_widget_set_detailed    (SluiceGemWidget  *self,
                                               gboolean          detailed);
/* A plain version of the card (square corners, no shadow blur, no icon)
 * at @zoom, its top-left corner at (@x, @y) of @snapshot: what the canvas
 * draws while a zoom is moving, when resampling every card's image would
 * cost more than a frame. */
void        sluice_gem_widget_snapshot_plain  (SluiceGemWidget  *self,
                                               GtkSnapshot      *snapshot,
                                               double            zoom,
                                               double            x,
                                               double            y);
/* The colour of the gem's category (its stripe), for overviews. */
void        sluice_gem_widget_get_category_color (SluiceGemWidget *self,
                                                  GdkRGBA         *rgba);
/* Height in model units; it grows with the number of ports. */
/* The card as it draws itself, in its own units, wherever it is (for the
 * canvas's cached scene, which also holds cards it does not allocate). */
void        sluice_gem_widget_snapshot_card   (SluiceGemWidget  *self,
                                               GtkSnapshot      *snapshot);
/* Whether the card's look changed (it was queued for drawing) since the
 * last call; clears it. */
gboolean    sluice_gem_widget_take_redrawn    (SluiceGemWidget  *self);
int         sluice_gem_widget_get_height      (SluiceGemWidget  *self);
/* Centre of a port, in the widget's own (model-unit) coordinates. */
void        sluice_gem_widget_get_port_point  (SluiceGemWidget  *self,
                                               SluicePortDirection direction,
                                               guint             index,
                                               double           *x,
                                               double           *y);
/* The label given to assistive technologies, e.g.
 * "Filter gem recent_orders, 1 input, 1 output, 1 error". (transfer full) */
char       *sluice_gem_widget_dup_accessible_label (SluiceGemWidget *self);

G_END_DECLS
