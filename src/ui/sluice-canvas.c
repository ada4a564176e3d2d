#define G_LOG_DOMAIN "sluice-canvas"

#include "config.h"

#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <adwaita.h>

#include "sluice-canvas-private.h"

G_DEFINE_FINAL_TYPE (SluiceCanvas, sluice_canvas, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_PIPELINE, PROP_RESOLVER, PROP_ZOOM, PROP_MINIMAP_VISIBLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SELECTION_CHANGED, ADD_GEM_REQUESTED, CONNECT_REQUESTED, CONTEXT_MENU_REQUESTED, EDIT_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Room kept around a card for its ports, badges and shadow when deciding
 * whether it is on screen (model units). */
#define CARD_MARGIN 32

/* ---- Selection ---- */

static void
selection_changed (SluiceCanvas *self)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gboolean selected = g_hash_table_contains (self->selection, key);

      if (sluice_gem_widget_get_selected (value) != selected)
        {
          sluice_gem_widget_set_selected (value, selected);
          g_ptr_array_add (changed, value);
        }
    }
  /* Wires touching the selection are drawn highlighted, out of the tiles:
   * only the tiles under what changed are made again, when that is enough. */
  if (!_sluice_canvas_selection_redrawn (self, changed))
    self->geometry_dirty = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  _sluice_canvas_update_actions (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static gboolean
same_set (GHashTable *a,
          GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (b, key))
      return FALSE;
  return TRUE;
}

void
_sluice_canvas_replace_selection (SluiceCanvas *self,
                                  GHashTable   *ids)
{
  GHashTableIter iter;
  gpointer key;

  if (same_set (self->selection, ids))
    return;
  g_hash_table_remove_all (self->selection);
  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (self->widgets, key))
      g_hash_table_add (self->selection, g_strdup (key));
  selection_changed (self);
}

void
_sluice_canvas_select_only (SluiceCanvas *self,
                            const char   *id)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  if (id)
    g_hash_table_add (ids, (char *) id);
  _sluice_canvas_replace_selection (self, ids);
}

