/* The canvas's input: one drag gesture that decides at its start what it
 * is (pan, move, rubber band or wire), scroll and pinch for the view, and
 * the canvas.* actions every key goes through. */
#define G_LOG_DOMAIN "sluice-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sluice-canvas-private.h"

#define ZOOM_STEP 1.25
#define MOVE_STEP 8
/* Pixels a press may wander before it counts as a drag. */
#define DRAG_SLOP 3.0
#define WIRE_ERROR_MS 2500

/* ---- Helpers ---- */

static SluiceGemWidget *
gem_at (SluiceCanvas *self,
        double        x,
        double        y)
{
  GtkWidget *w = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  for (; w && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    if (SLUICE_IS_GEM_WIDGET (w))
      return SLUICE_GEM_WIDGET (w);
  return NULL;
}

/* Whether @to is downstream of @from (or is it): the model refuses a wire
 * from @to's output into @from for making a cycle. Walks the model's
 * per-gem edge index. */
static gboolean
reaches (SluicePipeline *pipeline,
         const char     *from,
         const char     *to)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, (char *) from);
  while (stack->len)
    {
      const char *id = g_ptr_array_steal_index (stack, stack->len - 1);
      g_autoptr(GPtrArray) out = NULL;

      if (g_str_equal (id, to))
        return TRUE;
      if (!g_hash_table_add (seen, (char *) id))
        continue;
      out = sluice_pipeline_get_edges_of (pipeline, id, SLUICE_PORT_OUTPUT);
      for (guint i = 0; i < out->len; i++)
        g_ptr_array_add (stack, (char *) sluice_edge_get_to_gem (g_ptr_array_index (out, i)));
    }
  return FALSE;
}

