/* The canvas's drawing: the grid, one cached node for all wires, the hit
 * index built with it, and the overlays (hover, rubber band, wire in flight). */
#define G_LOG_DOMAIN "sluice-canvas"

#include "config.h"

#include <math.h>
#include <sys/mman.h>

#include "sluice-canvas-private.h"

/* Model units per index cell: a few cards wide, so a lookup sees few items. */
#define GRID_CELL   256.0
#define GRID_MAX_CELLS (256 * 256)
/* Hit tolerances in pixels, so they feel the same at every zoom. */
#define EDGE_REACH_PX 6.0
#define PORT_REACH_PX 9.0
#define EDGE_SAMPLES 24
/* How long a zoom rests before the wires are redrawn sharp. */
#define REZOOM_MS 150
/* The overview image is at most this many pixels on its longer side, so
 * its memory is bounded whatever the size of the graph; the minimap is at
 * most MINIMAP_W × MINIMAP_H pixels, MINIMAP_INSET from the corner. */
#define OVERVIEW_MAX_PX 2048.0
#define OVERVIEW_PAD 24
#define MINIMAP_W 220.0
#define MINIMAP_H 150.0
#define MINIMAP_INSET 12.0

/* ---- The uniform grid ---- */

static void
grid_clear (SluiceGrid *grid)
{
  g_clear_pointer (&grid->starts, g_free);
  g_clear_pointer (&grid->items, g_free);
  grid->cols = grid->rows = 0;
}

static void
grid_cell_range (const SluiceGrid      *grid,
                 const graphene_rect_t *r,
                 int                   *c0,
                 int                   *r0,
                 int                   *c1,
                 int                   *r1)
{
  *c0 = CLAMP ((int) floor ((r->origin.x - grid->x0) / grid->cell), 0, grid->cols - 1);
  *r0 = CLAMP ((int) floor ((r->origin.y - grid->y0) / grid->cell), 0, grid->rows - 1);
  *c1 = CLAMP ((int) floor ((r->origin.x + r->size.width - grid->x0) / grid->cell), 0, grid->cols - 1);
  *r1 = CLAMP ((int) floor ((r->origin.y + r->size.height - grid->y0) / grid->cell), 0, grid->rows - 1);
}

/* Builds the grid over @n rectangles (read with @stride from @rects), in
 * two passes (count, then fill) so it is two flat arrays. */
static void
grid_build (SluiceGrid            *grid,
            const graphene_rect_t *(*rect_of) (GArray *array, guint i),
            GArray                *array)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  guint n = array->len, ncells, *fill;

  grid_clear (grid);
  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      const graphene_rect_t *r = rect_of (array, i);
      x0 = MIN (x0, r->origin.x);
      y0 = MIN (y0, r->origin.y);
      x1 = MAX (x1, r->origin.x + r->size.width);
      y1 = MAX (y1, r->origin.y + r->size.height);
    }
  grid->x0 = x0;
  grid->y0 = y0;
  grid->cell = GRID_CELL;
  while (ceil ((x1 - x0) / grid->cell + 1) * ceil ((y1 - y0) / grid->cell + 1) > GRID_MAX_CELLS)
    grid->cell *= 2;
  grid->cols = (int) ceil ((x1 - x0) / grid->cell + 1);
  grid->rows = (int) ceil ((y1 - y0) / grid->cell + 1);
  ncells = grid->cols * grid->rows;

  grid->starts = g_new0 (guint, ncells + 1);
  for (guint i = 0; i < n; i++)
    {
      int c0, r0, c1, r1;
      grid_cell_range (grid, rect_of (array, i), &c0, &r0, &c1, &r1);
      for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
          grid->starts[r * grid->cols + c + 1]++;
    }
  for (guint c = 0; c < ncells; c++)
    grid->starts[c + 1] += grid->starts[c];

  grid->items = g_new (guint, MAX (grid->starts[ncells], 1));
  fill = g_memdup2 (grid->starts, sizeof (guint) * ncells);
  for (guint i = 0; i < n; i++)
    {
      int c0, r0, c1, r1;
      grid_cell_range (grid, rect_of (array, i), &c0, &r0, &c1, &r1);
      for (int r = r0; r <= r1; r++)
        for (int c = c0; c <= c1; c++)
          grid->items[fill[r * grid->cols + c]++] = i;
    }
  g_free (fill);
}

/* ---- Geometry ---- */

static const graphene_rect_t *
edge_rect (GArray *array,
           guint   i)
{
  return &g_array_index (array, SluiceEdgeGeom, i).bounds;
}

/* Ports are indexed as small squares; the reach is checked exactly later. */
static graphene_rect_t port_rect_scratch;

static const graphene_rect_t *
port_rect (GArray *array,
           guint   i)
{
  SluicePortGeom *p = &g_array_index (array, SluicePortGeom, i);

  graphene_rect_init (&port_rect_scratch, p->x - 1, p->y - 1, 2, 2);
  return &port_rect_scratch;
}

static void
bezier_controls (double  x0,
                 double  y0,
                 double  x1,
                 double  y1,
                 double *cx0,
                 double *cx1)
{
  double d = MAX (48.0, fabs (x1 - x0) / 2.0);

  *cx0 = x0 + d;
  *cx1 = x1 - d;
  (void) y0;
  (void) y1;
}

static gboolean
port_point (SluiceCanvas        *self,
            const char          *gem_id,
            SluicePortDirection  direction,
            const char          *port_name,
            double              *x,
            double              *y)
{
  SluiceGemWidget *widget = g_hash_table_lookup (self->widgets, gem_id);
  SluicePort *port;
  SluiceGem *gem;

  if (widget == NULL)
    return FALSE;
  gem = sluice_gem_widget_get_gem (widget);
  if (!(port = sluice_gem_find_port (gem, direction, port_name)))
    return FALSE;
  sluice_gem_widget_get_port_point (widget, direction, sluice_port_get_index (port), x, y);
  *x += sluice_gem_get_x (gem);
  *y += sluice_gem_get_y (gem);
  return TRUE;
}

static void
rebuild_geometry (SluiceCanvas *self)
{
  GListModel *edges;
  GHashTableIter iter;
  gpointer value;

  g_array_set_size (self->edge_geoms, 0);
  g_array_set_size (self->port_geoms, 0);
  self->hover_edge = -1;
  self->wire_target = -1;
  if (self->pipeline == NULL)
    {
      grid_clear (&self->edge_grid);
      grid_clear (&self->port_grid);
      return;
    }

  edges = sluice_pipeline_get_edges (self->pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (edges); i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (edges, i);
      SluiceEdgeGeom g = { 0 };
      double cx0, cx1, minx, maxx, pad;

      if (!port_point (self, sluice_edge_get_from_gem (edge), SLUICE_PORT_OUTPUT,
                       sluice_edge_get_from_port (edge), &g.x0, &g.y0)
          || !port_point (self, sluice_edge_get_to_gem (edge), SLUICE_PORT_INPUT,
                          sluice_edge_get_to_port (edge), &g.x1, &g.y1))
        continue;
      g.edge = edge; /* the edges model holds it */
      g.selected = g_hash_table_contains (self->selection, sluice_edge_get_from_gem (edge))
                   || g_hash_table_contains (self->selection, sluice_edge_get_to_gem (edge));
      bezier_controls (g.x0, g.y0, g.x1, g.y1, &cx0, &cx1);
      minx = MIN (MIN (g.x0, g.x1), MIN (cx0, cx1));
      maxx = MAX (MAX (g.x0, g.x1), MAX (cx0, cx1));
      /* Reach at the smallest zoom, so one index serves every zoom. */
      pad = EDGE_REACH_PX / SLUICE_CANVAS_ZOOM_MIN / 4;
      graphene_rect_init (&g.bounds, minx - pad, MIN (g.y0, g.y1) - pad,
                          maxx - minx + 2 * pad, fabs (g.y1 - g.y0) + 2 * pad);
      g_array_append_val (self->edge_geoms, g);
    }

  graphene_rect_init (&self->extent, 0, 0, 0, 0);
  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SluiceGemWidget *widget = value;
      SluiceGem *gem = sluice_gem_widget_get_gem (widget);
      graphene_rect_t card = GRAPHENE_RECT_INIT (sluice_gem_get_x (gem) - OVERVIEW_PAD, sluice_gem_get_y (gem) - OVERVIEW_PAD,
                                                 SLUICE_GEM_WIDGET_WIDTH + 2 * OVERVIEW_PAD,
                                                 sluice_gem_widget_get_height (widget) + 2 * OVERVIEW_PAD);
      guint n_in = g_list_model_get_n_items (sluice_gem_get_inputs (gem));
      guint n_out = g_list_model_get_n_items (sluice_gem_get_outputs (gem));

      for (guint d = 0; d < 2; d++)
        for (guint i = 0; i < (d == 0 ? n_in : n_out); i++)
          {
            SluicePortGeom p = { widget, d == 0 ? SLUICE_PORT_INPUT : SLUICE_PORT_OUTPUT, i, 0, 0 };
            sluice_gem_widget_get_port_point (widget, p.direction, i, &p.x, &p.y);
            p.x += sluice_gem_get_x (gem);
            p.y += sluice_gem_get_y (gem);
            g_array_append_val (self->port_geoms, p);
          }
      if (self->extent.size.width == 0)
        self->extent = card;
      else
        graphene_rect_union (&self->extent, &card, &self->extent);
    }

  grid_build (&self->edge_grid, edge_rect, self->edge_geoms);
  grid_build (&self->port_grid, port_rect, self->port_geoms);
  self->index_dirty = FALSE;

  /* Few wires touch the selection: drawn per frame, out of the tiles. */
  {
    guint n_selected = 0;

    for (guint i = 0; i < self->edge_geoms->len; i++)
      n_selected += g_array_index (self->edge_geoms, SluiceEdgeGeom, i).selected;
    self->live_selected = n_selected <= SLUICE_CANVAS_LIVE_MAX;
  }
  g_free (self->edge_stamp);
  self->edge_stamp = g_new0 (guint, MAX (self->edge_geoms->len, 1));
  self->stamp = 0;
}

static void
rebuild_index (SluiceCanvas *self)
{
  grid_build (&self->edge_grid, edge_rect, self->edge_geoms);
  grid_build (&self->port_grid, port_rect, self->port_geoms);
  self->index_dirty = FALSE;
}