void
_sluice_canvas_toggle_selected (SluiceCanvas *self,
                                const char   *id)
{
  if (!g_hash_table_remove (self->selection, id))
    g_hash_table_add (self->selection, g_strdup (id));
  selection_changed (self);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
_sluice_canvas_selection_strv (SluiceCanvas *self)
{
  GPtrArray *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

/* ---- Following the model ---- */

/* The cached wires carry the theme's colours: redraw them when it flips. */
static void
style_changed_cb (SluiceCanvas *self)
{
  self->node_dirty = TRUE;
  self->rezoomed = FALSE;
  self->overview_dirty = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
_sluice_canvas_graph_changed (SluiceCanvas *self)
{
  self->geometry_dirty = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A gem moved (a drag moves it a few units per motion event): when it is
 * selected, only its wires and ports follow; otherwise everything is redone. */
static void
gem_moved_cb (SluiceCanvas *self,
              GParamSpec   *pspec,
              SluiceGem    *gem)
{
  SluiceGemWidget *widget = g_hash_table_lookup (self->widgets, sluice_gem_get_id (gem));

  if (widget && _sluice_canvas_gem_moved (self, widget))
    {
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    _sluice_canvas_graph_changed (self);
}

static void
refresh_diagnostics (SluiceCanvas *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    sluice_gem_widget_set_diagnostics (value, self->resolver ? sluice_resolver_get_diagnostics (self->resolver, key)
                                                             : NULL);
}

static void
apply_badge (SluiceCanvas    *self,
             const char      *id,
             SluiceGemWidget *widget)
{
  const char *badge = g_hash_table_lookup (self->badges, id);

  sluice_gem_widget_set_badge (widget, badge ? badge + 1 : NULL, badge && badge[0] == 'E');
}

static void
add_gem_widget (SluiceCanvas *self,
                SluiceGem    *gem)
{
  GtkWidget *widget = sluice_gem_widget_new (gem);
  const char *id = sluice_gem_get_id (gem);

  g_hash_table_replace (self->widgets, g_strdup (id), widget);
  gtk_widget_set_parent (widget, GTK_WIDGET (self));
  sluice_gem_widget_set_detailed (SLUICE_GEM_WIDGET (widget), self->detailed);
  /* A drag moves gems inside an undo group, which announces "changed" only
   * at its end: positions are followed gem by gem. */
  g_signal_connect_object (gem, "notify::x", G_CALLBACK (gem_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gem, "notify::y", G_CALLBACK (gem_moved_cb), self, G_CONNECT_SWAPPED);
  apply_badge (self, id, SLUICE_GEM_WIDGET (widget));
  sluice_gem_widget_set_changed (SLUICE_GEM_WIDGET (widget), g_hash_table_contains (self->changed, id));
  if (self->resolver)
    sluice_gem_widget_set_diagnostics (SLUICE_GEM_WIDGET (widget),
                                       sluice_resolver_get_diagnostics (self->resolver, id));
}

static void
gem_added_cb (SluiceCanvas *self,
              SluiceGem    *gem)
{
  add_gem_widget (self, gem);
  _sluice_canvas_graph_changed (self);
}

static void
gem_removed_cb (SluiceCanvas *self,
                SluiceGem    *gem)
{
  const char *id = sluice_gem_get_id (gem);
  GtkWidget *widget = g_hash_table_lookup (self->widgets, id);

  g_signal_handlers_disconnect_by_data (gem, self);
  if (widget)
    {
      /* The edge cache borrows the widgets: drop it before they go. */
      _sluice_canvas_clear_cache (self);
      g_hash_table_remove (self->widgets, id);
      gtk_widget_unparent (widget);
    }
  if (g_hash_table_remove (self->selection, id))
    selection_changed (self);
  _sluice_canvas_graph_changed (self);
}

static void
pipeline_changed_cb (SluiceCanvas *self)
{
  refresh_diagnostics (self);
  _sluice_canvas_update_actions (self);
  _sluice_canvas_graph_changed (self);
}

static void
disconnect_pipeline (SluiceCanvas *self)
{
  GListModel *gems;

  if (self->pipeline == NULL)
    return;
  gems = sluice_pipeline_get_gems (self->pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_signal_handlers_disconnect_by_data (gem, self);
    }
  g_signal_handlers_disconnect_by_data (self->pipeline, self);
  g_signal_handlers_disconnect_by_data (sluice_pipeline_get_undo_stack (self->pipeline), self);
}

static void
remove_all_gems (SluiceCanvas *self)
{
  GtkWidget *child;

  _sluice_canvas_clear_cache (self);
  g_hash_table_remove_all (self->widgets);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
}

/* ---- Layout ---- */

static void
sluice_canvas_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static gboolean
compute_fit (SluiceCanvas *self,
             int           width,
             int           height,
             double       *zoom,
             double       *ox,
             double       *oy)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  GHashTableIter iter;
  gpointer value;
  const double pad = 48;

  if (g_hash_table_size (self->widgets) == 0 || width <= 0 || height <= 0)
    return FALSE;

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SluiceGem *gem = sluice_gem_widget_get_gem (value);
      x0 = MIN (x0, sluice_gem_get_x (gem));
      y0 = MIN (y0, sluice_gem_get_y (gem));
      x1 = MAX (x1, sluice_gem_get_x (gem) + SLUICE_GEM_WIDGET_WIDTH);
      y1 = MAX (y1, sluice_gem_get_y (gem) + sluice_gem_widget_get_height (value));
    }
  *zoom = MIN ((width - 2 * pad) / MAX (x1 - x0, 1), (height - 2 * pad) / MAX (y1 - y0, 1));
  *zoom = CLAMP (*zoom, SLUICE_CANVAS_ZOOM_MIN, 1.0);
  *ox = width / 2.0 - (x0 + x1) / 2.0 * *zoom;
  *oy = height / 2.0 - (y0 + y1) / 2.0 * *zoom;
  return TRUE;
}

static void
sluice_canvas_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  gboolean detailed;
  double z;

  if (self->fit_pending && compute_fit (self, width, height, &self->zoom, &self->offset_x, &self->offset_y))
    {
      self->fit_pending = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  z = self->zoom;

  detailed = z >= SLUICE_CANVAS_DETAIL_ZOOM;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      SluiceGemWidget *gw = SLUICE_GEM_WIDGET (child);
      SluiceGem *gem = sluice_gem_widget_get_gem (gw);
      int h = sluice_gem_widget_get_height (gw);
      /* Whole pixels, and relative to the rounded offset as the scene's tiles
       * place it: at 100 % the renderer then copies a card's image
       * rather than resampling it. */
      double vx = round (sluice_gem_get_x (gem) * z) + round (self->offset_x);
      double vy = round (sluice_gem_get_y (gem) * z) + round (self->offset_y);
      gboolean visible;

      /* Culling: a card off screen is neither allocated nor snapshotted. */
      visible = vx + (SLUICE_GEM_WIDGET_WIDTH + CARD_MARGIN) * z >= 0 && vx - CARD_MARGIN * z <= width
                && vy + (h + CARD_MARGIN) * z >= 0 && vy - CARD_MARGIN * z <= height;
      gtk_widget_set_child_visible (child, visible);
      if (visible)
        {
          GskTransform *transform;
          int min, nat;

          if (detailed != self->detailed)
            sluice_gem_widget_set_detailed (gw, detailed);
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
          transform = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (vx, vy));
          transform = gsk_transform_scale (transform, z, z);
          gtk_widget_allocate (child, SLUICE_GEM_WIDGET_WIDTH, h, -1, transform);
        }
      else if (detailed != self->detailed)
        sluice_gem_widget_set_detailed (gw, detailed);
    }
  self->detailed = detailed;

  _sluice_canvas_ensure_geometry (self);
}

/* ---- View transform ---- */

void
_sluice_canvas_set_view (SluiceCanvas *self,
                         double        zoom,
                         double        offset_x,
                         double        offset_y)
{
  zoom = CLAMP (zoom, SLUICE_CANVAS_ZOOM_MIN, SLUICE_CANVAS_ZOOM_MAX);
  if (zoom == self->zoom && offset_x == self->offset_x && offset_y == self->offset_y)
    return;

  self->fit_pending = FALSE;
  self->offset_x = offset_x;
  self->offset_y = offset_y;
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      _sluice_canvas_zoom_changed (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  /* Children move: reallocate. The cached edges node is only translated,
   * unless the zoom changed (the draw code decides). */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zooms keeping the model point under (vx, vy) in place. */
void
_sluice_canvas_zoom_at (SluiceCanvas *self,
                        double        zoom,
                        double        vx,
                        double        vy)
{
  double mx, my;

  zoom = CLAMP (zoom, SLUICE_CANVAS_ZOOM_MIN, SLUICE_CANVAS_ZOOM_MAX);
  sluice_canvas_view_to_model (self, vx, vy, &mx, &my);
  _sluice_canvas_set_view (self, zoom, vx - mx * zoom, vy - my * zoom);
}

/* ---- GObject ---- */

static void
sluice_canvas_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SluiceCanvas *self = SLUICE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PIPELINE: g_value_set_object (value, self->pipeline); break;
    case PROP_RESOLVER: g_value_set_object (value, self->resolver); break;
    case PROP_ZOOM:     g_value_set_double (value, self->zoom); break;
    case PROP_MINIMAP_VISIBLE: g_value_set_boolean (value, self->minimap_visible); break;
    default:            G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_canvas_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SluiceCanvas *self = SLUICE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PIPELINE: sluice_canvas_set_pipeline (self, g_value_get_object (value)); break;
    case PROP_RESOLVER: sluice_canvas_set_resolver (self, g_value_get_object (value)); break;
    case PROP_ZOOM:     sluice_canvas_set_zoom (self, g_value_get_double (value)); break;
    case PROP_MINIMAP_VISIBLE: sluice_canvas_set_minimap_visible (self, g_value_get_boolean (value)); break;
    default:            G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_canvas_dispose (GObject *object)
{
  SluiceCanvas *self = SLUICE_CANVAS (object);

  if (self->layout_cancellable)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  disconnect_pipeline (self);
  remove_all_gems (self);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->resolver);
  g_clear_handle_id (&self->wire_error_id, g_source_remove);
  g_clear_handle_id (&self->rezoom_id, g_source_remove);
  g_clear_object (&self->wire_layout);
  if (self->tiles)
    g_hash_table_remove_all (self->tiles);
  g_clear_pointer (&self->old_tiles, g_hash_table_unref);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->scene_cache, gsk_render_node_unref);
  if (self->scene_patches)
    g_ptr_array_set_size (self->scene_patches, 0);
  g_clear_pointer (&self->overview_node, gsk_render_node_unref);
  g_clear_pointer (&self->minimap_node, gsk_render_node_unref);
  G_OBJECT_CLASS (sluice_canvas_parent_class)->dispose (object);
}

static void
sluice_canvas_finalize (GObject *object)
{
  SluiceCanvas *self = SLUICE_CANVAS (object);

  g_clear_pointer (&self->widgets, g_hash_table_unref);
  g_clear_pointer (&self->selection, g_hash_table_unref);
  g_clear_pointer (&self->badges, g_hash_table_unref);
  g_clear_pointer (&self->changed, g_hash_table_unref);
  g_clear_pointer (&self->rubber_base, g_hash_table_unref);
  g_clear_pointer (&self->edge_geoms, g_array_unref);
  g_clear_pointer (&self->port_geoms, g_array_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->scene_patches, g_ptr_array_unref);
  g_clear_pointer (&self->edge_stamp, g_free);
  g_free (self->drag_gem);
  g_free (self->wire_gem);
  g_free (self->wire_port);
  g_free (self->wire_error);
  G_OBJECT_CLASS (sluice_canvas_parent_class)->finalize (object);
}

static void
sluice_canvas_class_init (SluiceCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

#ifdef __GLIBC__
  /* On screen the cairo renderer paints the canvas's scene node through a
   * temporary image of the view, allocated and freed every frame. glibc
   * maps every allocation at least as big as the last mapped one freed, so
   * that image was fresh pages each frame: some 10 ms a frame of page
   * faults at 1920×1080 (measured, docs/PERFORMANCE.md). Frame-sized
   * buffers (up to 32 MB, a 4K view) come from the heap instead, and a
   * freed one is kept for the next frame. */
  mallopt (M_MMAP_THRESHOLD, 16 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 16 * 1024 * 1024);
#endif
  object_class->dispose = sluice_canvas_dispose;
  object_class->finalize = sluice_canvas_finalize;
  object_class->get_property = sluice_canvas_get_property;
  object_class->set_property = sluice_canvas_set_property;
  widget_class->measure = sluice_canvas_measure;
  widget_class->size_allocate = sluice_canvas_size_allocate;
  widget_class->snapshot = _sluice_canvas_snapshot;

  properties[PROP_PIPELINE] =
    g_param_spec_object ("pipeline", NULL, NULL, SLUICE_TYPE_PIPELINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLVER] =
    g_param_spec_object ("resolver", NULL, NULL, SLUICE_TYPE_RESOLVER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, SLUICE_CANVAS_ZOOM_MIN, SLUICE_CANVAS_ZOOM_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MINIMAP_VISIBLE] =
    g_param_spec_boolean ("minimap-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  signals[ADD_GEM_REQUESTED] =
    g_signal_new ("add-gem-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[CONNECT_REQUESTED] =
    g_signal_new ("connect-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[CONTEXT_MENU_REQUESTED] =
    g_signal_new ("context-menu-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_BOOLEAN);
  signals[EDIT_FAILED] =
    g_signal_new ("edit-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "sluice-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  _sluice_canvas_class_init_input (widget_class);
  _sluice_canvas_class_init_edit (widget_class);
}

static void
sluice_canvas_init (SluiceCanvas *self)
{
  self->widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->badges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->edge_geoms = g_array_new (FALSE, FALSE, sizeof (SluiceEdgeGeom));
  self->port_geoms = g_array_new (FALSE, FALSE, sizeof (SluicePortGeom));
  self->tiles = g_hash_table_new_full (NULL, NULL, NULL, _sluice_canvas_wire_tile_free);
  self->scene_patches = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
  self->zoom = 1.0;
  self->offset_x = self->offset_y = 24;
  self->detailed = TRUE;
  self->hover_edge = -1;
  self->wire_target = -1;
  self->geometry_dirty = TRUE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  _sluice_canvas_init_input (self);
  _sluice_canvas_init_edit (self);
}

/* ---- Public API ---- */

GtkWidget *
sluice_canvas_new (void)
{
  return g_object_new (SLUICE_TYPE_CANVAS, NULL);
}

SluicePipeline *
sluice_canvas_get_pipeline (SluiceCanvas *self)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), NULL);
  return self->pipeline;
}

void
sluice_canvas_set_pipeline (SluiceCanvas   *self,
                            SluicePipeline *pipeline)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));
  g_return_if_fail (pipeline == NULL || SLUICE_IS_PIPELINE (pipeline));

  if (self->pipeline == pipeline)
    return;

  disconnect_pipeline (self);
  remove_all_gems (self);
  g_set_object (&self->pipeline, pipeline);
  if (g_hash_table_size (self->selection))
    {
      g_hash_table_remove_all (self->selection);
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }

  if (pipeline)
    {
      GListModel *gems = sluice_pipeline_get_gems (pipeline);

      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          add_gem_widget (self, gem);
        }
      g_signal_connect_object (pipeline, "gem-added", G_CALLBACK (gem_added_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pipeline, "gem-removed", G_CALLBACK (gem_removed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pipeline, "edge-added", G_CALLBACK (_sluice_canvas_graph_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pipeline, "edge-removed", G_CALLBACK (_sluice_canvas_graph_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pipeline, "changed", G_CALLBACK (pipeline_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pipeline, "notify::can-undo", G_CALLBACK (_sluice_canvas_update_actions), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pipeline, "notify::can-redo", G_CALLBACK (_sluice_canvas_update_actions), self, G_CONNECT_SWAPPED);
    }

  _sluice_canvas_update_actions (self);
  _sluice_canvas_graph_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIPELINE]);
}

SluiceResolver *
sluice_canvas_get_resolver (SluiceCanvas *self)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), NULL);
  return self->resolver;
}

