/* Shared by sluice-canvas.c (model, layout, API), sluice-canvas-draw.c
 * (edge cache, hit index, snapshot) and sluice-canvas-input.c (gestures,
 * actions). */
#pragma once

#include "sluice-canvas.h"
#include "sluice-gem-widget.h"

G_BEGIN_DECLS

#define SLUICE_CANVAS_ZOOM_MIN 0.1
#define SLUICE_CANVAS_ZOOM_MAX 4.0
/* Below this zoom the cards drop their text (level of detail). */
#define SLUICE_CANVAS_DETAIL_ZOOM 0.4
/* Wire tiles, in pixels; selected wires drawn per frame, at most. */
#define SLUICE_CANVAS_TILE_PX 256
#define SLUICE_CANVAS_LIVE_MAX 256

/* One wire, in model coordinates, rebuilt with the edge cache. */
typedef struct
{
  SluiceEdge      *edge;       /* borrowed: the pipeline's edges model keeps it */
  double           x0, y0;     /* output port */
  double           x1, y1;     /* input port */
  graphene_rect_t  bounds;     /* of the curve and its control points */
  gboolean         selected;   /* touches a selected gem */
} SluiceEdgeGeom;

/* One tile of cached wires: alpha masks of the plain and the selected
 * wires, and the node that paints them at tile_zoom. */
typedef struct
{
  int              ix, iy;
  cairo_surface_t *plain;      /* owned, nullable: no wire there */
  cairo_surface_t *selected;   /* owned, nullable */
  GskRenderNode   *node;       /* owned, nullable: in zoomed coordinates, no offset */
  /* The scene: these wires and the unselected cards over them, drawn once
   * into one image, so a frame at rest paints one image per tile. */
  cairo_surface_t *scene;      /* owned, nullable: RGB24 (opaque: background and grid in it), SLUICE_CANVAS_TILE_PX square */
  gboolean         scene_valid;
  gboolean         scene_fresh;   /* drawn since the cached scene node was made */
  gboolean         wires_dropped; /* plain, selected and node freed: the scene has them */
} SluiceWireTile;

/* One port, in model coordinates. */
typedef struct
{
  SluiceGemWidget     *gem;    /* borrowed: a child */
  SluicePortDirection  direction;
  guint                index;
  double               x, y;
} SluicePortGeom;

/* A uniform grid over the model: cell → indices of the items overlapping it,
 * stored as compressed rows so a lookup is two array reads. */
typedef struct
{
  double  x0, y0, cell;
  int     cols, rows;
  guint  *starts;              /* owned: cols * rows + 1 offsets */
  guint  *items;               /* owned */
} SluiceGrid;

typedef enum {
  SLUICE_DRAG_NONE,
  SLUICE_DRAG_PAN,
  SLUICE_DRAG_MOVE,
  SLUICE_DRAG_RUBBER,
  SLUICE_DRAG_WIRE,
  SLUICE_DRAG_MINIMAP,
} SluiceDragMode;

struct _SluiceCanvas
{
  GtkWidget        parent_instance;

  SluicePipeline  *pipeline;        /* owned, nullable */
  SluiceResolver  *resolver;        /* owned, nullable */
  GHashTable      *widgets;         /* gem id (owned) → SluiceGemWidget (borrowed: a child) */
  GHashTable      *selection;       /* gem id (owned) set */
  GHashTable      *badges;          /* gem id (owned) → "E"/"N" + text (owned) */
  GHashTable      *changed;         /* gem ids (owned) that differ from the last commit */

  /* The view transform: view = model × zoom + offset. */
  double           zoom;
  double           offset_x, offset_y;
  gboolean         fit_pending;
  gboolean         detailed;