gboolean
_sluice_canvas_gem_moved (SluiceCanvas    *self,
                          SluiceGemWidget *widget)
{
  SluiceGem *gem = sluice_gem_widget_get_gem (widget);
  const char *id = sluice_gem_get_id (gem);
  double gx = sluice_gem_get_x (gem), gy = sluice_gem_get_y (gem);

  if (self->geometry_dirty || !self->live_selected || !sluice_gem_widget_get_selected (widget))
    return FALSE;

  /* Its wires all touch the selection, so none is in a tile: moving them
   * is updating their ends. */
  for (guint i = 0; i < self->edge_geoms->len; i++)
    {
      SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, i);
      gboolean from = g_str_equal (sluice_edge_get_from_gem (g->edge), id);
      gboolean to = g_str_equal (sluice_edge_get_to_gem (g->edge), id);
      double cx0, cx1, minx, maxx, pad = EDGE_REACH_PX / SLUICE_CANVAS_ZOOM_MIN / 4;

      if (!from && !to)
        continue;
      if ((from && !port_point (self, id, SLUICE_PORT_OUTPUT, sluice_edge_get_from_port (g->edge), &g->x0, &g->y0))
          || (to && !port_point (self, id, SLUICE_PORT_INPUT, sluice_edge_get_to_port (g->edge), &g->x1, &g->y1)))
        return FALSE;
      bezier_controls (g->x0, g->y0, g->x1, g->y1, &cx0, &cx1);
      minx = MIN (MIN (g->x0, g->x1), MIN (cx0, cx1));
      maxx = MAX (MAX (g->x0, g->x1), MAX (cx0, cx1));
      graphene_rect_init (&g->bounds, minx - pad, MIN (g->y0, g->y1) - pad,
                          maxx - minx + 2 * pad, fabs (g->y1 - g->y0) + 2 * pad);
    }
  for (guint i = 0; i < self->port_geoms->len; i++)
    {
      SluicePortGeom *p = &g_array_index (self->port_geoms, SluicePortGeom, i);

      if (p->gem != widget)
        continue;
      sluice_gem_widget_get_port_point (widget, p->direction, p->index, &p->x, &p->y);
      p->x += gx;
      p->y += gy;
    }
  {
    graphene_rect_t card = GRAPHENE_RECT_INIT (gx - OVERVIEW_PAD, gy - OVERVIEW_PAD,
                                               SLUICE_GEM_WIDGET_WIDTH + 2 * OVERVIEW_PAD,
                                               sluice_gem_widget_get_height (widget) + 2 * OVERVIEW_PAD);
    graphene_rect_union (&self->extent, &card, &self->extent);
  }
  self->index_dirty = TRUE;
  self->overview_dirty = TRUE;
  return TRUE;
}

static void
get_colors (SluiceCanvas *self,
            GdkRGBA      *fg,
            GdkRGBA      *accent)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (ctx, fg);
  if (!gtk_style_context_lookup_color (ctx, "accent_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* The canvas's own background, opaque. The canvas paints it itself (no CSS
 * background): then its first node is the first thing drawn into a frame,
 * which lets the cairo renderer replay it straight into the target instead
 * of through a cleared temporary image, and the scene's tiles can be
 * opaque images that are copied, not blended. */
static void
get_background (SluiceCanvas *self,
                GdkRGBA      *bg)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
  if (!gtk_style_context_lookup_color (ctx, "view_bg_color", bg))
    gdk_rgba_parse (bg, "#ffffff");
  G_GNUC_END_IGNORE_DEPRECATIONS
  bg->alpha = 1;
}

/* What a scene is painted with: the foreground and accent, the opaque
 * background, and the grid's faint foreground. */
static void
get_scene_colors (SluiceCanvas *self,
                  GdkRGBA      *fg,
                  GdkRGBA      *accent,
                  GdkRGBA      *bg,
                  GdkRGBA      *grid)
{
  get_colors (self, fg, accent);
  get_background (self, bg);
  *grid = *fg;
  grid->alpha *= 0.06f;
}

/* The grid's spacing at @zoom: coarser lines when zoomed out, never denser
 * than 8 px. */
static double
grid_cell (double zoom)
{
  double cell = 24 * zoom;

  while (cell < 8)
    cell *= 4;
  return cell;
}

/* The grid's lines crossing [x0, x0 + w) × [y0, y0 + h) as filled
 * rectangles, a line every @cell from @origin; lines fall on
 * origin + floor (m * cell), which a tile and the view agree on. */
static void
path_grid (cairo_t *cr,
           double   cell,
           double   origin_x,
           double   origin_y,
           double   x0,
           double   y0,
           double   w,
           double   h)
{
  for (double m = floor ((x0 - origin_x) / cell); ; m++)
    {
      double x = origin_x + floor (m * cell);
      if (x >= x0 + w)
        break;
      if (x >= x0)
        cairo_rectangle (cr, x, y0, 1, h);
    }
  for (double m = floor ((y0 - origin_y) / cell); ; m++)
    {
      double y = origin_y + floor (m * cell);
      if (y >= y0 + h)
        break;
      if (y >= y0)
        cairo_rectangle (cr, x0, y, w, 1);
    }
}

static void
path_edge (cairo_t              *cr,
           const SluiceEdgeGeom *g,
           double                zoom,
           double                ox,
           double                oy)
{
  double cx0, cx1;

  bezier_controls (g->x0, g->y0, g->x1, g->y1, &cx0, &cx1);
  cairo_move_to (cr, g->x0 * zoom + ox, g->y0 * zoom + oy);
  cairo_curve_to (cr, cx0 * zoom + ox, g->y0 * zoom + oy,
                  cx1 * zoom + ox, g->y1 * zoom + oy,
                  g->x1 * zoom + ox, g->y1 * zoom + oy);
}

static double
edge_width (double zoom)
{
  return CLAMP (2.0 * zoom, 1.0, 3.0);
}

/* Draws every wire meeting @region (model) once, into an image, and wraps
 * it in one cairo node, in zoomed coordinates without the pan offset: a pan
 * only translates it. The node's recording holds just that image, so the
 * cairo renderer blits it instead of re-stroking thousands of curves each
 * frame (measured: re-stroking cost 80–150 ms a frame at 2,500 edges). */
static void
stroke_edges (SluiceCanvas          *self,
              cairo_t               *cr,
              const graphene_rect_t *region,
              double                 z,
              gboolean               selected)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->edge_geoms->len; i++)
    {
      const SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, i);
      if (g->selected == selected && (region == NULL || graphene_rect_intersection (&g->bounds, region, NULL)))
        {
          path_edge (cr, g, z, 0, 0);
          any = TRUE;
        }
    }
  if (any)
    cairo_stroke (cr);
  else
    cairo_new_path (cr);
}

/* ---- Wire tiles ----
 *
 * The wires not touching the selection are rasterized into A8 tiles of
 * SLUICE_CANVAS_TILE_PX pixels at tile_zoom, each wrapped in one cairo node
 * painting them in their colour, made when they first come into view (and
 * a couple ahead of it per frame), dropped when far out of view. A pan only
 * translates the visible ones. Small tiles matter on the cairo renderer:
 * it replays a cairo node into a temporary image of the part of it on
 * screen, so one big cached image costs a fresh full-window buffer per frame
 * (measured: 18–33 ms for a 2,560×1,720 one), while 256-pixel tiles reuse
 * small buffers, and empty tiles cost nothing. */

#define TILE_KEEP 2      /* tiles kept beyond each side of the view */
#define TILE_PREFETCH 2  /* tiles made ahead of the view per frame */
#define ZOOM_OUT_AHEAD 0.6 /* zooming out, tiles are drawn at this × the zoom */
#define ZOOM_SCALE_MAX 1.8 /* while the zoom moves, tiles are scaled up to this much */

static gpointer
tile_key (int ix,
          int iy)
{
  return GSIZE_TO_POINTER (((gsize) (guint16) (gint16) ix << 16) | (guint16) (gint16) iy);
}

/* Scene images of tiles that left the view, for the next ones: a fresh
 * buffer costs page faults on this kind of machine, a reused one does not. */
#define SCENE_POOL_MAX 8
static GPtrArray *scene_pool;
static cairo_user_data_key_t scene_pixels_key;

static void
unmap_scene_pixels (void *pixels)
{
  munmap (pixels, (gsize) cairo_format_stride_for_width (CAIRO_FORMAT_RGB24, SLUICE_CANVAS_TILE_PX)
                  * SLUICE_CANVAS_TILE_PX);
}

static cairo_surface_t *
scene_surface_take (void)
{
  cairo_surface_t *surface;
  int stride;
  gsize size;
  void *pixels;

  /* Opaque: every pixel is drawn (background first), so a reused one needs
   * no clearing. */
  if (scene_pool != NULL && scene_pool->len > 0)
    return g_ptr_array_steal_index_fast (scene_pool, scene_pool->len - 1);
  /* Pages of its own, so that the memory goes back to the system when the
   * image goes (a malloc'd one stays in the heap, and a pan leaves tens of
   * them behind it). */
  stride = cairo_format_stride_for_width (CAIRO_FORMAT_RGB24, SLUICE_CANVAS_TILE_PX);
  size = (gsize) stride * SLUICE_CANVAS_TILE_PX;
  pixels = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pixels == MAP_FAILED)
    return cairo_image_surface_create (CAIRO_FORMAT_RGB24, SLUICE_CANVAS_TILE_PX, SLUICE_CANVAS_TILE_PX);
  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_RGB24, SLUICE_CANVAS_TILE_PX,
                                                 SLUICE_CANVAS_TILE_PX, stride);
  cairo_surface_set_user_data (surface, &scene_pixels_key, pixels, unmap_scene_pixels);
  return surface;
}

static void
scene_surface_give (cairo_surface_t *surface)
{
  if (scene_pool == NULL)
    scene_pool = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  if (scene_pool->len < SCENE_POOL_MAX)
    g_ptr_array_add (scene_pool, surface);
  else
    cairo_surface_destroy (surface);
}

void
_sluice_canvas_wire_tile_free (gpointer data)
{
  SluiceWireTile *tile = data;

  if (tile->scene)
    scene_surface_give (g_steal_pointer (&tile->scene));
  g_clear_pointer (&tile->plain, cairo_surface_destroy);
  g_clear_pointer (&tile->selected, cairo_surface_destroy);
  g_clear_pointer (&tile->node, gsk_render_node_unref);
  g_free (tile);
}