static void
set_wire_error (SluiceCanvas *self,
                const char   *message)
{
  if (g_strcmp0 (self->wire_error, message) == 0)
    return;
  g_free (self->wire_error);
  self->wire_error = g_strdup (message);
  if (message)
    {
      if (self->wire_layout == NULL)
        self->wire_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_layout_set_text (self->wire_layout, message, -1);
    }
  /* The reason is also the canvas's tooltip, for whoever cannot see red. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), message);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A quick verdict while hovering, so a wire turns red before the drop; the
 * drop itself asks the model, whose answer is final. */
static void
judge_wire (SluiceCanvas *self)
{
  const SluicePortGeom *p;
  SluiceGem *to;
  SluicePort *port;
  g_autoptr(GPtrArray) in = NULL;

  if (self->wire_target < 0)
    {
      set_wire_error (self, NULL);
      return;
    }
  p = &g_array_index (self->port_geoms, SluicePortGeom, self->wire_target);
  to = sluice_gem_widget_get_gem (p->gem);
  port = g_list_model_get_item (sluice_gem_get_inputs (to), p->index);
  in = sluice_pipeline_get_edges_of (self->pipeline, sluice_gem_get_id (to), SLUICE_PORT_INPUT);
  for (guint i = 0; i < in->len; i++)
    if (g_strcmp0 (sluice_edge_get_to_port (g_ptr_array_index (in, i)), sluice_port_get_name (port)) == 0)
      {
        g_autofree char *msg = g_strdup_printf (_("Input “%s” of gem “%s” is already connected"),
                                                sluice_port_get_name (port), sluice_gem_get_id (to));
        set_wire_error (self, msg);
        g_object_unref (port);
        return;
      }
  g_object_unref (port);
  if (reaches (self->pipeline, sluice_gem_get_id (to), self->wire_gem))
    {
      g_autofree char *msg = g_strdup_printf (_("Connecting “%s” to “%s” would make a cycle"),
                                              self->wire_gem, sluice_gem_get_id (to));
      set_wire_error (self, msg);
      return;
    }
  set_wire_error (self, NULL);
}

static gboolean
wire_error_timeout_cb (gpointer data)
{
  SluiceCanvas *self = data;

  self->wire_error_id = 0;
  set_wire_error (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
end_wire (SluiceCanvas *self)
{
  g_autoptr(GError) error = NULL;
  const SluicePortGeom *p;
  g_autofree char *to_gem = NULL;
  g_autofree char *to_port = NULL;

  if (self->wire_target < 0)
    {
      double vx = self->drag_x + self->drag_dx, vy = self->drag_y + self->drag_dy;

      set_wire_error (self, NULL);
      /* Released on empty canvas: offer a new gem there, fed by this wire. */
      if (gem_at (self, vx, vy) == NULL)
        _sluice_canvas_request_add_gem (self, vx, vy, "", self->wire_gem, self->wire_port);
      return;
    }
  p = &g_array_index (self->port_geoms, SluicePortGeom, self->wire_target);
  {
    SluiceGem *to = sluice_gem_widget_get_gem (p->gem);
    g_autoptr(SluicePort) port = g_list_model_get_item (sluice_gem_get_inputs (to), p->index);
    to_gem = g_strdup (sluice_gem_get_id (to));
    to_port = g_strdup (sluice_port_get_name (port));
    self->wire_end_x = p->x;
    self->wire_end_y = p->y;
  }
  self->wire_target = -1;
  if (sluice_pipeline_connect (self->pipeline, self->wire_gem, self->wire_port, to_gem, to_port, &error))
    {
      set_wire_error (self, NULL);
      return;
    }
  /* Refused: the red wire and the model's reason stay a moment. */
  set_wire_error (self, error->message);
  g_clear_handle_id (&self->wire_error_id, g_source_remove);
  self->wire_error_id = g_timeout_add (WIRE_ERROR_MS, wire_error_timeout_cb, self);
}

static void
update_cursor (SluiceCanvas *self)
{
  const char *name = NULL;

  if (self->drag == SLUICE_DRAG_PAN)
    name = "grabbing";
  else if (self->space_down)
    name = "grab";
  else if (self->drag == SLUICE_DRAG_WIRE)
    name = "crosshair";
  else if (self->drag == SLUICE_DRAG_NONE)
    {
      double mx, my;
      int port;

      sluice_canvas_view_to_model (self, self->pointer_x, self->pointer_y, &mx, &my);
      port = _sluice_canvas_port_at (self, mx, my);
      if (port >= 0 && g_array_index (self->port_geoms, SluicePortGeom, port).direction == SLUICE_PORT_OUTPUT)
        name = "crosshair";
    }
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/* ---- The drag gesture ---- */

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SluiceCanvas   *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  SluiceGemWidget *gem;
  double mx, my;
  int port;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  self->drag_dx = self->drag_dy = 0;
  self->moved_x = self->moved_y = 0;
  self->drag_toggle = (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  g_clear_pointer (&self->drag_gem, g_free);

  if (button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_down))
    {
      self->drag = SLUICE_DRAG_PAN;
      self->pan_x0 = self->offset_x;
      self->pan_y0 = self->offset_y;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      update_cursor (self);
      return;
    }
  if (button != GDK_BUTTON_PRIMARY || self->pipeline == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  if (_sluice_canvas_minimap_contains (self, x, y))
    {
      /* A press on the minimap centres the view there; a drag follows. */
      self->drag = SLUICE_DRAG_MINIMAP;
      _sluice_canvas_minimap_pan_to (self, x, y);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  sluice_canvas_view_to_model (self, x, y, &mx, &my);
  port = _sluice_canvas_port_at (self, mx, my);
  if (port >= 0 && g_array_index (self->port_geoms, SluicePortGeom, port).direction == SLUICE_PORT_OUTPUT)
    {
      const SluicePortGeom *p = &g_array_index (self->port_geoms, SluicePortGeom, port);
      SluiceGem *from = sluice_gem_widget_get_gem (p->gem);
      g_autoptr(SluicePort) out = g_list_model_get_item (sluice_gem_get_outputs (from), p->index);

      self->drag = SLUICE_DRAG_WIRE;
      g_free (self->wire_gem);
      g_free (self->wire_port);
      self->wire_gem = g_strdup (sluice_gem_get_id (from));
      self->wire_port = g_strdup (sluice_port_get_name (out));
      self->wire_x0 = p->x;
      self->wire_y0 = p->y;
      self->wire_target = -1;
      g_clear_handle_id (&self->wire_error_id, g_source_remove);
      set_wire_error (self, NULL);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      update_cursor (self);
      return;
    }

  if ((gem = gem_at (self, x, y)))
    {
      const char *id = sluice_gem_get_id (sluice_gem_widget_get_gem (gem));

      self->drag_gem = g_strdup (id);
      if (self->drag_toggle)
        _sluice_canvas_toggle_selected (self, id);
      else if (!g_hash_table_contains (self->selection, id))
        _sluice_canvas_select_only (self, id);
      if (g_hash_table_contains (self->selection, id))
        {
          self->drag = SLUICE_DRAG_MOVE;
          /* However many motion events, a drag is one undo step. */
          sluice_pipeline_begin_group (self->pipeline, _("Move gems"));
        }
      else
        self->drag = SLUICE_DRAG_NONE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  self->drag = SLUICE_DRAG_RUBBER;
  /* With Shift or Ctrl the band adds to the selection; otherwise it replaces it. */
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);
  self->rubber_base = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (self->drag_toggle)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->selection);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (self->rubber_base, g_strdup (key));
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SluiceCanvas   *self)
{
  self->drag_dx = dx;
  self->drag_dy = dy;
  self->pointer_x = self->drag_x + dx;
  self->pointer_y = self->drag_y + dy;

  switch (self->drag)
    {
    case SLUICE_DRAG_PAN:
      _sluice_canvas_set_view (self, self->zoom, self->pan_x0 + dx, self->pan_y0 + dy);
      break;

    case SLUICE_DRAG_MOVE:
      {
        int tx = (int) lround (dx / self->zoom), ty = (int) lround (dy / self->zoom);
        g_auto(GStrv) ids = NULL;

        if (self->moved_x == 0 && self->moved_y == 0 && hypot (dx, dy) < DRAG_SLOP)
          break;
        if (tx == self->moved_x && ty == self->moved_y)
          break;
        ids = _sluice_canvas_selection_strv (self);
        if (sluice_pipeline_move_gems (self->pipeline, (const char * const *) ids,
                                       tx - self->moved_x, ty - self->moved_y, NULL))
          {
            self->moved_x = tx;
            self->moved_y = ty;
          }
      }
      break;

    case SLUICE_DRAG_RUBBER:
      {
        double x0, y0, x1, y1;
        graphene_rect_t band;
        g_autoptr(GPtrArray) hits = NULL;
        g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
        GHashTableIter iter;
        gpointer key;

        sluice_canvas_view_to_model (self, self->drag_x, self->drag_y, &x0, &y0);
        sluice_canvas_view_to_model (self, self->drag_x + dx, self->drag_y + dy, &x1, &y1);
        graphene_rect_init (&band, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
        hits = _sluice_canvas_gems_in_rect (self, &band);
        g_hash_table_iter_init (&iter, self->rubber_base);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          g_hash_table_add (set, key);
        for (guint i = 0; i < hits->len; i++)
          g_hash_table_add (set, g_ptr_array_index (hits, i));
        _sluice_canvas_replace_selection (self, set);
        gtk_widget_queue_draw (GTK_WIDGET (self));
      }
      break;

    case SLUICE_DRAG_WIRE:
      {
        double mx, my;
        int port;

        sluice_canvas_view_to_model (self, self->pointer_x, self->pointer_y, &mx, &my);
        port = _sluice_canvas_port_at (self, mx, my);
        if (port >= 0 && g_array_index (self->port_geoms, SluicePortGeom, port).direction != SLUICE_PORT_INPUT)
          port = -1;
        if (port != self->wire_target)
          {
            self->wire_target = port;
            judge_wire (self);
          }
        gtk_widget_queue_draw (GTK_WIDGET (self));
      }
      break;

    case SLUICE_DRAG_MINIMAP:
      _sluice_canvas_minimap_pan_to (self, self->pointer_x, self->pointer_y);
      break;

    case SLUICE_DRAG_NONE:
    default:
      break;
    }
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SluiceCanvas   *self)
{
  SluiceDragMode mode = self->drag;

  drag_update_cb (gesture, dx, dy, self);
  self->drag = SLUICE_DRAG_NONE;

  switch (mode)
    {
    case SLUICE_DRAG_MOVE:
      sluice_pipeline_end_group (self->pipeline);
      /* A click (no move) on one of several selected gems selects it alone. */
      if (self->moved_x == 0 && self->moved_y == 0 && !self->drag_toggle && self->drag_gem)
        _sluice_canvas_select_only (self, self->drag_gem);
      break;
    case SLUICE_DRAG_RUBBER:
      if (hypot (dx, dy) < DRAG_SLOP && !self->drag_toggle)
        _sluice_canvas_select_only (self, NULL);
      g_clear_pointer (&self->rubber_base, g_hash_table_unref);
      break;
    case SLUICE_DRAG_WIRE:
      end_wire (self);
      break;
    case SLUICE_DRAG_PAN:
    case SLUICE_DRAG_MINIMAP:
    case SLUICE_DRAG_NONE:
    default:
      break;
    }
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_cancel_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                SluiceCanvas     *self)
{
  if (self->drag == SLUICE_DRAG_MOVE)
    sluice_pipeline_end_group (self->pipeline);
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);
  self->drag = SLUICE_DRAG_NONE;
  self->wire_target = -1;
  set_wire_error (self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Pointer, scroll, pinch, keys ---- */

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           SluiceCanvas             *self)
{
  double mx, my;
  int edge;

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->drag != SLUICE_DRAG_NONE)
    return;
  sluice_canvas_view_to_model (self, x, y, &mx, &my);
  edge = gem_at (self, x, y) ? -1 : _sluice_canvas_edge_at (self, mx, my);
  if (edge != self->hover_edge)
    {
      self->hover_edge = edge;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  update_cursor (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           SluiceCanvas             *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  double step = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL ? 48 : 1;

  if (state & GDK_CONTROL_MASK)
    {
      _sluice_canvas_zoom_at (self, self->zoom * pow (1.1, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    {
      double t = dx;
      dx = dy;
      dy = t;
    }
  _sluice_canvas_set_view (self, self->zoom, self->offset_x - dx * step, self->offset_y - dy * step);
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               SluiceCanvas     *self)
{
  self->zoom_gesture_base = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       SluiceCanvas   *self)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  _sluice_canvas_zoom_at (self, self->zoom_gesture_base * scale, cx, cy);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SluiceCanvas          *self)
{
  if (keyval != GDK_KEY_space)
    return FALSE;
  self->space_down = TRUE;
  update_cursor (self);
  return TRUE;
}

static void
key_released_cb (GtkEventControllerKey *key,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 SluiceCanvas          *self)
{
  if (keyval != GDK_KEY_space)
    return;
  self->space_down = FALSE;
  update_cursor (self);
}

/* ---- Actions ---- */

static void
zoom_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  double cx = gtk_widget_get_width (widget) / 2.0, cy = gtk_widget_get_height (widget) / 2.0;

  if (g_str_equal (name, "canvas.zoom-in"))
    _sluice_canvas_zoom_at (self, self->zoom * ZOOM_STEP, cx, cy);
  else if (g_str_equal (name, "canvas.zoom-out"))
    _sluice_canvas_zoom_at (self, self->zoom / ZOOM_STEP, cx, cy);
  else if (g_str_equal (name, "canvas.zoom-reset"))
    _sluice_canvas_zoom_at (self, 1.0, cx, cy);
  else
    sluice_canvas_zoom_to_fit (self);
}

static void
select_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_str_equal (name, "canvas.select-all"))
    {
      GHashTableIter iter;
      gpointer key;
      g_hash_table_iter_init (&iter, self->widgets);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (set, key);
    }
  _sluice_canvas_replace_selection (self, set);
}

/* Tab and Shift+Tab walk the gems in file order, scrolling the next one
 * into view and giving it the keyboard focus (so screen readers follow). */
static void
select_step_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  GListModel *gems;
  guint n, current = G_MAXUINT, next;
  g_autoptr(SluiceGem) gem = NULL;
  GtkWidget *card;
  double vx, vy;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (self->pipeline == NULL || (n = g_list_model_get_n_items (gems = sluice_pipeline_get_gems (self->pipeline))) == 0)
    return;
  for (guint i = 0; i < n && current == G_MAXUINT; i++)
    {
      g_autoptr(SluiceGem) g = g_list_model_get_item (gems, i);
      if (g_hash_table_contains (self->selection, sluice_gem_get_id (g)))
        current = i;
    }
  if (g_str_equal (name, "canvas.select-next"))
    next = current == G_MAXUINT ? 0 : (current + 1) % n;
  else
    next = current == G_MAXUINT ? n - 1 : (current + n - 1) % n;

  gem = g_list_model_get_item (gems, next);
  _sluice_canvas_select_only (self, sluice_gem_get_id (gem));
  sluice_canvas_model_to_view (self, sluice_gem_get_x (gem), sluice_gem_get_y (gem), &vx, &vy);
  if (vx < 0 || vy < 0 || vx + SLUICE_GEM_WIDGET_WIDTH * self->zoom > w || vy + 60 * self->zoom > h)
    _sluice_canvas_set_view (self, self->zoom,
                             w / 2.0 - (sluice_gem_get_x (gem) + SLUICE_GEM_WIDGET_WIDTH / 2.0) * self->zoom,
                             h / 2.0 - (sluice_gem_get_y (gem) + 30) * self->zoom);
  card = g_hash_table_lookup (self->widgets, sluice_gem_get_id (gem));
  gtk_widget_set_child_visible (card, TRUE);
  gtk_widget_grab_focus (card);
}

static void
delete_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  g_auto(GStrv) ids = _sluice_canvas_selection_strv (self);
  g_autoptr(GError) error = NULL;

  if (self->pipeline == NULL || ids[0] == NULL)
    return;
  /* One command for the whole selection, so one undo brings it all back. */
  if (!sluice_pipeline_remove_gems (self->pipeline, (const char * const *) ids, &error))
    g_warning ("%s", error->message);
  gtk_widget_grab_focus (widget);
}

static void
history_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);

  if (self->pipeline == NULL)
    return;
  if (g_str_equal (name, "canvas.undo"))
    sluice_pipeline_undo (self->pipeline);
  else
    sluice_pipeline_redo (self->pipeline);
}

static void
move_selection_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  g_auto(GStrv) ids = _sluice_canvas_selection_strv (self);
  int dx, dy;

  if (self->pipeline == NULL || ids[0] == NULL)
    return;
  g_variant_get (param, "(ii)", &dx, &dy);
  sluice_pipeline_move_gems (self->pipeline, (const char * const *) ids, dx, dy, NULL);
}