  /* Edge cache (sluice-canvas-draw.c). */
  gboolean         geometry_dirty;  /* the graph changed: positions, edges, ports */
  gboolean         index_dirty;     /* only the hit grids are stale (a selected gem moved) */
  gboolean         node_dirty;      /* the wire tiles must be redrawn */
  guint            n_frames;        /* snapshots so far (sluice_canvas_get_n_frames) */
  guint            scenes_drawn;    /* since sluice_canvas_take_scenes_drawn() */
  GArray          *edge_geoms;      /* SluiceEdgeGeom */
  GArray          *port_geoms;      /* SluicePortGeom */
  SluiceGrid       edge_grid;
  SluiceGrid       port_grid;
  /* The wires not touching the selection, rasterized once into tiles of
   * SLUICE_CANVAS_TILE_PX pixels at tile_zoom, made as they come into view;
   * a pan only translates them. */
  GHashTable      *tiles;           /* packed (ix, iy) → SluiceWireTile (owned) */
  double           tile_zoom;
  GdkRGBA          scene_bg;   /* the background and grid colours the scenes hold */
  GdkRGBA          scene_grid;
  /* After a zoom, the tiles at the previous zoom: their scenes are painted,
   * scaled, where the new ones are not drawn yet (a few a frame). */
  GHashTable      *old_tiles;  /* owned, nullable: like tiles */
  double           old_tile_zoom;
  gboolean         rezoomed;   /* the tiles are redrawn because the zoom rested */
  gboolean         rested;     /* the current tiles were made so: no frame budget for their scenes */
  gboolean         rest_grace; /* the first frame after that: the idle gets a chance first */
  guint            pending_id; /* idle that draws pending scenes between frames, then asks for one */
  gboolean         idle_drew;  /* it drew one since the last frame: the frame need not */
  /* The last frame's scene node, appended again while nothing in it changed:
   * GTK then finds the node unchanged and repaints only what did (a drag). */
  GskRenderNode   *scene_cache; /* owned, nullable */
  /* Tiles whose scene was redrawn since scene_cache was made, while the view
   * stayed: each an opaque node of its tile over the cached one, so that the
   * damage GTK finds is that tile, not the view. */
  GPtrArray       *scene_patches; /* owned: GskRenderNode, one a tile, newest last */
  guint            scene_serial; /* bumped whenever a scene is drawn */
  guint            cache_serial;
  double           cache_ox, cache_oy, cache_zoom;
  int              cache_w, cache_h;
  guint           *edge_stamp;      /* owned: per edge, the last tile that looked at it */
  guint            stamp;
  /* Wires touching the selection are drawn every frame (few, and they move
   * with a dragged gem), unless there are more than SLUICE_CANVAS_LIVE_MAX:
   * then the tiles carry them too. */
  gboolean         live_selected;
  guint            rezoom_id;       /* redraws the wires sharp after a zoom */
  gint64           last_zoom_us;    /* monotonic time of the last zoom change */
  int              hover_edge;      /* index in edge_geoms, or -1 */
  /* Where the scene was last painted, and which way the view last moved
   * (-1, 0, 1 on each axis): its images are made ahead that way. */
  double           scene_ox, scene_oy;
  int              scene_dir_x, scene_dir_y;

  /* Level of detail: below SLUICE_CANVAS_DETAIL_ZOOM the cards and wires
   * are one cached image of the whole graph, which the minimap shares. */
  graphene_rect_t  extent;          /* model bounds of every card, padded */
  GskRenderNode   *overview_node;   /* owned, nullable: in model units × overview_scale, from extent's origin */
  double           overview_scale;
  gboolean         overview_dirty;
  GskRenderNode   *minimap_node;    /* owned, nullable: the overview shrunk to the minimap */
  gboolean         minimap_visible;
  graphene_rect_t  minimap_rect;    /* widget coordinates of the minimap's picture */
  double           minimap_scale;   /* its pixels per model unit */

  /* Pointer and drag state (sluice-canvas-input.c). */
  double           pointer_x, pointer_y;   /* widget coordinates */
  gboolean         space_down;
  SluiceDragMode   drag;
  double           drag_x, drag_y;         /* where the drag started, widget coordinates */
  double           drag_dx, drag_dy;       /* its current offset */
  double           pan_x0, pan_y0;
  int              moved_x, moved_y;       /* model units already applied to the model */
  gboolean         drag_toggle;            /* Shift/Ctrl held at the start */
  char            *drag_gem;               /* owned, nullable: gem under the press */
  GHashTable      *rubber_base;            /* owned, nullable: selection before the band */
  double           zoom_gesture_base;

  /* The wire being dragged, and its verdict. */
  char            *wire_gem;        /* owned: the output's gem */
  char            *wire_port;       /* owned */
  double           wire_x0, wire_y0;/* model */
  int              wire_target;     /* index in port_geoms, or -1 */
  char            *wire_error;      /* owned, nullable: why it cannot connect */
  PangoLayout     *wire_layout;     /* owned, nullable: wire_error laid out */
  guint            wire_error_id;   /* keeps a refused wire on screen a moment */
  double           wire_end_x, wire_end_y; /* model: where a refused wire ended */