void
sluice_canvas_set_resolver (SluiceCanvas   *self,
                            SluiceResolver *resolver)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));
  g_return_if_fail (resolver == NULL || SLUICE_IS_RESOLVER (resolver));

  if (!g_set_object (&self->resolver, resolver))
    return;
  refresh_diagnostics (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVER]);
}

char **
sluice_canvas_get_selection (SluiceCanvas *self)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), NULL);
  return _sluice_canvas_selection_strv (self);
}

void
sluice_canvas_set_selection (SluiceCanvas       *self,
                             const char * const *ids)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (SLUICE_IS_CANVAS (self));

  for (guint i = 0; ids && ids[i]; i++)
    g_hash_table_add (set, (char *) ids[i]);
  _sluice_canvas_replace_selection (self, set);
}

guint
sluice_canvas_get_n_frames (SluiceCanvas *self)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), 0);
  return self->n_frames;
}

guint
sluice_canvas_take_scenes_drawn (SluiceCanvas *self)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_CANVAS (self), 0);
  n = self->scenes_drawn;
  self->scenes_drawn = 0;
  return n;
}

double
sluice_canvas_get_zoom (SluiceCanvas *self)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), 1.0);
  return self->zoom;
}

void
sluice_canvas_set_zoom (SluiceCanvas *self,
                        double        zoom)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));

  _sluice_canvas_zoom_at (self, zoom,
                          gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                          gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
sluice_canvas_pan_by (SluiceCanvas *self,
                      double        dx,
                      double        dy)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));

  _sluice_canvas_set_view (self, self->zoom, self->offset_x + dx, self->offset_y + dy);
}

