#pragma once

#include <gtk/gtk.h>

#include "sluice-core.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* The pipeline canvas: shows a SluicePipeline as cards and wires, and turns
 * pointer and keyboard input into the pipeline's undoable edits. Its keys
 * and commands are "canvas.*" actions (zoom-in, zoom-out, zoom-reset,
 * zoom-to-fit, select-all, select-none, delete, undo, redo, select-next,
 * select-previous, move-selection (ii), copy, cut, paste, duplicate,
 * auto-layout, add-gem, connect, toggle-minimap (stateful)).
 *
 * Signals: selection-changed () whenever the set of selected gems changes;
 * add-gem-requested (x, y, text, from_gem, from_port) when the user asks for
 * a new gem at a point of the widget (by typing @text, Ctrl+Space, or by
 * dropping a wire from @from_gem's @from_port, both nullable, on empty
 * canvas); connect-requested (gem_id, x, y) for the menu of inputs a gem's
 * output may feed; context-menu-requested (x, y, on_gem) on a right click;
 * edit-failed (message) when an edit was refused.
 * Properties: pipeline, resolver, zoom, minimap-visible. */

#define SLUICE_TYPE_CANVAS (sluice_canvas_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCanvas, sluice_canvas, SLUICE, CANVAS, GtkWidget)

GtkWidget      *sluice_canvas_new            (void);
/* (transfer none) (nullable) */
SluicePipeline *sluice_canvas_get_pipeline   (SluiceCanvas       *self);
/* @pipeline (nullable) */
void            sluice_canvas_set_pipeline   (SluiceCanvas       *self,
                                              SluicePipeline     *pipeline);
/* (transfer none) (nullable) */
SluiceResolver *sluice_canvas_get_resolver   (SluiceCanvas       *self);
/* @resolver (nullable): feeds the gems' diagnostics badges */
void            sluice_canvas_set_resolver   (SluiceCanvas       *self,
                                              SluiceResolver     *resolver);
/* (transfer full): the selected gem ids, sorted; never NULL */
char          **sluice_canvas_get_selection  (SluiceCanvas       *self);
/* @ids (nullable): unknown ids are ignored */
void            sluice_canvas_set_selection  (SluiceCanvas       *self,
                                              const char * const *ids);
/* Whether the canvas action @action_name ("canvas.cut" …) applies now: to
 * the selection, the clipboard, the undo history. Menus outside the canvas
 * show their items enabled or not by it. */
gboolean        sluice_canvas_get_action_enabled (SluiceCanvas   *self,
                                              const char         *action_name);
double          sluice_canvas_get_zoom       (SluiceCanvas       *self);
/* How many times GTK has had the canvas draw itself: for tests that a
 * change reaches the screen without anything else forcing a frame. */
guint           sluice_canvas_get_n_frames   (SluiceCanvas       *self);
/* How many tiles' scenes (their cards and wires, cached as images) were
 * drawn since the last call: for tests and benchmarks of what a change
 * costs. */
guint           sluice_canvas_take_scenes_drawn (SluiceCanvas    *self);
/* Zooms about the centre of the view; clamped to 0.1 … 4. */
void            sluice_canvas_set_zoom       (SluiceCanvas       *self,
                                              double              zoom);
/* Scrolls the view by a distance in pixels (the content moves by it). */
void            sluice_canvas_pan_by         (SluiceCanvas       *self,
                                              double              dx,
                                              double              dy);
/* Fits every gem in the view (done at the next allocation if not yet shown). */
void            sluice_canvas_zoom_to_fit    (SluiceCanvas       *self);
/* The minimap: a small overview of every gem in the bottom-right corner,
 * with the viewport's rectangle; a click or drag in it pans the canvas. */
gboolean        sluice_canvas_get_minimap_visible (SluiceCanvas  *self);
void            sluice_canvas_set_minimap_visible (SluiceCanvas  *self,
                                                   gboolean       visible);
/* Where the minimap is (@area, widget coordinates) and which model
 * rectangle it shows (@model); FALSE when it is not shown. */
gboolean        sluice_canvas_get_minimap_area    (SluiceCanvas    *self,
                                                   graphene_rect_t *area,
                                                   graphene_rect_t *model);
/* A run badge under a gem ("1,234 rows"), @text NULL to clear it. Badges
 * belong to the canvas, so they survive a gem's card being rebuilt. */
void            sluice_canvas_set_gem_badge  (SluiceCanvas       *self,
                                              const char         *gem_id,
                                              const char         *text,
                                              gboolean            error);
/* Marks the gems that differ from the last commit (a dot on their card);
 * @ids (nullable) replaces the previous set, NULL clears it. Like badges,
 * it outlives a card being rebuilt. */
void            sluice_canvas_set_changed_gems (SluiceCanvas       *self,
                                                const char * const *ids);
/* (transfer none) (nullable): the card of a gem, for tests and a11y tools */
GtkWidget      *sluice_canvas_get_gem_widget (SluiceCanvas       *self,
                                              const char         *gem_id);
/* (transfer none) (nullable): the wire under a point of the widget */
SluiceEdge     *sluice_canvas_wire_at        (SluiceCanvas       *self,
                                              double              vx,
                                              double              vy);
/* (transfer full): "gem.port" for every free input of another gem that a
 * wire from @gem_id's output could feed without making a cycle, in file order */
char          **sluice_canvas_list_connect_targets (SluiceCanvas *self,
                                                    const char   *gem_id);
/* Converts between model coordinates and the canvas widget's own. */
void            sluice_canvas_model_to_view  (SluiceCanvas       *self,
                                              double              mx,
                                              double              my,
                                              double             *vx,
                                              double             *vy);
void            sluice_canvas_view_to_model  (SluiceCanvas       *self,
                                              double              vx,
                                              double              vy,
                                              double             *mx,
                                              double             *my);

G_END_DECLS