static void
ensure_index_now (SluiceCanvas *self)
{
  if (self->geometry_dirty)
    {
      rebuild_geometry (self);
      self->geometry_dirty = FALSE;
      self->node_dirty = TRUE;
      self->rezoomed = FALSE; /* the wires changed: no old picture */
      self->overview_dirty = TRUE;
    }
  else if (self->index_dirty)
    rebuild_index (self);
}

/* Strokes the wires of one kind meeting @tile into a new A8 mask, or
 * returns NULL when there is none. */
static cairo_surface_t *
rasterize_tile (SluiceCanvas          *self,
                int                    ix,
                int                    iy,
                const graphene_rect_t *model,
                gboolean               selected)
{
  double z = self->tile_zoom, t = SLUICE_CANVAS_TILE_PX;
  cairo_surface_t *mask = NULL;
  cairo_t *cr = NULL;
  int c0, r0, c1, r1;

  if (self->edge_grid.cols == 0)
    return NULL;
  self->stamp++;
  grid_cell_range (&self->edge_grid, model, &c0, &r0, &c1, &r1);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        guint cell = r * self->edge_grid.cols + c;

        for (guint k = self->edge_grid.starts[cell]; k < self->edge_grid.starts[cell + 1]; k++)
          {
            guint i = self->edge_grid.items[k];
            const SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, i);

            if (self->edge_stamp[i] == self->stamp)
              continue;
            self->edge_stamp[i] = self->stamp;
            if (g->selected != selected || (g->selected && self->live_selected)
                || !graphene_rect_intersection (&g->bounds, model, NULL))
              continue;
            if (cr == NULL)
              {
                mask = cairo_image_surface_create (CAIRO_FORMAT_A8, SLUICE_CANVAS_TILE_PX, SLUICE_CANVAS_TILE_PX);
                cr = cairo_create (mask);
                cairo_set_line_width (cr, edge_width (z));
                cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
              }
            path_edge (cr, g, z, -ix * t, -iy * t);
          }
      }
  if (cr == NULL)
    return NULL;
  cairo_stroke (cr);
  cairo_destroy (cr);
  return mask;
}

static void
paint_masks (cairo_t              *cr,
             const SluiceWireTile *tile,
             const GdkRGBA        *fg,
             const GdkRGBA        *accent,
             cairo_filter_t        filter)
{
  cairo_surface_t *masks[2] = { tile->plain, tile->selected };

  for (int i = 0; i < 2; i++)
    {
      cairo_pattern_t *pattern;

      if (masks[i] == NULL)
        continue;
      if (i == 0)
        cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.45);
      else
        gdk_cairo_set_source_rgba (cr, accent);
      pattern = cairo_pattern_create_for_surface (masks[i]);
      cairo_pattern_set_filter (pattern, filter);
      cairo_mask (cr, pattern);
      cairo_pattern_destroy (pattern);
    }
}

static void
mask_ink (const SluiceWireTile  *tile,
          cairo_rectangle_int_t *ink)
{
  cairo_surface_t *masks[2] = { tile->plain, tile->selected };
  int x0 = SLUICE_CANVAS_TILE_PX, y0 = SLUICE_CANVAS_TILE_PX, x1 = -1, y1 = -1;

  for (int i = 0; i < 2; i++)
    {
      const guchar *data;
      int stride;

      if (masks[i] == NULL)
        continue;
      cairo_surface_flush (masks[i]);
      data = cairo_image_surface_get_data (masks[i]);
      stride = cairo_image_surface_get_stride (masks[i]);
      for (int y = 0; y < SLUICE_CANVAS_TILE_PX; y++)
        {
          const guint64 *row = (const guint64 *) (data + y * stride);
          for (int x8 = 0; x8 < SLUICE_CANVAS_TILE_PX / 8; x8++)
            if (row[x8])
              {
                x0 = MIN (x0, x8 * 8);
                x1 = MAX (x1, x8 * 8 + 7);
                y0 = MIN (y0, y);
                y1 = MAX (y1, y);
              }
        }
    }
  if (x1 < 0)
    *ink = (cairo_rectangle_int_t) { 0, 0, 1, 1 };
  else
    *ink = (cairo_rectangle_int_t) { x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
}

/* Rasterizes a tile's wires into its masks and their node. */
static void
draw_tile_wires (SluiceCanvas   *self,
                 SluiceWireTile *tile,
                 const GdkRGBA  *fg,
                 const GdkRGBA  *accent)
{
  double t = SLUICE_CANVAS_TILE_PX, z = self->tile_zoom, pad = edge_width (z) / z;
  int ix = tile->ix, iy = tile->iy;
  graphene_rect_t model = GRAPHENE_RECT_INIT (ix * t / z - pad, iy * t / z - pad, t / z + 2 * pad, t / z + 2 * pad);

  /* The grid finds the wires; after a drag only it is stale. */
  ensure_index_now (self);
  tile->wires_dropped = FALSE;
  tile->plain = rasterize_tile (self, ix, iy, &model, FALSE);
  tile->selected = rasterize_tile (self, ix, iy, &model, TRUE);
  if (tile->plain || tile->selected)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      cairo_rectangle_int_t ink;
      cairo_t *cr;

      /* No bigger than the wires in it: the renderer replays the node
       * through a temporary image of its bounds. */
      mask_ink (tile, &ink);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (ix * t + ink.x, iy * t + ink.y,
                                                                    ink.width, ink.height));

      cairo_translate (cr, ix * t, iy * t);
      paint_masks (cr, tile, fg, accent, CAIRO_FILTER_NEAREST);
      cairo_destroy (cr);
      tile->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
}

/* Once a tile's scene holds its wires, the masks go (memory), and come
 * back when the scene or the long way needs them. */
static void
drop_tile_wires (SluiceWireTile *tile)
{
  g_clear_pointer (&tile->plain, cairo_surface_destroy);
  g_clear_pointer (&tile->selected, cairo_surface_destroy);
  g_clear_pointer (&tile->node, gsk_render_node_unref);
  tile->wires_dropped = TRUE;
}

static void
ensure_tile_wires (SluiceCanvas   *self,
                   SluiceWireTile *tile)
{
  GdkRGBA fg, accent;

  if (!tile->wires_dropped)
    return;
  get_colors (self, &fg, &accent);
  draw_tile_wires (self, tile, &fg, &accent);
}

static void
drop_tile_scene (SluiceWireTile *tile)
{
  if (tile->scene)
    scene_surface_give (g_steal_pointer (&tile->scene));
  tile->scene_valid = FALSE;
}

/* Whether this frame can paint the scene: in detail, and nothing happening
 * that redraws the wires every frame anyway. While the zoom moves the
 * scene is scaled, as the wire tiles were; it is drawn sharp when it rests. */
static gboolean
scene_usable (SluiceCanvas *self)
{
  if (!self->detailed || self->tile_zoom <= 0)
    return FALSE;
  if (self->drag == SLUICE_DRAG_RUBBER || (self->drag == SLUICE_DRAG_MOVE && !self->live_selected))
    return FALSE;
  return TRUE;
}

static SluiceWireTile *
make_tile (SluiceCanvas  *self,
           int            ix,
           int            iy,
           const GdkRGBA *fg,
           const GdkRGBA *accent)
{
  SluiceWireTile *tile = g_new0 (SluiceWireTile, 1);

  tile->ix = ix;
  tile->iy = iy;
  /* With the scene, the wires are drawn when the tile's scene is (within
   * a frame's budget, render_scene); the long way draws them when it
   * paints the tile (ensure_tile_wires). */
  if (scene_usable (self))
    tile->wires_dropped = TRUE;
  else
    draw_tile_wires (self, tile, fg, accent);
  g_hash_table_insert (self->tiles, tile_key (ix, iy), tile);
  return tile;
}

/* The range of tiles (at tile_zoom) meeting the view. */
static void
visible_tiles (SluiceCanvas *self,
               int          *ix0,
               int          *iy0,
               int          *ix1,
               int          *iy1)
{
  double x0, y0, x1, y1, k = self->tile_zoom / SLUICE_CANVAS_TILE_PX;

  sluice_canvas_view_to_model (self, 0, 0, &x0, &y0);
  sluice_canvas_view_to_model (self, gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)), &x1, &y1);
  *ix0 = (int) floor (x0 * k);
  *iy0 = (int) floor (y0 * k);
  *ix1 = (int) floor (x1 * k);
  *iy1 = (int) floor (y1 * k);
}

static void render_scene (SluiceCanvas *self, SluiceWireTile *tile, const GdkRGBA *bg, const GdkRGBA *grid);

/* Draws the visible tiles' scenes that are still to be drawn. */
static void
finish_scenes (SluiceCanvas *self)
{
  GdkRGBA fg, accent, bg, grid;
  int ix0, iy0, ix1, iy1;

  get_scene_colors (self, &fg, &accent, &bg, &grid);
  visible_tiles (self, &ix0, &iy0, &ix1, &iy1);
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));
        if (tile && !tile->scene_valid)
          {
            render_scene (self, tile, &bg, &grid);
            self->scene_serial++;
          }
      }
}

/* Brings the tiles up to date for the current view: the visible ones
 * made now, a few around them, the far ones dropped. */