void
sluice_canvas_zoom_to_fit (SluiceCanvas *self)
{
  double zoom, ox, oy;

  g_return_if_fail (SLUICE_IS_CANVAS (self));

  if (compute_fit (self, gtk_widget_get_width (GTK_WIDGET (self)),
                   gtk_widget_get_height (GTK_WIDGET (self)), &zoom, &ox, &oy))
    _sluice_canvas_set_view (self, zoom, ox, oy);
  else
    {
      self->fit_pending = TRUE;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
}

gboolean
sluice_canvas_get_minimap_visible (SluiceCanvas *self)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), FALSE);
  return self->minimap_visible;
}

void
sluice_canvas_set_minimap_visible (SluiceCanvas *self,
                                   gboolean      visible)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));

  visible = !!visible;
  if (self->minimap_visible == visible)
    return;
  self->minimap_visible = visible;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINIMAP_VISIBLE]);
}

gboolean
sluice_canvas_get_minimap_area (SluiceCanvas    *self,
                                graphene_rect_t *area,
                                graphene_rect_t *model)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), FALSE);

  if (!self->minimap_visible || self->minimap_node == NULL || self->minimap_scale <= 0)
    return FALSE;
  if (area)
    *area = self->minimap_rect;
  if (model)
    graphene_rect_init (model, self->extent.origin.x, self->extent.origin.y,
                        self->minimap_rect.size.width / self->minimap_scale,
                        self->minimap_rect.size.height / self->minimap_scale);
  return TRUE;
}