  /* sluice-canvas-edit.c */
  GCancellable    *layout_cancellable; /* owned, nullable: the auto-layout running */
  gboolean         clipboard_has_gems; /* the clipboard's text reads as gems: paste applies */
};

/* sluice-canvas.c */
void     _sluice_canvas_select_only        (SluiceCanvas  *self,
                                            const char    *id);
void     _sluice_canvas_toggle_selected    (SluiceCanvas  *self,
                                            const char    *id);
void     _sluice_canvas_replace_selection  (SluiceCanvas  *self,
                                            GHashTable    *ids);
char   **_sluice_canvas_selection_strv     (SluiceCanvas  *self);
void     _sluice_canvas_set_view           (SluiceCanvas  *self,
                                            double         zoom,
                                            double         offset_x,
                                            double         offset_y);
void     _sluice_canvas_zoom_at            (SluiceCanvas  *self,
                                            double         zoom,
                                            double         vx,
                                            double         vy);
void     _sluice_canvas_graph_changed      (SluiceCanvas  *self);

/* sluice-canvas-draw.c */
void     _sluice_canvas_snapshot           (GtkWidget     *widget,
                                            GtkSnapshot   *snapshot);
void     _sluice_canvas_ensure_geometry    (SluiceCanvas  *self);
gboolean _sluice_canvas_selection_redrawn  (SluiceCanvas  *self,
                                            GPtrArray     *changed);
void     _sluice_canvas_clear_cache        (SluiceCanvas  *self);
void     _sluice_canvas_wire_tile_free     (gpointer       tile);
/* Index in port_geoms of the port within reach of a model point, or -1. */
int      _sluice_canvas_port_at            (SluiceCanvas  *self,
                                            double         mx,
                                            double         my);
/* Index in edge_geoms of the wire within reach of a model point, or -1. */
int      _sluice_canvas_edge_at            (SluiceCanvas  *self,
                                            double         mx,
                                            double         my);
/* Whether a widget point is on the minimap (when it is shown). */
gboolean _sluice_canvas_minimap_contains   (SluiceCanvas  *self,
                                            double         x,
                                            double         y);
/* Centres the view on the model point under a minimap point. */
void     _sluice_canvas_minimap_pan_to     (SluiceCanvas  *self,
                                            double         x,
                                            double         y);
void     _sluice_canvas_zoom_changed       (SluiceCanvas  *self);
/* A gem moved: returns TRUE if only its own wires and ports were updated
 * (it is selected and its wires are drawn per frame), FALSE if the whole
 * geometry must be rebuilt. */
gboolean _sluice_canvas_gem_moved          (SluiceCanvas    *self,
                                            SluiceGemWidget *widget);
/* The ids of gems whose cards meet a model rectangle. (transfer container) */
GPtrArray *_sluice_canvas_gems_in_rect     (SluiceCanvas          *self,
                                            const graphene_rect_t *rect);

/* sluice-canvas.c: the signals */
void     _sluice_canvas_edit_failed        (SluiceCanvas  *self,
                                            const char    *message);
void     _sluice_canvas_request_add_gem    (SluiceCanvas  *self,
                                            double         x,
                                            double         y,
                                            const char    *text,
                                            const char    *from_gem,
                                            const char    *from_port);
void     _sluice_canvas_request_context_menu (SluiceCanvas *self,
                                            double         x,
                                            double         y,
                                            gboolean       on_gem);
void     _sluice_canvas_request_connect    (SluiceCanvas  *self,
                                            const char    *gem_id,
                                            double         x,
                                            double         y);

/* sluice-canvas-edit.c */
void     _sluice_canvas_class_init_edit    (GtkWidgetClass *widget_class);
void     _sluice_canvas_init_edit          (SluiceCanvas   *self);
void     _sluice_canvas_update_edit_actions (SluiceCanvas  *self);

/* sluice-canvas-input.c */
void     _sluice_canvas_class_init_input   (GtkWidgetClass *widget_class);
void     _sluice_canvas_init_input         (SluiceCanvas   *self);
void     _sluice_canvas_update_actions     (SluiceCanvas   *self);

G_END_DECLS