static void
update_tiles (SluiceCanvas *self)
{
  GdkRGBA fg, accent;
  GHashTableIter iter;
  gpointer value;
  int ix0, iy0, ix1, iy1, budget = TILE_PREFETCH;
  double ratio = self->zoom / MAX (self->tile_zoom, 1e-6);

  /* Tiles are scaled while the zoom moves, within limits; beyond them, or
   * once the zoom rests (rezoom_cb), they are redrawn. Zooming out, they
   * are redrawn at a smaller zoom than the current one, so the next steps
   * scale them up and need no new tile at the edges of the view: a zoom
   * costs one redraw every thirty-odd steps of 1.6 % instead of tiles every
   * step (a redraw now makes the scene too, the frame's cards). */
  if (self->node_dirty || self->tile_zoom <= 0 || ratio < 0.999 || ratio > ZOOM_SCALE_MAX)
    {
      /* Only the zoom changed: the old scenes stay a true picture, scaled,
       * until the new ones are drawn, a frame's budget at a time (so no
       * frame redraws every visible tile). Anything else drops them. */
      gboolean keep = self->tile_zoom > 0 && (!self->node_dirty || self->rezoomed) && scene_usable (self);

      /* Still drawing the last zoom's scenes: finish them first, or the
       * picture kept would have holes. */
      if (keep && self->old_tiles)
        finish_scenes (self);
      g_clear_pointer (&self->old_tiles, g_hash_table_unref);
      if (keep)
        {
          GHashTableIter iter2;
          gpointer value2;

          g_hash_table_iter_init (&iter2, self->tiles);
          while (g_hash_table_iter_next (&iter2, NULL, &value2))
            {
              SluiceWireTile *tile = value2;

              if (tile->scene == NULL)
                g_hash_table_iter_remove (&iter2);
              else
                drop_tile_wires (tile);
            }
          self->old_tiles = g_steal_pointer (&self->tiles);
          self->old_tile_zoom = self->tile_zoom;
          self->tiles = g_hash_table_new_full (NULL, NULL, NULL, _sluice_canvas_wire_tile_free);
        }
      else
        g_hash_table_remove_all (self->tiles);
      self->rested = self->rest_grace = keep && self->rezoomed;
      self->rezoomed = FALSE;
      self->tile_zoom = self->node_dirty || ratio >= 0.999 ? self->zoom
                        : MAX (self->zoom * ZOOM_OUT_AHEAD, SLUICE_CANVAS_ZOOM_MIN);
      self->node_dirty = FALSE;
    }
  /* Tiles with no wire still carry the scene's cards. */
  get_colors (self, &fg, &accent);
  visible_tiles (self, &ix0, &iy0, &ix1, &iy1);

  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      if (!g_hash_table_contains (self->tiles, tile_key (ix, iy)))
        make_tile (self, ix, iy, &fg, &accent);

  /* Ahead of a pan: the ring around the view, a few per frame. */
  if (self->zoom == self->tile_zoom)
    for (int iy = iy0 - 1; iy <= iy1 + 1 && budget > 0; iy++)
      for (int ix = ix0 - 1; ix <= ix1 + 1 && budget > 0; ix++)
        if (!g_hash_table_contains (self->tiles, tile_key (ix, iy)))
          {
            make_tile (self, ix, iy, &fg, &accent);
            budget--;
          }

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SluiceWireTile *tile = value;

      if (tile->ix < ix0 - TILE_KEEP || tile->ix > ix1 + TILE_KEEP
          || tile->iy < iy0 - TILE_KEEP || tile->iy > iy1 + TILE_KEEP)
        g_hash_table_iter_remove (&iter);
    }
}

static void
snapshot_tiles (SluiceCanvas  *self,
                GtkSnapshot   *snapshot,
                const GdkRGBA *fg,
                const GdkRGBA *accent,
                double         ox,
                double         oy)
{
  double t = SLUICE_CANVAS_TILE_PX, k = self->zoom / self->tile_zoom;
  int ix0, iy0, ix1, iy1;

  visible_tiles (self, &ix0, &iy0, &ix1, &iy1);
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));

        if (tile)
          ensure_tile_wires (self, tile);
        if (tile == NULL || tile->node == NULL)
          continue;
        if (k == 1)
          {
            /* Whole pixels: the renderer copies rather than resamples. */
            gtk_snapshot_save (snapshot);
            gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (ox, oy));
            gtk_snapshot_append_node (snapshot, tile->node);
            gtk_snapshot_restore (snapshot);
          }
        else
          {
            /* While the zoom moves: the masks scaled, nearest pixel (the
             * renderer's default filter would cost several times more);
             * they are drawn sharp again once the zoom rests. */
            double x = floor (ix * t * k + ox), y = floor (iy * t * k + oy);
            double x1 = ceil ((ix + 1) * t * k + ox), y1 = ceil ((iy + 1) * t * k + oy);
            cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x, y, x1 - x, y1 - y));

            cairo_translate (cr, ix * t * k + ox, iy * t * k + oy);
            cairo_scale (cr, k, k);
            paint_masks (cr, tile, fg, accent, CAIRO_FILTER_NEAREST);
            cairo_destroy (cr);
          }
      }
}


/* ---- The scene: each tile's wires and resting cards in one image ----
 *
 * At rest (the zoom not moving) and in detail, a frame paints per tile one
 * image holding its wires and the unselected cards over them, instead of a
 * hundred card images, two hundred text runs and the wire masks: the cairo
 * renderer's cost is per node and per pixel composited, so a pan becomes
 * about one full-window composite. What changes draws on top: the
 * selected cards and their wires (so a drag touches no tile), the hovered
 * wire. A card whose look changes (hover, text, badges) redraws the tiles
 * under it; anything that changes the wires drops the tiles. */

/* Room around a card for what it draws outside itself: shadow and
 * diagnostics badge, and below it the run badge, in model units. */
#define SCENE_CARD_MARGIN 16
#define SCENE_CARD_BELOW 40
#define SCENE_PREFETCH 2

static void
card_reach (SluiceGemWidget *gw,
            graphene_rect_t *rect)
{
  SluiceGem *gem = sluice_gem_widget_get_gem (gw);

  graphene_rect_init (rect, sluice_gem_get_x (gem) - SCENE_CARD_MARGIN, sluice_gem_get_y (gem) - SCENE_CARD_MARGIN,
                      SLUICE_GEM_WIDGET_WIDTH + 2 * SCENE_CARD_MARGIN,
                      sluice_gem_widget_get_height (gw) + SCENE_CARD_MARGIN + SCENE_CARD_BELOW);
}

static void
render_scene (SluiceCanvas   *self,
              SluiceWireTile *tile,
              const GdkRGBA  *bg,
              const GdkRGBA  *grid)
{
  double t = SLUICE_CANVAS_TILE_PX, z = self->tile_zoom;
  graphene_rect_t model = GRAPHENE_RECT_INIT (tile->ix * t / z, tile->iy * t / z, t / z, t / z);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  gboolean any;
  cairo_t *cr;

  ensure_tile_wires (self, tile);
  any = tile->node != NULL;
  tile->scene_valid = TRUE;
  tile->scene_fresh = TRUE;
  self->scenes_drawn++;

  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-tile->ix * t, -tile->iy * t));
  if (tile->node)
    gtk_snapshot_append_node (snapshot, tile->node);
  /* In child order, as the canvas stacks them, so a card overlapping two
   * tiles is stacked alike in both. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child; child = gtk_widget_get_next_sibling (child))
    {
      SluiceGemWidget *gw = SLUICE_GEM_WIDGET (child);
      SluiceGem *gem = sluice_gem_widget_get_gem (gw);
      graphene_rect_t reach;

      if (sluice_gem_widget_get_selected (gw))
        continue;
      card_reach (gw, &reach);
      if (!graphene_rect_intersection (&reach, &model, NULL))
        continue;
      /* Placed as size_allocate places it, relative to the offset. The
       * card is drawn in its own units and its node scaled, as GTK does
       * for a child: GTK 4.8 misplaces a cairo node made under a scale
       * and a translation together. */
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (sluice_gem_get_x (gem) * z),
                                                              round (sluice_gem_get_y (gem) * z)));
      if (z != 1)
        {
          g_autoptr(GtkSnapshot) own = gtk_snapshot_new ();
          g_autoptr(GskRenderNode) card = NULL;

          sluice_gem_widget_snapshot_card (gw, own);
          card = gtk_snapshot_free_to_node (g_steal_pointer (&own));
          gtk_snapshot_scale (snapshot, z, z);
          if (card)
            gtk_snapshot_append_node (snapshot, card);
        }
      else
        sluice_gem_widget_snapshot_card (gw, snapshot);
      gtk_snapshot_restore (snapshot);
      any = TRUE;
    }
  if (!any || !(node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot))))
    {
      if (tile->scene)
        scene_surface_give (g_steal_pointer (&tile->scene));
      return;
    }

  /* Opaque: the background and the grid first, as the view draws them
   * where no tile has a scene (snapshot_scene). */
  if (tile->scene == NULL)
    tile->scene = scene_surface_take ();
  cr = cairo_create (tile->scene);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  gdk_cairo_set_source_rgba (cr, bg);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  path_grid (cr, grid_cell (z), -tile->ix * t, -tile->iy * t, 0, 0, t, t);
  gdk_cairo_set_source_rgba (cr, grid);
  cairo_fill (cr);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  drop_tile_wires (tile);
}

/* The tiles (at tile_zoom) that @rect, in the model, meets. */
static void
tiles_over (SluiceCanvas          *self,
            const graphene_rect_t *rect,
            int                   *ix0,
            int                   *iy0,
            int                   *ix1,
            int                   *iy1)
{
  double k = self->tile_zoom / SLUICE_CANVAS_TILE_PX;

  *ix0 = (int) floor (rect->origin.x * k);
  *iy0 = (int) floor (rect->origin.y * k);
  *ix1 = (int) floor ((rect->origin.x + rect->size.width) * k);
  *iy1 = (int) floor ((rect->origin.y + rect->size.height) * k);
}

/* A card's look changed: the scene of the tiles under it is stale. */
static void
invalidate_card (SluiceCanvas    *self,
                 SluiceGemWidget *gw)
{
  graphene_rect_t reach;
  int ix0, iy0, ix1, iy1;

  card_reach (gw, &reach);
  tiles_over (self, &reach, &ix0, &iy0, &ix1, &iy1);
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));
        if (tile)
          tile->scene_valid = FALSE;
      }
}

/* Drops the tiles meeting @rect (in the model), so that they are made again. */
static void
drop_tiles_over (SluiceCanvas          *self,
                 const graphene_rect_t *rect)
{
  int ix0, iy0, ix1, iy1;

  tiles_over (self, rect, &ix0, &iy0, &ix1, &iy1);
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      g_hash_table_remove (self->tiles, tile_key (ix, iy));
}

#define SELECTION_REDRAW_MAX 64 /* cards changed: past this, the whole geometry is rebuilt */

/* The cards in @changed were selected or unselected. The wires touching
 * them move between the tiles and the live layer, and the cards between the
 * tiles' scenes and the layer above them: only the tiles under those are
 * made again, not every visible one (a click on a card used to redraw the
 * whole view's scenes, half a second on screen for 2,000 gems). The tiles
 * are made again at their zoom, scaled like the others while the zoom
 * moves. FALSE when the whole geometry has to be rebuilt instead: a zoom's
 * old picture is standing in, or so many wires are selected that they go
 * into the tiles. */