void
sluice_canvas_set_gem_badge (SluiceCanvas *self,
                             const char   *gem_id,
                             const char   *text,
                             gboolean      error)
{
  SluiceGemWidget *widget;

  g_return_if_fail (SLUICE_IS_CANVAS (self));
  g_return_if_fail (gem_id != NULL);

  if (text)
    g_hash_table_replace (self->badges, g_strdup (gem_id), g_strconcat (error ? "E" : "N", text, NULL));
  else
    g_hash_table_remove (self->badges, gem_id);
  if ((widget = g_hash_table_lookup (self->widgets, gem_id)))
    apply_badge (self, gem_id, widget);
}

GtkWidget *
sluice_canvas_get_gem_widget (SluiceCanvas *self,
                              const char   *gem_id)
{
  g_return_val_if_fail (SLUICE_IS_CANVAS (self), NULL);
  return g_hash_table_lookup (self->widgets, gem_id);
}

void
sluice_canvas_model_to_view (SluiceCanvas *self,
                             double        mx,
                             double        my,
                             double       *vx,
                             double       *vy)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));
  *vx = mx * self->zoom + self->offset_x;
  *vy = my * self->zoom + self->offset_y;
}

void
sluice_canvas_view_to_model (SluiceCanvas *self,
                             double        vx,
                             double        vy,
                             double       *mx,
                             double       *my)
{
  g_return_if_fail (SLUICE_IS_CANVAS (self));
  *mx = (vx - self->offset_x) / self->zoom;
  *my = (vy - self->offset_y) / self->zoom;
}