void
_sluice_canvas_update_actions (SluiceCanvas *self)
{
  /* One place decides what applies (sluice-canvas-edit.c), so the menus
   * the pipeline view builds agree with the keys. */
  _sluice_canvas_update_edit_actions (self);
}

void
_sluice_canvas_class_init_input (GtkWidgetClass *widget_class)
{
  static const struct { guint key; int dx, dy; } arrows[] = {
    { GDK_KEY_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 }, { GDK_KEY_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 },
  };

  gtk_widget_class_install_action (widget_class, "canvas.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.zoom-to-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-all", NULL, select_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-none", NULL, select_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-next", NULL, select_step_action);
  gtk_widget_class_install_action (widget_class, "canvas.select-previous", NULL, select_step_action);
  gtk_widget_class_install_action (widget_class, "canvas.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "canvas.undo", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "canvas.redo", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "canvas.move-selection", "(ii)", move_selection_action);
  gtk_widget_class_install_property_action (widget_class, "canvas.toggle-minimap", "minimap-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "canvas.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "canvas.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "canvas.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "canvas.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "canvas.zoom-to-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "canvas.select-none", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, 0, "canvas.select-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Tab, GDK_SHIFT_MASK, "canvas.select-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, "canvas.select-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "canvas.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "canvas.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "canvas.redo", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, arrows[i].key, 0, "canvas.move-selection", "(ii)",
                                           arrows[i].dx * MOVE_STEP, arrows[i].dy * MOVE_STEP);
      gtk_widget_class_add_binding_action (widget_class, arrows[i].key, GDK_SHIFT_MASK, "canvas.move-selection", "(ii)",
                                           arrows[i].dx * MOVE_STEP * 5, arrows[i].dy * MOVE_STEP * 5);
    }
}

void
_sluice_canvas_init_input (SluiceCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *key = gtk_event_controller_key_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (drag_cancel_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (zoom));

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (widget, motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, scroll);

  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect (key, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (widget, key);
}