gboolean
_sluice_canvas_selection_redrawn (SluiceCanvas *self,
                                  GPtrArray    *changed)
{
  guint n_selected = 0;

  if (self->geometry_dirty || !self->detailed || self->old_tiles != NULL || self->tile_zoom <= 0
      || changed->len > SELECTION_REDRAW_MAX || !self->live_selected)
    return FALSE;
  for (guint i = 0; i < self->edge_geoms->len; i++)
    {
      SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, i);
      gboolean selected = g_hash_table_contains (self->selection, sluice_edge_get_from_gem (g->edge))
                          || g_hash_table_contains (self->selection, sluice_edge_get_to_gem (g->edge));

      if (selected != g->selected)
        {
          g->selected = selected;
          drop_tiles_over (self, &g->bounds);
        }
      n_selected += g->selected;
    }
  if (n_selected > SLUICE_CANVAS_LIVE_MAX)
    return FALSE;
  for (guint i = 0; i < changed->len; i++)
    {
      graphene_rect_t reach;

      card_reach (g_ptr_array_index (changed, i), &reach);
      drop_tiles_over (self, &reach);
    }
  /* The overview and the minimap show the selection. */
  self->overview_dirty = TRUE;
  return TRUE;
}

#define SCENE_BUDGET_US 2000 /* of scene drawing per frame (past the first), when it can wait */

#define SCENE_IDLE_US 4000   /* of scene drawing per idle, between frames */

/* The tiles whose scenes are kept: the view's, and ahead of a pan the next
 * column and row the view moves into (the scene's images are four bytes a
 * pixel: not a whole ring). */
static void
scene_ring (SluiceCanvas *self,
            int          *ax0,
            int          *ay0,
            int          *ax1,
            int          *ay1)
{
  int ix0, iy0, ix1, iy1;

  visible_tiles (self, &ix0, &iy0, &ix1, &iy1);
  *ax0 = self->scene_dir_x < 0 ? ix0 - 1 : ix0;
  *ax1 = self->scene_dir_x > 0 ? ix1 + 1 : ix1;
  *ay0 = self->scene_dir_y < 0 ? iy0 - 1 : iy0;
  *ay1 = self->scene_dir_y > 0 ? iy1 + 1 : iy1;
}

/* After a zoom rested, the visible tiles' new scenes are drawn here, between
 * frames, while the previous zoom's images stand in for them: a drag or
 * hover right after a zoom then keeps its frames short. Each is laid over
 * the cached scene node by the next frame (its tile repainted, not the
 * view). The frames draw them only when no idle time is left between them
 * (snapshot_scene). */
static gboolean
pending_draw_cb (gpointer data)
{
  SluiceCanvas *self = data;
  gint64 start = g_get_monotonic_time ();
  int ix0, iy0, ix1, iy1, ax0, ay0, ax1, ay1;
  gboolean more = FALSE, visible = FALSE;

  self->pending_id = 0;
  if (!self->geometry_dirty && !self->node_dirty && scene_usable (self) && self->tile_zoom == self->zoom)
    {
      GdkRGBA fg, accent, bg, grid;

      get_scene_colors (self, &fg, &accent, &bg, &grid);
      visible_tiles (self, &ix0, &iy0, &ix1, &iy1);
      scene_ring (self, &ax0, &ay0, &ax1, &ay1);
      /* The visible ones first (the old zoom's stand in for them), then
       * the ones ahead of a pan. */
      for (int pass = 0; pass < 2; pass++)
        for (int iy = ay0; iy <= ay1; iy++)
          for (int ix = ax0; ix <= ax1; ix++)
            {
              SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));
              gboolean in_view = ix >= ix0 && ix <= ix1 && iy >= iy0 && iy <= iy1;

              if (tile == NULL || tile->scene_valid || in_view != (pass == 0)
                  || (in_view && (tile->scene != NULL || self->old_tiles == NULL)))
                continue;
              if (g_get_monotonic_time () - start > SCENE_IDLE_US)
                more = TRUE;
              else
                {
                  render_scene (self, tile, &bg, &grid);
                  if (in_view)
                    visible = self->idle_drew = TRUE;
                }
            }
    }
  if (more)
    self->pending_id = g_idle_add (pending_draw_cb, self);
  if (visible)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* The previous zoom's scenes, scaled to the current zoom (nearest pixel),
 * into the current clip: where the new tiles are not drawn yet. */
static void
paint_old_scenes (SluiceCanvas *self,
                  cairo_t      *cr,
                  double        ox,
                  double        oy)
{
  double t = SLUICE_CANVAS_TILE_PX, k = self->zoom / self->old_tile_zoom;
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->old_tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SluiceWireTile *tile = value;
      double x = floor (tile->ix * t * k + ox), y = floor (tile->iy * t * k + oy);
      double x1 = ceil ((tile->ix + 1) * t * k + ox), y1 = ceil ((tile->iy + 1) * t * k + oy);

      if (tile->scene == NULL || x1 <= 0 || y1 <= 0 || x >= width || y >= height)
        continue;
      cairo_save (cr);
      cairo_rectangle (cr, x, y, x1 - x, y1 - y);
      cairo_clip (cr);
      cairo_translate (cr, tile->ix * t * k + ox, tile->iy * t * k + oy);
      cairo_scale (cr, k, k);
      cairo_set_source_surface (cr, tile->scene, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
      cairo_paint (cr);
      cairo_restore (cr);
    }
}

/* At most this many tiles patched over the cached scene node; past it the
 * node is made again (one full repaint instead of a growing stack). */
#define SCENE_PATCH_MAX 24

/* One tile's scene as it stands, in view coordinates, clipped to the view:
 * laid over the cached scene node when only this tile changed. */