/* ---- Signals for what the canvas cannot show itself ---- */

void
_sluice_canvas_edit_failed (SluiceCanvas *self,
                            const char   *message)
{
  g_signal_emit (self, signals[EDIT_FAILED], 0, message);
}

typedef struct
{
  SluiceCanvas *canvas;     /* owned */
  double        x, y;
  char         *text;       /* owned */
  char         *from_gem;   /* owned, nullable */
  char         *from_port;  /* owned, nullable */
} AddGemRequest;

static void
add_gem_request_free (AddGemRequest *r)
{
  g_object_unref (r->canvas);
  g_free (r->text);
  g_free (r->from_gem);
  g_free (r->from_port);
  g_free (r);
}

static gboolean
emit_add_gem_request (gpointer data)
{
  AddGemRequest *r = data;

  if (gtk_widget_get_root (GTK_WIDGET (r->canvas)) != NULL)
    g_signal_emit (r->canvas, signals[ADD_GEM_REQUESTED], 0, r->x, r->y, r->text, r->from_gem, r->from_port);
  return G_SOURCE_REMOVE;
}

/* From an idle: a popover opened inside the release of a drag's button
 * would be closed again by the pointer grab ending. */
void
_sluice_canvas_request_add_gem (SluiceCanvas *self,
                                double        x,
                                double        y,
                                const char   *text,
                                const char   *from_gem,
                                const char   *from_port)
{
  AddGemRequest *r = g_new0 (AddGemRequest, 1);

  r->canvas = g_object_ref (self);
  r->x = x;
  r->y = y;
  r->text = g_strdup (text ? text : "");
  r->from_gem = g_strdup (from_gem);
  r->from_port = g_strdup (from_port);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, emit_add_gem_request, r, (GDestroyNotify) add_gem_request_free);
}

void
_sluice_canvas_request_context_menu (SluiceCanvas *self,
                                     double        x,
                                     double        y,
                                     gboolean      on_gem)
{
  g_signal_emit (self, signals[CONTEXT_MENU_REQUESTED], 0, x, y, on_gem);
}

void
_sluice_canvas_request_connect (SluiceCanvas *self,
                                const char   *gem_id,
                                double        x,
                                double        y)
{
  g_signal_emit (self, signals[CONNECT_REQUESTED], 0, gem_id, x, y);
}

SluiceEdge *
sluice_canvas_wire_at (SluiceCanvas *self,
                       double        vx,
                       double        vy)
{
  double mx, my;
  int i;

  g_return_val_if_fail (SLUICE_IS_CANVAS (self), NULL);

  if (self->pipeline == NULL)
    return NULL;
  _sluice_canvas_ensure_geometry (self);
  sluice_canvas_view_to_model (self, vx, vy, &mx, &my);
  i = _sluice_canvas_edge_at (self, mx, my);
  return i >= 0 ? g_array_index (self->edge_geoms, SluiceEdgeGeom, i).edge : NULL;
}

/* Whether @to is @from or downstream of it. */
static gboolean
downstream (SluicePipeline *pipeline,
            const char     *from,
            const char     *to)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, (char *) from);
  while (stack->len)
    {
      const char *id = g_ptr_array_steal_index (stack, stack->len - 1);
      GPtrArray *out;

      if (g_str_equal (id, to))
        return TRUE;
      if (!g_hash_table_add (seen, (char *) id))
        continue;
      if ((out = sluice_pipeline_peek_edges_of (pipeline, id, SLUICE_PORT_OUTPUT)))
        for (guint i = 0; i < out->len; i++)
          g_ptr_array_add (stack, (char *) sluice_edge_get_to_gem (g_ptr_array_index (out, i)));
    }
  return FALSE;
}

char **
sluice_canvas_list_connect_targets (SluiceCanvas *self,
                                    const char   *gem_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  SluiceGem *from;
  GListModel *gems;
  guint n;

  g_return_val_if_fail (SLUICE_IS_CANVAS (self), NULL);

  /* A gem without an output (a Target) feeds nothing. */
  if (self->pipeline == NULL || (from = sluice_pipeline_find_gem (self->pipeline, gem_id)) == NULL ||
      g_list_model_get_n_items (sluice_gem_get_outputs (from)) == 0)
    return g_strv_builder_end (builder);
  gems = sluice_pipeline_get_gems (self->pipeline);
  n = g_list_model_get_n_items (gems);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      const char *id = sluice_gem_get_id (gem);
      const char * const *inputs = sluice_gem_peek_input_names (gem);
      GPtrArray *fed;

      /* A wire from gem_id into anything upstream of it would close a cycle. */
      if (inputs == NULL || inputs[0] == NULL || downstream (self->pipeline, id, gem_id))
        continue;
      fed = sluice_pipeline_peek_edges_of (self->pipeline, id, SLUICE_PORT_INPUT);
      for (guint k = 0; inputs[k]; k++)
        {
          gboolean taken = FALSE;

          for (guint j = 0; fed && j < fed->len && !taken; j++)
            taken = g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (fed, j)), inputs[k]);
          if (!taken)
            {
              g_autofree char *target = g_strconcat (id, ".", inputs[k], NULL);
              g_strv_builder_add (builder, target);
            }
        }
    }
  return g_strv_builder_end (builder);
}

void
sluice_canvas_set_changed_gems (SluiceCanvas       *self,
                                const char * const *ids)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (SLUICE_IS_CANVAS (self));

  g_hash_table_remove_all (self->changed);
  for (guint i = 0; ids && ids[i]; i++)
    g_hash_table_add (self->changed, g_strdup (ids[i]));
  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    sluice_gem_widget_set_changed (value, g_hash_table_contains (self->changed, key));
}