static GskRenderNode *
scene_patch (SluiceCanvas   *self,
             SluiceWireTile *tile,
             const GdkRGBA  *bg,
             const GdkRGBA  *grid,
             double          ox,
             double          oy)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  double t = SLUICE_CANVAS_TILE_PX, x = tile->ix * t + ox, y = tile->iy * t + oy;
  graphene_rect_t r = GRAPHENE_RECT_INIT (x, y, t, t);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  cairo_t *cr;

  if (!graphene_rect_intersection (&r, &GRAPHENE_RECT_INIT (0, 0, width, height), &r))
    return NULL;
  snapshot = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (snapshot, &r);
  cairo_rectangle (cr, r.origin.x, r.origin.y, r.size.width, r.size.height);
  if (tile->scene)
    {
      cairo_set_source_surface (cr, tile->scene, x, y);
      cairo_fill (cr);
    }
  else
    {
      gdk_cairo_set_source_rgba (cr, bg);
      cairo_fill (cr);
      path_grid (cr, grid_cell (self->zoom), ox, oy, r.origin.x, r.origin.y, r.size.width, r.size.height);
      gdk_cairo_set_source_rgba (cr, grid);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* Replaces @tile's patch (if any) with one of its scene now. */
static void
add_scene_patch (SluiceCanvas   *self,
                 SluiceWireTile *tile,
                 const GdkRGBA  *bg,
                 const GdkRGBA  *grid,
                 double          ox,
                 double          oy)
{
  GskRenderNode *patch = scene_patch (self, tile, bg, grid, ox, oy);
  graphene_rect_t b, o;

  if (patch == NULL)
    return;
  gsk_render_node_get_bounds (patch, &b);
  for (guint i = 0; i < self->scene_patches->len; i++)
    {
      gsk_render_node_get_bounds (g_ptr_array_index (self->scene_patches, i), &o);
      if (graphene_rect_equal (&o, &b))
        {
          g_ptr_array_remove_index (self->scene_patches, i);
          break;
        }
    }
  g_ptr_array_add (self->scene_patches, patch);
}

/* Brings the visible tiles' scenes up to date (and a few around them),
 * then appends them. FALSE when a visible tile is missing: then the frame
 * is drawn the long way. */
static gboolean
snapshot_scene (SluiceCanvas  *self,
                GtkSnapshot   *snapshot,
                const GdkRGBA *bg,
                const GdkRGBA *grid,
                double         ox,
                double         oy)
{
  int ix0, iy0, ix1, iy1, ax0, ay0, ax1, ay1, budget = SCENE_PREFETCH;
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));
  double t = SLUICE_CANVAS_TILE_PX, k = self->zoom / self->tile_zoom;
  gboolean bare = FALSE, same_view, moved;
  gint64 start = g_get_monotonic_time ();
  guint pending = 0, drawn = 0, n_fresh = 0, ahead = 0;
  SluiceWireTile *redrawn[SCENE_PATCH_MAX + 1];
  GtkSnapshot *own;
  GHashTableIter iter;
  gpointer value;
  cairo_t *cr;

  visible_tiles (self, &ix0, &iy0, &ix1, &iy1);
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      if (!g_hash_table_contains (self->tiles, tile_key (ix, iy)))
        return FALSE;

  /* A stale scene is redrawn now; a new one too, unless the old zoom's
   * picture can stand in for it and this frame has spent its budget. */
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));

        if (tile->scene_valid)
          continue;
        /* A new one: the old zoom's image stands in. The idle draws it
         * when there is time between frames. Else, while the zoom moves,
         * at least one a frame within a budget; once it rested (the frame
         * after the first, which leaves the idle its chance), all at once,
         * or a drag right after a zoom would draw one every frame. */
        if (tile->scene == NULL && self->old_tiles
            && (self->idle_drew || self->rest_grace
                || (!self->rested && drawn > 0 && g_get_monotonic_time () - start > SCENE_BUDGET_US)))
          pending++;
        else
          {
            render_scene (self, tile, bg, grid);
            drawn++;
          }
      }
  self->idle_drew = self->rest_grace = FALSE;
  /* The visible ones drawn since the cached node was made (here or by the
   * idle): it is stale there. Prefetched ones are not in it, and come into
   * view with a new offset, which makes it again. */
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));

        if (tile->scene_fresh)
          {
            if (n_fresh < G_N_ELEMENTS (redrawn))
              redrawn[n_fresh] = tile;
            n_fresh++;
          }
      }
  if (pending == 0)
    g_clear_pointer (&self->old_tiles, g_hash_table_unref);
  /* Ahead of a pan, the scenes it moves into, a few a frame while it
   * moves; when the view is still (a drag, a hover) the idle draws them
   * between frames. The others' images go. */
  moved = ox != self->scene_ox || oy != self->scene_oy;
  if (ox != self->scene_ox)
    self->scene_dir_x = ox < self->scene_ox ? 1 : -1;
  if (oy != self->scene_oy)
    self->scene_dir_y = oy < self->scene_oy ? 1 : -1;
  self->scene_ox = ox;
  self->scene_oy = oy;
  scene_ring (self, &ax0, &ay0, &ax1, &ay1);
  for (int iy = ay0; iy <= ay1 && k == 1; iy++)
    for (int ix = ax0; ix <= ax1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));

        if (tile == NULL || tile->scene_valid || (ix >= ix0 && ix <= ix1 && iy >= iy0 && iy <= iy1))
          continue;
        if (moved && budget > 0 && g_get_monotonic_time () - start < SCENE_BUDGET_US)
          {
            render_scene (self, tile, bg, grid);
            budget--;
          }
        else
          ahead++;
      }
  if ((pending > 0 || ahead > 0) && self->pending_id == 0)
    self->pending_id = g_idle_add (pending_draw_cb, self);
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SluiceWireTile *tile = value;

      if (tile->scene && (tile->ix < ax0 || tile->ix > ax1 || tile->iy < ay0 || tile->iy > ay1))
        drop_tile_scene (tile);
    }

  /* One cairo node for the whole view: the first thing in the frame, so
   * the renderer replays it straight into its (clear) target; inside it
   * each scene is an opaque image, copied rather than blended (at rest,
   * a whole-pixel offset). Where a tile has no scene, the background and
   * the grid, as render_scene draws them into the others. */
  same_view = self->scene_cache && self->cache_serial == self->scene_serial && self->cache_ox == ox
              && self->cache_oy == oy && self->cache_zoom == self->zoom && self->cache_w == width
              && self->cache_h == height;
  /* The view did not move: the cached node again, the tiles redrawn since
   * laid over it (a drag's neighbours, the tiles drawn sharp after a zoom
   * rested), so GTK repaints those tiles and not the whole view. */
  if (same_view && (n_fresh == 0 || (k == 1 && self->scene_patches->len + n_fresh <= SCENE_PATCH_MAX)))
    {
      for (guint i = 0; i < n_fresh; i++)
        {
          add_scene_patch (self, redrawn[i], bg, grid, ox, oy);
          redrawn[i]->scene_fresh = FALSE;
        }
      gtk_snapshot_append_node (snapshot, self->scene_cache);
      for (guint i = 0; i < self->scene_patches->len; i++)
        gtk_snapshot_append_node (snapshot, g_ptr_array_index (self->scene_patches, i));
      return TRUE;
    }
  /* Made again: every scene as it stands is in it. */
  g_ptr_array_set_size (self->scene_patches, 0);
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((SluiceWireTile *) value)->scene_fresh = FALSE;
  own = gtk_snapshot_new ();
  cr = gtk_snapshot_append_cairo (own, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));
        double x = floor (ix * t * k + ox), y = floor (iy * t * k + oy);

        if (tile->scene != NULL)
          continue;
        cairo_rectangle (cr, x, y, ceil ((ix + 1) * t * k + ox) - x, ceil ((iy + 1) * t * k + oy) - y);
        bare = TRUE;
      }
  if (bare)
    {
      cairo_save (cr);
      cairo_clip (cr);
      gdk_cairo_set_source_rgba (cr, bg);
      cairo_paint (cr);
      path_grid (cr, grid_cell (self->zoom), ox, oy, 0, 0, width, height);
      gdk_cairo_set_source_rgba (cr, grid);
      cairo_fill (cr);
      if (pending > 0)
        paint_old_scenes (self, cr, ox, oy);
      cairo_restore (cr);
    }
  for (int iy = iy0; iy <= iy1; iy++)
    for (int ix = ix0; ix <= ix1; ix++)
      {
        SluiceWireTile *tile = g_hash_table_lookup (self->tiles, tile_key (ix, iy));
        double x, y, x1, y1;

        if (tile->scene == NULL)
          continue;
        if (k == 1)
          {
            x = ix * t + ox;
            y = iy * t + oy;
            cairo_set_source_surface (cr, tile->scene, x, y);
            cairo_rectangle (cr, x, y, t, t);
            cairo_fill (cr);
            continue;
          }
        /* While the zoom moves: the image scaled, nearest pixel (cheapest
         * for the renderer; the text is sharp again once the zoom rests),
         * its edge pixels repeated to the whole pixels it covers. */
        x = floor (ix * t * k + ox);
        y = floor (iy * t * k + oy);
        x1 = ceil ((ix + 1) * t * k + ox);
        y1 = ceil ((iy + 1) * t * k + oy);
        cairo_save (cr);
        cairo_rectangle (cr, x, y, x1 - x, y1 - y);
        cairo_clip (cr);
        cairo_translate (cr, ix * t * k + ox, iy * t * k + oy);
        cairo_scale (cr, k, k);
        cairo_set_source_surface (cr, tile->scene, 0, 0);
        cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
        cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
        cairo_paint (cr);
        cairo_restore (cr);
      }
  cairo_destroy (cr);
  g_clear_pointer (&self->scene_cache, gsk_render_node_unref);
  self->scene_cache = gtk_snapshot_free_to_node (own);
  self->cache_serial = self->scene_serial;
  self->cache_ox = ox;
  self->cache_oy = oy;
  self->cache_zoom = self->zoom;
  self->cache_w = width;
  self->cache_h = height;
  if (self->scene_cache)
    gtk_snapshot_append_node (snapshot, self->scene_cache);
  return TRUE;
}

/* The wires touching the selection, stroked this frame. */
static void
snapshot_live_wires (SluiceCanvas  *self,
                     GtkSnapshot   *snapshot,
                     const GdkRGBA *accent,
                     double         ox,
                     double         oy)
{
  graphene_rect_t view = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                             gtk_widget_get_height (GTK_WIDGET (self)));
  graphene_rect_t area = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  cairo_t *cr = NULL;

  if (!self->live_selected || g_hash_table_size (self->selection) == 0)
    return;
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < self->edge_geoms->len; i++)
        {
          const SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, i);
          graphene_rect_t b;

          if (!g->selected)
            continue;
          graphene_rect_init (&b, g->bounds.origin.x * self->zoom + ox, g->bounds.origin.y * self->zoom + oy,
                              g->bounds.size.width * self->zoom, g->bounds.size.height * self->zoom);
          if (!graphene_rect_intersection (&b, &view, &b))
            continue;
          if (pass == 1)
            path_edge (cr, g, self->zoom, ox, oy);
          /* First the area they cover, so the node is no bigger. */
          else if (area.size.width == 0)
            area = b;
          else
            graphene_rect_union (&area, &b, &area);
        }
      if (pass == 0)
        {
          if (area.size.width <= 0 || area.size.height <= 0)
            return;
          graphene_rect_round_extents (&area, &area);
          cr = gtk_snapshot_append_cairo (snapshot, &area);
          cairo_set_line_width (cr, edge_width (self->zoom));
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
        }
    }
  gdk_cairo_set_source_rgba (cr, accent);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

/* ---- The overview: every card and wire in one image ---- */

static double
overview_scale_for (SluiceCanvas *self,
                    double        zoom)
{
  double longest = MAX (self->extent.size.width, self->extent.size.height);

  return MIN (zoom, OVERVIEW_MAX_PX / MAX (longest, 1));
}

/* Plain rectangles in their category's colour, no text: what reads at a
 * glance when a card is a few pixels wide. */
static void
draw_overview (SluiceCanvas *self,
               cairo_t      *cr,
               double        s)
{
  GdkRGBA fg, accent;
  GHashTableIter iter;
  gpointer value;

  get_colors (self, &fg, &accent);
  cairo_save (cr);
  cairo_translate (cr, -self->extent.origin.x * s, -self->extent.origin.y * s);
  cairo_set_line_width (cr, MAX (1.0, edge_width (s) * 0.75));
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.35);
  stroke_edges (self, cr, NULL, s, FALSE);
  gdk_cairo_set_source_rgba (cr, &accent);
  stroke_edges (self, cr, NULL, s, TRUE);

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SluiceGem *gem = sluice_gem_widget_get_gem (value);
      GdkRGBA color;

      sluice_gem_widget_get_category_color (value, &color);
      cairo_rectangle (cr, sluice_gem_get_x (gem) * s, sluice_gem_get_y (gem) * s,
                       MAX (1, SLUICE_GEM_WIDGET_WIDTH * s), MAX (1, sluice_gem_widget_get_height (value) * s));
      if (sluice_gem_widget_get_selected (value))
        gdk_cairo_set_source_rgba (cr, &accent);
      else
        cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.8);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* An image as a grid of tile-sized cairo nodes: the cairo renderer replays
 * a cairo node through a temporary image of its visible part, so small
 * nodes keep that buffer small and reused (see the wire tiles). */
static GskRenderNode *
image_node (cairo_surface_t *surface,
            double           x,
            double           y)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int t = SLUICE_CANVAS_TILE_PX;

  for (int ty = 0; ty < h; ty += t)
    for (int tx = 0; tx < w; tx += t)
      {
        cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x + tx, y + ty, MIN (t, w - tx),
                                                                               MIN (t, h - ty)));
        cairo_set_source_surface (cr, surface, x, y);
        cairo_paint (cr);
        cairo_destroy (cr);
      }
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* Redraws the overview (for low zoom) and the minimap from it. */
static void
rebuild_overview (SluiceCanvas *self)
{
  double s = overview_scale_for (self, self->detailed ? SLUICE_CANVAS_DETAIL_ZOOM : self->zoom);
  int w = (int) ceil (self->extent.size.width * s), h = (int) ceil (self->extent.size.height * s);
  cairo_surface_t *surface, *mini;
  double ms;
  cairo_t *cr;

  g_clear_pointer (&self->overview_node, gsk_render_node_unref);
  g_clear_pointer (&self->minimap_node, gsk_render_node_unref);
  self->overview_dirty = FALSE;
  self->overview_scale = s;
  if (w <= 0 || h <= 0)
    return;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  draw_overview (self, cr, s);
  cairo_destroy (cr);

  /* The minimap: the same picture, shrunk once here rather than per frame. */
  ms = MIN (MINIMAP_W / self->extent.size.width, MINIMAP_H / self->extent.size.height);
  self->minimap_scale = ms;
  mini = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (1, (int) ceil (self->extent.size.width * ms)),
                                     MAX (1, (int) ceil (self->extent.size.height * ms)));
  cr = cairo_create (mini);
  cairo_scale (cr, ms / s, ms / s);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  self->minimap_node = image_node (mini, 0, 0);
  cairo_surface_destroy (mini);

  /* At detailed zooms only the minimap needs it. */
  if (!self->detailed)
    self->overview_node = image_node (surface, 0, 0);
  cairo_surface_destroy (surface);
}

static gboolean
rezoom_cb (gpointer data)
{
  SluiceCanvas *self = data;

  self->rezoom_id = 0;
  self->node_dirty = TRUE;
  self->rezoomed = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* The zoom moved: until it rests, the cached wires are scaled. "Rests" means no change for REZOOM_MS, or for twice the
 * time between the last two changes when they come slower than that: on a
 * busy machine, where one frame can take longer than REZOOM_MS, the images
 * would otherwise be redrawn on every step of a zoom. */
void
_sluice_canvas_zoom_changed (SluiceCanvas *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 gap_ms = (now - self->last_zoom_us) / 1000;
  guint delay = REZOOM_MS;

  if (self->last_zoom_us != 0 && gap_ms < 1000)
    delay = MAX (delay, (guint) (2 * gap_ms));
  self->last_zoom_us = now;
  g_clear_handle_id (&self->rezoom_id, g_source_remove);
  self->rezoom_id = g_timeout_add (delay, rezoom_cb, self);
}

/* Called from size_allocate: brings the index and the wire tiles up to
 * date for the current view, so snapshot only appends what is cached. */
void
_sluice_canvas_ensure_geometry (SluiceCanvas *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self)), height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->geometry_dirty)
    {
      rebuild_geometry (self);
      self->geometry_dirty = FALSE;
      self->node_dirty = TRUE;
      self->rezoomed = FALSE; /* the wires changed: no old picture */
      self->overview_dirty = TRUE;
    }

  /* The overview has the wires: free the tiles (and their scenes) before
   * it is drawn, so the two are not in memory at once. */
  if (!self->detailed)
    {
      g_hash_table_remove_all (self->tiles);
      g_clear_pointer (&self->old_tiles, g_hash_table_unref);
      self->node_dirty = TRUE;
      if (scene_pool)
        g_ptr_array_set_size (scene_pool, 0);
    }

  /* The overview serves low zooms and the minimap. */
  if (!self->detailed || self->minimap_visible)
    {
      double want = overview_scale_for (self, self->detailed ? SLUICE_CANVAS_DETAIL_ZOOM : self->zoom);

      if (self->overview_dirty
          || (self->detailed ? self->minimap_node == NULL : self->overview_node == NULL)
          || (self->rezoom_id == 0 && want != self->overview_scale))
        rebuild_overview (self);
    }
  else
    {
      g_clear_pointer (&self->overview_node, gsk_render_node_unref);
      g_clear_pointer (&self->minimap_node, gsk_render_node_unref);
    }
  if (self->minimap_node)
    {
      graphene_rect_t b;

      gsk_render_node_get_bounds (self->minimap_node, &b);
      graphene_rect_init (&self->minimap_rect, width - MINIMAP_INSET - b.size.width,
                          height - MINIMAP_INSET - b.size.height, b.size.width, b.size.height);
    }

  if (!self->detailed)
    return;

  update_tiles (self);
  /* While the zoom changes, the tiles are scaled; they are drawn again,
   * sharp, once the zoom has rested a moment. */
  if (self->tile_zoom != self->zoom && self->rezoom_id == 0)
    _sluice_canvas_zoom_changed (self);
}

void
_sluice_canvas_clear_cache (SluiceCanvas *self)
{
  g_array_set_size (self->edge_geoms, 0);
  g_array_set_size (self->port_geoms, 0);
  grid_clear (&self->edge_grid);
  grid_clear (&self->port_grid);
  g_hash_table_remove_all (self->tiles);
  g_clear_pointer (&self->old_tiles, g_hash_table_unref);
  g_clear_pointer (&self->scene_cache, gsk_render_node_unref);
  g_ptr_array_set_size (self->scene_patches, 0);
  self->node_dirty = TRUE;
  g_clear_pointer (&self->overview_node, gsk_render_node_unref);
  g_clear_pointer (&self->minimap_node, gsk_render_node_unref);
  self->hover_edge = -1;
  self->wire_target = -1;
  self->geometry_dirty = TRUE;
}

/* ---- The minimap ---- */

gboolean
_sluice_canvas_minimap_contains (SluiceCanvas *self,
                                 double        x,
                                 double        y)
{
  return self->minimap_visible && self->minimap_node
         && graphene_rect_contains_point (&self->minimap_rect, &GRAPHENE_POINT_INIT (x, y));
}

void
_sluice_canvas_minimap_pan_to (SluiceCanvas *self,
                               double        x,
                               double        y)
{
  double mx, my;

  if (self->minimap_node == NULL || self->minimap_scale <= 0)
    return;
  x = CLAMP (x, self->minimap_rect.origin.x, self->minimap_rect.origin.x + self->minimap_rect.size.width);
  y = CLAMP (y, self->minimap_rect.origin.y, self->minimap_rect.origin.y + self->minimap_rect.size.height);
  mx = self->extent.origin.x + (x - self->minimap_rect.origin.x) / self->minimap_scale;
  my = self->extent.origin.y + (y - self->minimap_rect.origin.y) / self->minimap_scale;
  _sluice_canvas_set_view (self, self->zoom,
                           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - mx * self->zoom,
                           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - my * self->zoom);
}

static void
snapshot_minimap (SluiceCanvas  *self,
                  GtkSnapshot   *snapshot,
                  const GdkRGBA *fg,
                  const GdkRGBA *accent)
{
  const graphene_rect_t *r = &self->minimap_rect;
  graphene_rect_t view, frame;
  GdkRGBA back = *fg, fill = *accent;
  GskRoundedRect rr;
  float w[4] = { 1, 1, 1, 1 };
  GdkRGBA c[4] = { *accent, *accent, *accent, *accent };
  GdkRGBA edge[4] = { back, back, back, back };
  double x0, y0, x1, y1;

  back.alpha = 0.12f;
  for (int i = 0; i < 4; i++)
    edge[i].alpha = 0.25f;
  graphene_rect_inset_r (r, -4, -4, &frame);
  gsk_rounded_rect_init_from_rect (&rr, &frame, 6);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, &back, &frame);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &r->origin);
  gtk_snapshot_append_node (snapshot, self->minimap_node);
  gtk_snapshot_restore (snapshot);

  /* The viewport, clipped to the minimap. */
  sluice_canvas_view_to_model (self, 0, 0, &x0, &y0);
  sluice_canvas_view_to_model (self, gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)), &x1, &y1);
  graphene_rect_init (&view, r->origin.x + (x0 - self->extent.origin.x) * self->minimap_scale,
                      r->origin.y + (y0 - self->extent.origin.y) * self->minimap_scale,
                      (x1 - x0) * self->minimap_scale, (y1 - y0) * self->minimap_scale);
  if (graphene_rect_intersection (&view, &frame, &view))
    {
      fill.alpha = 0.15f;
      gtk_snapshot_append_color (snapshot, &fill, &view);
      gsk_rounded_rect_init_from_rect (&rr, &view, 0);
      gtk_snapshot_append_border (snapshot, &rr, w, c);
    }
  gtk_snapshot_pop (snapshot);
  gsk_rounded_rect_init_from_rect (&rr, &frame, 6);
  gtk_snapshot_append_border (snapshot, &rr, w, edge);
}

/* ---- Hit-testing through the index ---- */

static void
ensure_index (SluiceCanvas *self)
{
  ensure_index_now (self);
}

int
_sluice_canvas_port_at (SluiceCanvas *self,
                        double        mx,
                        double        my)
{
  double reach = MAX (SLUICE_GEM_WIDGET_PORT_RADIUS + 4, PORT_REACH_PX / self->zoom);
  graphene_rect_t probe = GRAPHENE_RECT_INIT (mx - reach, my - reach, 2 * reach, 2 * reach);
  double best = reach * reach;
  int found = -1, c0, r0, c1, r1;

  ensure_index (self);
  if (self->port_grid.cols == 0)
    return -1;
  grid_cell_range (&self->port_grid, &probe, &c0, &r0, &c1, &r1);
  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      {
        guint cell = r * self->port_grid.cols + c;
        for (guint k = self->port_grid.starts[cell]; k < self->port_grid.starts[cell + 1]; k++)
          {
            guint i = self->port_grid.items[k];
            const SluicePortGeom *p = &g_array_index (self->port_geoms, SluicePortGeom, i);
            double d = (p->x - mx) * (p->x - mx) + (p->y - my) * (p->y - my);
            if (d <= best)
              {
                best = d;
                found = i;
              }
          }
      }
  return found;
}

static double
segment_distance2 (double px, double py,
                   double ax, double ay,
                   double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
  double qx = ax + t * dx - px, qy = ay + t * dy - py;

  return qx * qx + qy * qy;
}

static double
edge_distance2 (const SluiceEdgeGeom *g,
                double                px,
                double                py)
{
  double cx0, cx1, best = G_MAXDOUBLE, lx = g->x0, ly = g->y0;

  bezier_controls (g->x0, g->y0, g->x1, g->y1, &cx0, &cx1);
  for (int s = 1; s <= EDGE_SAMPLES; s++)
    {
      double t = (double) s / EDGE_SAMPLES, u = 1 - t;
      double x = u * u * u * g->x0 + 3 * u * u * t * cx0 + 3 * u * t * t * cx1 + t * t * t * g->x1;
      double y = u * u * u * g->y0 + 3 * u * u * t * g->y0 + 3 * u * t * t * g->y1 + t * t * t * g->y1;
      best = MIN (best, segment_distance2 (px, py, lx, ly, x, y));
      lx = x;
      ly = y;
    }
  return best;
}

int
_sluice_canvas_edge_at (SluiceCanvas *self,
                        double        mx,
                        double        my)
{
  double reach = EDGE_REACH_PX / self->zoom;
  double best = reach * reach;
  graphene_rect_t probe = GRAPHENE_RECT_INIT (mx, my, 0, 0);
  int found = -1, c, r, unused0, unused1;
  guint cell;

  ensure_index (self);
  if (self->edge_grid.cols == 0)
    return -1;
  grid_cell_range (&self->edge_grid, &probe, &c, &r, &unused0, &unused1);
  cell = r * self->edge_grid.cols + c;
  for (guint k = self->edge_grid.starts[cell]; k < self->edge_grid.starts[cell + 1]; k++)
    {
      guint i = self->edge_grid.items[k];
      const SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, i);
      double d;

      if (!graphene_rect_contains_point (&g->bounds, &GRAPHENE_POINT_INIT (mx, my)))
        continue;
      if ((d = edge_distance2 (g, mx, my)) <= best)
        {
          best = d;
          found = i;
        }
    }
  return found;
}

GPtrArray *
_sluice_canvas_gems_in_rect (SluiceCanvas          *self,
                             const graphene_rect_t *rect)
{
  GPtrArray *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SluiceGem *gem = sluice_gem_widget_get_gem (value);
      graphene_rect_t card = GRAPHENE_RECT_INIT (sluice_gem_get_x (gem), sluice_gem_get_y (gem),
                                                 SLUICE_GEM_WIDGET_WIDTH,
                                                 sluice_gem_widget_get_height (value));
      if (graphene_rect_intersection (&card, rect, NULL))
        g_ptr_array_add (ids, key);
    }
  return ids;
}

/* ---- Snapshot ---- */

static void
snapshot_grid (SluiceCanvas  *self,
               GtkSnapshot   *snapshot,
               const GdkRGBA *grid,
               double         ox,
               double         oy,
               int            width,
               int            height)
{
  double cell = grid_cell (self->zoom);

  /* One colour node per line: a few hundred thin rectangles cost the cairo
   * renderer less than a repeat node, which fills the whole window. The
   * lines fall where path_grid puts them. */
  for (double m = floor (-ox / cell); ox + floor (m * cell) < width; m++)
    if (ox + floor (m * cell) >= 0)
      gtk_snapshot_append_color (snapshot, grid, &GRAPHENE_RECT_INIT (ox + floor (m * cell), 0, 1, height));
  for (double m = floor (-oy / cell); oy + floor (m * cell) < height; m++)
    if (oy + floor (m * cell) >= 0)
      gtk_snapshot_append_color (snapshot, grid, &GRAPHENE_RECT_INIT (0, oy + floor (m * cell), width, 1));
}

static void
snapshot_wire (SluiceCanvas  *self,
               GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               double         ex,
               double         ey)
{
  SluiceEdgeGeom g = { NULL, self->wire_x0, self->wire_y0, ex, ey, GRAPHENE_RECT_INIT (0, 0, 0, 0), FALSE };
  double vx0, vy0, vx1, vy1, cx0, cx1;
  graphene_rect_t bounds;
  cairo_t *cr;

  sluice_canvas_model_to_view (self, g.x0, g.y0, &vx0, &vy0);
  sluice_canvas_model_to_view (self, ex, ey, &vx1, &vy1);
  bezier_controls (g.x0, g.y0, ex, ey, &cx0, &cx1);
  graphene_rect_init (&bounds, MIN (MIN (vx0, vx1), cx1 * self->zoom + self->offset_x) - 8,
                      MIN (vy0, vy1) - 8, 0, 0);
  bounds.size.width = MAX (MAX (vx0, vx1), cx0 * self->zoom + self->offset_x) + 8 - bounds.origin.x;
  bounds.size.height = MAX (vy0, vy1) + 8 - bounds.origin.y;
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  path_edge (cr, &g, self->zoom, self->offset_x, self->offset_y);
  cairo_set_line_width (cr, edge_width (self->zoom) + 1);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (self->wire_error == NULL && self->wire_target < 0)
    {
      double dashes[] = { 6, 4 };
      cairo_set_dash (cr, dashes, 2, 0);
    }
  gdk_cairo_set_source_rgba (cr, color);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

void
_sluice_canvas_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GdkRGBA fg, accent, red, bg, grid;
  double ox, oy;
  gboolean scene;

  self->n_frames++;
  get_scene_colors (self, &fg, &accent, &bg, &grid);
  gdk_rgba_parse (&red, "#e01b24");
  /* Cards are placed on whole pixels (size_allocate); so are the wires. */
  ox = round (self->offset_x);
  oy = round (self->offset_y);

  /* The scenes hold the background and the grid: a theme change redraws them. */
  if (!gdk_rgba_equal (&bg, &self->scene_bg) || !gdk_rgba_equal (&grid, &self->scene_grid))
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->tiles);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ((SluiceWireTile *) value)->scene_valid = FALSE;
      self->scene_bg = bg;
      self->scene_grid = grid;
    }

  /* Cards whose look changed since the last frame: the tiles under them
   * redraw (the selected ones are never in a tile). */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (sluice_gem_widget_take_redrawn (SLUICE_GEM_WIDGET (child))
        && !sluice_gem_widget_get_selected (SLUICE_GEM_WIDGET (child)))
      invalidate_card (self, SLUICE_GEM_WIDGET (child));

  scene = scene_usable (self) && snapshot_scene (self, snapshot, &bg, &grid, ox, oy);
  if (!scene)
    {
      gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
      snapshot_grid (self, snapshot, &grid, ox, oy, width, height);
    }

  if (!self->detailed && self->overview_node)
    {
      double k = self->zoom / self->overview_scale;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->offset_x + self->extent.origin.x * self->zoom,
                                                              self->offset_y + self->extent.origin.y * self->zoom));
      if (k != 1)
        gtk_snapshot_scale (snapshot, k, k);
      gtk_snapshot_append_node (snapshot, self->overview_node);
      gtk_snapshot_restore (snapshot);
    }
  else if (self->detailed && !scene)
    snapshot_tiles (self, snapshot, &fg, &accent, ox, oy);
  /* Hovered wire on top of the cached ones. */
  if (self->hover_edge >= 0 && (guint) self->hover_edge < self->edge_geoms->len)
    {
      const SluiceEdgeGeom *g = &g_array_index (self->edge_geoms, SluiceEdgeGeom, self->hover_edge);
      graphene_rect_t b = GRAPHENE_RECT_INIT (g->bounds.origin.x * self->zoom + ox,
                                              g->bounds.origin.y * self->zoom + oy,
                                              g->bounds.size.width * self->zoom,
                                              g->bounds.size.height * self->zoom);
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &b);
      path_edge (cr, g, self->zoom, ox, oy);
      cairo_set_line_width (cr, edge_width (self->zoom) + 1.5);
      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }

  if (self->detailed)
    snapshot_live_wires (self, snapshot, &accent, ox, oy);

  /* Cards, the selected ones last so they sit on top; below the detail
   * zoom the overview has drawn them. */
  if (self->detailed)
    {
      /* While the zoom moves (until it rests and the wires are redrawn at
       * it), plain cards: each card's own node is an image that the
       * renderer would resample. */
      gboolean zooming = self->tile_zoom != self->zoom;

      /* With the scene, only the selected ones: the others are in it. */
      for (int pass = scene ? 1 : 0; pass < 2; pass++)
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
          if (gtk_widget_get_child_visible (child)
              && sluice_gem_widget_get_selected (SLUICE_GEM_WIDGET (child)) == (pass == 1))
            {
              if (zooming)
                {
                  SluiceGem *gem = sluice_gem_widget_get_gem (SLUICE_GEM_WIDGET (child));
                  sluice_gem_widget_snapshot_plain (SLUICE_GEM_WIDGET (child), snapshot, self->zoom,
                                                    round (sluice_gem_get_x (gem) * self->zoom + self->offset_x),
                                                    round (sluice_gem_get_y (gem) * self->zoom + self->offset_y));
                }
              else
                gtk_widget_snapshot_child (widget, child, snapshot);
            }
    }

  if (self->minimap_visible && self->minimap_node)
    snapshot_minimap (self, snapshot, &fg, &accent);

  /* Rubber band. */
  if (self->drag == SLUICE_DRAG_RUBBER)
    {
      graphene_rect_t band = GRAPHENE_RECT_INIT (MIN (self->drag_x, self->drag_x + self->drag_dx),
                                                 MIN (self->drag_y, self->drag_y + self->drag_dy),
                                                 fabs (self->drag_dx), fabs (self->drag_dy));
      GdkRGBA fill = accent;
      GskRoundedRect rr;
      float w[4] = { 1, 1, 1, 1 };
      GdkRGBA c[4] = { accent, accent, accent, accent };

      fill.alpha = 0.15f;
      gtk_snapshot_append_color (snapshot, &fill, &band);
      gsk_rounded_rect_init_from_rect (&rr, &band, 0);
      gtk_snapshot_append_border (snapshot, &rr, w, c);
    }

  /* The wire being dragged, or a refused one with the reason. */
  if (self->drag == SLUICE_DRAG_WIRE || self->wire_error_id != 0)
    {
      double ex, ey;

      if (self->wire_error_id != 0)
        ex = self->wire_end_x, ey = self->wire_end_y;
      else if (self->wire_target >= 0)
        {
          const SluicePortGeom *p = &g_array_index (self->port_geoms, SluicePortGeom, self->wire_target);
          ex = p->x;
          ey = p->y;
        }
      else
        sluice_canvas_view_to_model (self, self->pointer_x, self->pointer_y, &ex, &ey);
      snapshot_wire (self, snapshot, self->wire_error ? &red : &accent, ex, ey);

      if (self->wire_error && self->wire_layout)
        {
          PangoRectangle logical;
          double vx, vy;
          GskRoundedRect rr;

          sluice_canvas_model_to_view (self, ex, ey, &vx, &vy);
          pango_layout_get_pixel_extents (self->wire_layout, NULL, &logical);
          gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (vx + 12, vy + 10, logical.width + 16,
                                                                     logical.height + 8), 6);
          gtk_snapshot_push_rounded_clip (snapshot, &rr);
          gtk_snapshot_append_color (snapshot, &red, &rr.bounds);
          gtk_snapshot_pop (snapshot);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (vx + 20, vy + 14));
          gtk_snapshot_append_layout (snapshot, self->wire_layout, &(GdkRGBA) { 1, 1, 1, 1 });
          gtk_snapshot_restore (snapshot);
        }
    }
}
