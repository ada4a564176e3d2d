#define G_LOG_DOMAIN "sluice-gem-widget"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sluice-gem-widget.h"

struct _SluiceGemWidget
{
  GtkWidget        parent_instance;

  SluiceGem       *gem;            /* owned */
  GtkIconPaintable *icon;          /* owned, nullable */
  PangoLayout     *title_layout;   /* owned: the label */
  PangoLayout     *type_layout;    /* owned: the type's title */
  PangoLayout     *count_layout;   /* owned, nullable: diagnostics count */
  PangoLayout     *badge_layout;   /* owned, nullable: run badge text */
  guint            n_errors;
  guint            n_warnings;
  guint            n_inputs;
  guint            n_outputs;
  int              height;
  guint            selected : 1;
  guint            detailed : 1;
  guint            badge_error : 1;
  guint            redrawn : 1;     /* its look changed since the canvas last asked */
  guint            changed : 1;   /* differs from the last commit */
};

G_DEFINE_FINAL_TYPE (SluiceGemWidget, sluice_gem_widget, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_GEM, PROP_SELECTED, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Every change of the card's look goes through here: the canvas keeps
 * cards in its cached scene and redraws those that say so. */
static void
redraw (SluiceGemWidget *self)
{
  GtkWidget *canvas = gtk_widget_get_parent (GTK_WIDGET (self));

  self->redrawn = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* A card drawn into the canvas's scene tiles is never snapshotted as a
   * child, so GTK keeps it marked as needing a draw, and its next
   * queue_draw stops there without reaching the canvas: ask the canvas
   * directly, or a card's second change would never show. */
  if (canvas)
    gtk_widget_queue_draw (canvas);
}

/* Card geometry, in model units. */
#define HEADER_H    48
#define PORT_STEP   20
#define PAD         12
#define BADGE_R     9

/* A colour per category, so the kind of a step reads at a glance even when
 * zoomed out; they are libadwaita's palette, legible on light and dark. */
static void
category_color (SluiceGemWidget *self,
                GdkRGBA         *rgba)
{
  const char *name = sluice_gem_get_type_name (self->gem);
  const char *spec = "#3584e4";   /* transforms */

  if (sluice_gem_get_gem_type (self->gem) == NULL)
    spec = "#c01c28";
  else if (g_str_equal (name, "Source") || g_str_equal (name, "Target"))
    spec = "#2ec27e";
  else if (g_str_equal (name, "Join") || g_str_equal (name, "SetOperation"))
    spec = "#9141ac";
  else if (g_str_equal (name, "SQLStatement") || g_str_equal (name, "Script"))
    spec = "#e66100";
  gdk_rgba_parse (rgba, spec);
}

static void
update_accessible (SluiceGemWidget *self)
{
  g_autofree char *label = sluice_gem_widget_dup_accessible_label (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
update_ports (SluiceGemWidget *self)
{
  guint rows;

  self->n_inputs = g_list_model_get_n_items (sluice_gem_get_inputs (self->gem));
  self->n_outputs = g_list_model_get_n_items (sluice_gem_get_outputs (self->gem));
  rows = MAX (self->n_inputs, self->n_outputs);
  self->height = MAX (HEADER_H + 8, (int) (16 + PORT_STEP * rows));
}

static void
update_text (SluiceGemWidget *self)
{
  SluiceGemType *type = sluice_gem_get_gem_type (self->gem);

  pango_layout_set_text (self->title_layout, sluice_gem_get_label (self->gem), -1);
  pango_layout_set_text (self->type_layout,
                         type ? sluice_gem_type_get_title (type) : sluice_gem_get_type_name (self->gem),
                         -1);
}

static void
gem_changed_cb (SluiceGemWidget *self)
{
  int old_height = self->height;

  update_ports (self);
  update_text (self);
  update_accessible (self);
  if (old_height != self->height)
    {
      self->redrawn = TRUE;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else
    redraw (self);
}

static PangoLayout *
make_layout (SluiceGemWidget *self,
             gboolean         bold,
             double           scale,
             int              width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  if (width > 0)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static void
sluice_gem_widget_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  SluiceGemWidget *self = SLUICE_GEM_WIDGET (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = SLUICE_GEM_WIDGET_WIDTH;
  else
    *minimum = *natural = self->height;
}

/* ---- The card's chrome, one shared image per look ----
 *
 * Shadow, background, border, selection ring, focus outline, category
 * stripe, icon and ports do not depend on the gem, only on its look (height,
 * ports, category, state, theme colours, icon). Drawn through GSK nodes (a
 * blurred box-shadow, rounded clips) they cost the cairo renderer about a
 * millisecond per card per frame; so each look is drawn once into an image,
 * shared by every card that has it, and a card paints that image. The text
 * stays vector (text nodes are cheap and stay sharp at every zoom). */

/* Room around the card in the image: shadow, ring, focus outline, ports. */
#define CHROME_MARGIN 10

typedef struct
{
  cairo_surface_t       *surface;   /* owned */
  cairo_rectangle_int_t  ink;       /* its non-transparent part, in card units from (-CHROME_MARGIN, -CHROME_MARGIN) */
} Chrome;

static GHashTable *chrome_cache;   /* key (owned) → Chrome (owned) */

static void
chrome_free (gpointer data)
{
  Chrome *chrome = data;

  cairo_surface_destroy (chrome->surface);
  g_free (chrome);
}

/* The bounding box of the pixels that are not fully transparent: the
 * renderer replays a cairo node through a temporary image of its bounds,
 * so the node is made no bigger than what it shows. */
static void
ink_extents (cairo_surface_t       *surface,
             int                    scale,
             cairo_rectangle_int_t *ink)
{
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data;
  int x0 = w, y0 = h, x1 = -1, y1 = -1;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (data + y * stride);
      for (int x = 0; x < w; x++)
        if (row[x] >> 24)
          {
            x0 = MIN (x0, x);
            x1 = MAX (x1, x);
            y0 = MIN (y0, y);
            y1 = MAX (y1, y);
          }
    }
  if (x1 < 0)
    {
      *ink = (cairo_rectangle_int_t) { 0, 0, 0, 0 };
      return;
    }
  /* In card units, rounded outwards. */
  ink->x = x0 / scale;
  ink->y = y0 / scale;
  ink->width = (x1 + scale) / scale - ink->x;
  ink->height = (y1 + scale) / scale - ink->y;
}

static guint32
pack_rgba (const GdkRGBA *c)
{
  return ((guint32) (CLAMP (c->red, 0, 1) * 255) << 24) | ((guint32) (CLAMP (c->green, 0, 1) * 255) << 16)
         | ((guint32) (CLAMP (c->blue, 0, 1) * 255) << 8) | (guint32) (CLAMP (c->alpha, 0, 1) * 255);
}

typedef struct
{
  GdkRGBA fg, card, accent, stripe;
} CardColors;

static void
card_colors (SluiceGemWidget *self,
             CardColors      *colors)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
    gtk_style_context_get_color (ctx, &colors->fg);
    if (!gtk_style_context_lookup_color (ctx, "card_bg_color", &colors->card))
      gdk_rgba_parse (&colors->card, "#ffffff");
    if (!gtk_style_context_lookup_color (ctx, "accent_bg_color", &colors->accent))
      gdk_rgba_parse (&colors->accent, "#3584e4");
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  category_color (self, &colors->stripe);
}

static void
append_circle (GtkSnapshot   *snapshot,
               double         cx,
               double         cy,
               double         r,
               const GdkRGBA *fill,
               const GdkRGBA *ring,
               double         ring_width)
{
  GskRoundedRect rr;
  graphene_rect_t rect = GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r);
  float widths[4] = { ring_width, ring_width, ring_width, ring_width };
  GdkRGBA rings[4] = { *ring, *ring, *ring, *ring };

  gsk_rounded_rect_init_from_rect (&rr, &rect, r);
  gtk_snapshot_push_rounded_clip (snapshot, &rr);
  gtk_snapshot_append_color (snapshot, fill, &rect);
  gtk_snapshot_pop (snapshot);
  if (ring_width > 0)
    gtk_snapshot_append_border (snapshot, &rr, widths, rings);
}

static void
append_rounded_border (GtkSnapshot          *snapshot,
                       const GskRoundedRect *rr,
                       float                 width,
                       const GdkRGBA        *color)
{
  float widths[4] = { width, width, width, width };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gtk_snapshot_append_border (snapshot, rr, widths, colors);
}

/* The nodes of one look, in the card's coordinates; what the CSS of a
 * libadwaita card would draw, plus the stripe, icon and ports. */
static void
snapshot_chrome (SluiceGemWidget  *self,
                 GtkSnapshot      *snapshot,
                 const CardColors *c,
                 GtkStateFlags     state)
{
  int w = SLUICE_GEM_WIDGET_WIDTH, h = self->height;
  gboolean selected = (state & GTK_STATE_FLAG_SELECTED) != 0;
  GskRoundedRect card, rr;
  GdkRGBA shadow1 = { 0, 0, 0, 0.07f }, shadow2 = { 0, 0, 0, selected ? 0.10f : 0.03f };
  GdkRGBA border = c->fg, ring = c->accent, red, yellow;

  gdk_rgba_parse (&red, "#e01b24");
  gdk_rgba_parse (&yellow, "#e5a50a");
  gsk_rounded_rect_init_from_rect (&card, &GRAPHENE_RECT_INIT (0, 0, w, h), 8);

  /* Elevation. */
  if (selected)
    {
      ring.alpha *= 0.45f;
      gtk_snapshot_append_outset_shadow (snapshot, &card, &shadow2, 0, 2, 2, 8);
      gtk_snapshot_append_outset_shadow (snapshot, &card, &ring, 0, 0, 2, 0);
    }
  else
    {
      gtk_snapshot_append_outset_shadow (snapshot, &card, &shadow2, 0, 2, 2, 6);
      gtk_snapshot_append_outset_shadow (snapshot, &card, &shadow1, 0, 1, 1, 3);
    }

  /* Background and border. */
  gtk_snapshot_push_rounded_clip (snapshot, &card);
  gtk_snapshot_append_color (snapshot, &c->card, &card.bounds);
  /* Category stripe along the left edge, inside the card's corner. */
  gtk_snapshot_append_color (snapshot, &c->stripe, &GRAPHENE_RECT_INIT (0, 0, 5, h));
  gtk_snapshot_pop (snapshot);
  if (selected)
    border = c->accent;
  else
    border.alpha *= (state & GTK_STATE_FLAG_PRELIGHT) ? 0.25f : 0.12f;
  append_rounded_border (snapshot, &card, 1, &border);

  /* Keyboard focus: an outline 2 px outside the card. */
  if (state & GTK_STATE_FLAG_FOCUS_VISIBLE)
    {
      GdkRGBA outline = c->accent;

      outline.alpha *= 0.6f;
      gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (-4, -4, w + 8, h + 8), 12);
      append_rounded_border (snapshot, &rr, 2, &outline);
    }

  if (self->detailed && self->icon)
    {
      GdkRGBA colors[4] = { c->stripe, red, yellow, red };
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD + 2, 16));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (self->icon),
                                                snapshot, 16, 16, colors, G_N_ELEMENTS (colors));
      gtk_snapshot_restore (snapshot);
    }

  /* Ports: inputs on the left edge, outputs on the right, half outside. */
  for (guint i = 0; i < self->n_inputs; i++)
    {
      double x, y;
      sluice_gem_widget_get_port_point (self, SLUICE_PORT_INPUT, i, &x, &y);
      append_circle (snapshot, x, y, SLUICE_GEM_WIDGET_PORT_RADIUS, &c->card, &c->accent, 2);
    }
  for (guint i = 0; i < self->n_outputs; i++)
    {
      double x, y;
      sluice_gem_widget_get_port_point (self, SLUICE_PORT_OUTPUT, i, &x, &y);
      append_circle (snapshot, x, y, SLUICE_GEM_WIDGET_PORT_RADIUS, &c->accent, &c->card, 2);
    }
}

#define CHROME_STATES (GTK_STATE_FLAG_SELECTED | GTK_STATE_FLAG_PRELIGHT | GTK_STATE_FLAG_FOCUS_VISIBLE)

/* (transfer none): the image of this card's current look, made on first use. */
static const Chrome *
ensure_chrome (SluiceGemWidget  *self,
               const CardColors *c)
{
  GtkStateFlags state = gtk_widget_get_state_flags (GTK_WIDGET (self)) & CHROME_STATES;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  SluiceGemType *type = sluice_gem_get_gem_type (self->gem);
  char key[160];
  cairo_surface_t *surface;
  Chrome *chrome;
  GskRenderNode *node;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  cairo_t *cr;

  g_snprintf (key, sizeof key, "%d/%u/%u/%x/%d/%d/%08x%08x%08x%08x/%s", self->height, self->n_inputs, self->n_outputs,
              state, self->detailed, scale, pack_rgba (&c->fg), pack_rgba (&c->card), pack_rgba (&c->accent),
              pack_rgba (&c->stripe), type ? sluice_gem_type_get_icon_name (type) : "");
  if (chrome_cache == NULL)
    chrome_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, chrome_free);
  if ((chrome = g_hash_table_lookup (chrome_cache, key)))
    return chrome;
  /* Looks come and go with themes and states: keep the cache bounded. */
  if (g_hash_table_size (chrome_cache) >= 256)
    g_hash_table_remove_all (chrome_cache);

  snapshot = gtk_snapshot_new ();
  snapshot_chrome (self, snapshot, c, state);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (SLUICE_GEM_WIDGET_WIDTH + 2 * CHROME_MARGIN) * scale,
                                        (self->height + 2 * CHROME_MARGIN) * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  cairo_translate (cr, CHROME_MARGIN, CHROME_MARGIN);
  if (node)
    gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  g_clear_pointer (&node, gsk_render_node_unref);
  chrome = g_new0 (Chrome, 1);
  chrome->surface = surface;
  ink_extents (surface, scale, &chrome->ink);
  g_hash_table_insert (chrome_cache, g_strdup (key), chrome);
  return chrome;
}

/* Draws text already laid out; nothing here allocates beyond the nodes. */
static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         x,
                  double         y,
                  const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* GTK keeps this node until the card is queued for drawing (its text,
 * state, ports or badges change), so this runs rarely, not per frame. */
static void
sluice_gem_widget_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SluiceGemWidget *self = SLUICE_GEM_WIDGET (widget);
  int w = SLUICE_GEM_WIDGET_WIDTH;
  int h = self->height;
  GdkRGBA dim, red, yellow, white;
  CardColors c;
  const Chrome *chrome;
  cairo_t *cr;

  card_colors (self, &c);
  dim = c.fg;
  dim.alpha *= 0.6f;
  gdk_rgba_parse (&red, "#e01b24");
  gdk_rgba_parse (&yellow, "#e5a50a");
  gdk_rgba_parse (&white, "#ffffff");

  /* Card, stripe, icon and ports: the shared image of this look. */
  chrome = ensure_chrome (self, &c);
  if (chrome->ink.width > 0)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (chrome->ink.x - CHROME_MARGIN,
                                                                    chrome->ink.y - CHROME_MARGIN,
                                                                    chrome->ink.width, chrome->ink.height));
      cairo_set_source_surface (cr, chrome->surface, -CHROME_MARGIN, -CHROME_MARGIN);
      cairo_paint (cr);
      cairo_destroy (cr);
    }

  if (self->detailed)
    {
      append_layout_at (snapshot, self->title_layout, PAD + 26, 7, &c.fg);
      append_layout_at (snapshot, self->type_layout, PAD + 26, 26, &dim);
    }

  /* Changed since the last commit: a dot in the top-left corner. */
  if (self->changed)
    {
      GdkRGBA blue;
      gdk_rgba_parse (&blue, "#3584e4");
      append_circle (snapshot, 4, 4, 5, &blue, &c.card, 2);
    }

  /* Diagnostics badge in the top-right corner, straddling the border. */
  if (self->n_errors + self->n_warnings > 0)
    {
      double cx = w - 4, cy = 4;
      append_circle (snapshot, cx, cy, BADGE_R, self->n_errors ? &red : &yellow, &c.card, 2);
      if (self->count_layout)
        {
          PangoRectangle ink;
          pango_layout_get_pixel_extents (self->count_layout, NULL, &ink);
          append_layout_at (snapshot, self->count_layout,
                            cx - ink.width / 2.0, cy - ink.height / 2.0 - 1, &white);
        }
    }

  /* Run badge: a pill under the card. */
  if (self->badge_layout && self->detailed)
    {
      PangoRectangle logical;
      GdkRGBA pill = self->badge_error ? red : dim;
      GskRoundedRect rr;

      pango_layout_get_pixel_extents (self->badge_layout, NULL, &logical);
      pill.alpha = self->badge_error ? 1.0f : 0.18f;
      gsk_rounded_rect_init_from_rect (&rr, &GRAPHENE_RECT_INIT (8, h + 4, logical.width + 12, logical.height + 4),
                                       (logical.height + 4) / 2.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &rr);
      gtk_snapshot_append_color (snapshot, &pill, &rr.bounds);
      gtk_snapshot_pop (snapshot);
      append_layout_at (snapshot, self->badge_layout, 14, h + 6, self->badge_error ? &white : &c.fg);
    }
}

static void
append_pixel_rect (GtkSnapshot   *snapshot,
                   const GdkRGBA *color,
                   double         x,
                   double         y,
                   double         w,
                   double         h)
{
  double x0 = round (x), y0 = round (y), x1 = round (x + w), y1 = round (y + h);

  if (x1 > x0 && y1 > y0)
    gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
}

void
sluice_gem_widget_snapshot_plain (SluiceGemWidget *self,
                                  GtkSnapshot     *snapshot,
                                  double           zoom,
                                  double           x,
                                  double           y)
{
  int w = SLUICE_GEM_WIDGET_WIDTH, h = self->height;
  double z = zoom, r = SLUICE_GEM_WIDGET_PORT_RADIUS * z;
  GdkRGBA shadow = { 0, 0, 0, 0.08f }, border, dim;
  CardColors c;

  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));

  card_colors (self, &c);
  border = c.fg;
  border.alpha *= 0.15f;
  if (self->selected)
    border = c.accent;
  dim = c.fg;
  dim.alpha *= 0.6f;

  /* Whole-pixel rectangles only: the cairo renderer fills them without
   * antialiasing or a temporary image, at any zoom. */
  append_pixel_rect (snapshot, &shadow, x, y + 2, w * z, h * z);
  append_pixel_rect (snapshot, &border, x, y, w * z, h * z);
  append_pixel_rect (snapshot, &c.card, x + 1, y + 1, w * z - 2, h * z - 2);
  append_pixel_rect (snapshot, &c.stripe, x + 1, y + 1, MAX (2, 5 * z - 1), h * z - 2);
  for (guint d = 0; d < 2; d++)
    for (guint i = 0; i < (d == 0 ? self->n_inputs : self->n_outputs); i++)
      {
        double px, py;

        sluice_gem_widget_get_port_point (self, d == 0 ? SLUICE_PORT_INPUT : SLUICE_PORT_OUTPUT, i, &px, &py);
        append_pixel_rect (snapshot, &c.accent, x + px * z - r, y + py * z - r, 2 * r, 2 * r);
      }
  if (self->changed)
    {
      GdkRGBA blue;
      gdk_rgba_parse (&blue, "#3584e4");
      append_pixel_rect (snapshot, &blue, x - 2, y - 2, MAX (5, 10 * z), MAX (5, 10 * z));
    }

  if (!self->detailed)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_scale (snapshot, z, z);
  append_layout_at (snapshot, self->title_layout, PAD + 26, 7, &c.fg);
  /* The second line only where it is still legible. */
  if (z >= 0.6)
    append_layout_at (snapshot, self->type_layout, PAD + 26, 26, &dim);
  gtk_snapshot_restore (snapshot);
}

/* Its colours come from the style (light or dark, the accent). */
static void
sluice_gem_widget_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  SLUICE_GEM_WIDGET (widget)->redrawn = TRUE;
  GTK_WIDGET_CLASS (sluice_gem_widget_parent_class)->css_changed (widget, change);
}

/* The look is drawn by the card (see above), not by CSS: a state that
 * changes it must redraw the card. */
static void
sluice_gem_widget_state_flags_changed (GtkWidget     *widget,
                                       GtkStateFlags  previous)
{
  if ((gtk_widget_get_state_flags (widget) ^ previous) & CHROME_STATES)
    redraw (SLUICE_GEM_WIDGET (widget));
  GTK_WIDGET_CLASS (sluice_gem_widget_parent_class)->state_flags_changed (widget, previous);
}

static void
sluice_gem_widget_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SluiceGemWidget *self = SLUICE_GEM_WIDGET (object);

  switch (prop_id)
    {
    case PROP_GEM:
      self->gem = g_value_dup_object (value);
      break;
    case PROP_SELECTED:
      sluice_gem_widget_set_selected (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_gem_widget_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SluiceGemWidget *self = SLUICE_GEM_WIDGET (object);

  switch (prop_id)
    {
    case PROP_GEM:
      g_value_set_object (value, self->gem);
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_gem_widget_constructed (GObject *object)
{
  SluiceGemWidget *self = SLUICE_GEM_WIDGET (object);
  SluiceGemType *type;
  const char *fallbacks[] = { "sluice-gem-symbolic", NULL };

  G_OBJECT_CLASS (sluice_gem_widget_parent_class)->constructed (object);
  g_assert (SLUICE_IS_GEM (self->gem));

  type = sluice_gem_get_gem_type (self->gem);
  self->icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                           type ? sluice_gem_type_get_icon_name (type) : "sluice-gem-symbolic",
                                           fallbacks, 16, 1, GTK_TEXT_DIR_NONE, 0);

  self->title_layout = make_layout (self, TRUE, 1.0, SLUICE_GEM_WIDGET_WIDTH - PAD - 26 - 16);
  self->type_layout = make_layout (self, FALSE, PANGO_SCALE_SMALL, SLUICE_GEM_WIDGET_WIDTH - PAD - 26 - 8);
  update_ports (self);
  update_text (self);
  update_accessible (self);

  g_signal_connect_object (self->gem, "notify::label", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gem, "notify::id", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sluice_gem_get_inputs (self->gem), "items-changed",
                           G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sluice_gem_widget_dispose (GObject *object)
{
  SluiceGemWidget *self = SLUICE_GEM_WIDGET (object);

  g_clear_object (&self->gem);
  g_clear_object (&self->icon);
  g_clear_object (&self->title_layout);
  g_clear_object (&self->type_layout);
  g_clear_object (&self->count_layout);
  g_clear_object (&self->badge_layout);
  G_OBJECT_CLASS (sluice_gem_widget_parent_class)->dispose (object);
}

static void
sluice_gem_widget_class_init (SluiceGemWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sluice_gem_widget_constructed;
  object_class->dispose = sluice_gem_widget_dispose;
  object_class->set_property = sluice_gem_widget_set_property;
  object_class->get_property = sluice_gem_widget_get_property;
  widget_class->measure = sluice_gem_widget_measure;
  widget_class->snapshot = sluice_gem_widget_snapshot;
  widget_class->state_flags_changed = sluice_gem_widget_state_flags_changed;
  widget_class->css_changed = sluice_gem_widget_css_changed;

  properties[PROP_GEM] =
    g_param_spec_object ("gem", NULL, NULL, SLUICE_TYPE_GEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "gem");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
sluice_gem_widget_init (SluiceGemWidget *self)
{
  self->detailed = TRUE;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

GtkWidget *
sluice_gem_widget_new (SluiceGem *gem)
{
  g_return_val_if_fail (SLUICE_IS_GEM (gem), NULL);

  return g_object_new (SLUICE_TYPE_GEM_WIDGET, "gem", gem, NULL);
}

SluiceGem *
sluice_gem_widget_get_gem (SluiceGemWidget *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), NULL);
  return self->gem;
}

gboolean
sluice_gem_widget_get_selected (SluiceGemWidget *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), FALSE);
  return self->selected;
}

void
sluice_gem_widget_set_selected (SluiceGemWidget *self,
                                gboolean         selected)
{
  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));

  selected = !!selected;
  if (self->selected == selected)
    return;
  self->selected = selected;
  if (selected)
    gtk_widget_set_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_SELECTED, FALSE);
  else
    gtk_widget_unset_state_flags (GTK_WIDGET (self), GTK_STATE_FLAG_SELECTED);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_SELECTED, selected, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

void
sluice_gem_widget_set_diagnostics (SluiceGemWidget *self,
                                   GPtrArray       *diagnostics)
{
  g_autoptr(GString) tip = NULL;
  guint errors = 0, warnings = 0;

  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));

  for (guint i = 0; diagnostics && i < diagnostics->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (diagnostics, i);

      if (sluice_diagnostic_get_severity (d) == SLUICE_SEVERITY_ERROR)
        errors++;
      else
        warnings++;
      if (tip == NULL)
        tip = g_string_new (NULL);
      else
        g_string_append_c (tip, '\n');
      g_string_append (tip, sluice_diagnostic_get_message (d));
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tip ? tip->str : NULL);
  if (errors == self->n_errors && warnings == self->n_warnings)
    return;

  self->n_errors = errors;
  self->n_warnings = warnings;
  if (errors + warnings > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", errors ? errors : warnings);
      if (self->count_layout == NULL)
        self->count_layout = make_layout (self, TRUE, PANGO_SCALE_X_SMALL, -1);
      pango_layout_set_text (self->count_layout, count, -1);
    }
  update_accessible (self);
  redraw (self);
}

guint
sluice_gem_widget_get_n_errors (SluiceGemWidget *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), 0);
  return self->n_errors;
}

void
sluice_gem_widget_set_badge (SluiceGemWidget *self,
                             const char      *text,
                             gboolean         error)
{
  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));

  if (text == NULL)
    g_clear_object (&self->badge_layout);
  else
    {
      if (self->badge_layout == NULL)
        self->badge_layout = make_layout (self, FALSE, PANGO_SCALE_SMALL, -1);
      pango_layout_set_text (self->badge_layout, text, -1);
    }
  self->badge_error = !!error;
  redraw (self);
}

void
sluice_gem_widget_set_changed (SluiceGemWidget *self,
                               gboolean         changed)
{
  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));

  changed = !!changed;
  if (self->changed == changed)
    return;
  self->changed = changed;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  changed ? _("Changed since the last commit") : "", -1);
  redraw (self);
}

gboolean
sluice_gem_widget_get_changed (SluiceGemWidget *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), FALSE);
  return self->changed;
}

void
sluice_gem_widget_set_detailed (SluiceGemWidget *self,
                                gboolean         detailed)
{
  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));

  detailed = !!detailed;
  if (self->detailed == detailed)
    return;
  self->detailed = detailed;
  redraw (self);
}

void
sluice_gem_widget_get_category_color (SluiceGemWidget *self,
                                      GdkRGBA         *rgba)
{
  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));
  category_color (self, rgba);
}

int
sluice_gem_widget_get_height (SluiceGemWidget *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), 0);
  return self->height;
}

void
sluice_gem_widget_get_port_point (SluiceGemWidget     *self,
                                  SluicePortDirection  direction,
                                  guint                index,
                                  double              *x,
                                  double              *y)
{
  guint n = direction == SLUICE_PORT_INPUT ? self->n_inputs : self->n_outputs;

  /* Ports are centred on the card's height, PORT_STEP apart. */
  *x = direction == SLUICE_PORT_INPUT ? 0 : SLUICE_GEM_WIDGET_WIDTH;
  *y = self->height / 2.0 - (MAX (n, 1) - 1) * PORT_STEP / 2.0 + index * PORT_STEP;
}

char *
sluice_gem_widget_dup_accessible_label (SluiceGemWidget *self)
{
  SluiceGemType *type;
  GString *s;

  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), NULL);

  type = sluice_gem_get_gem_type (self->gem);
  s = g_string_new (NULL);
  /* Translators: "Filter gem recent_orders": a gem's type title, then its id */
  g_string_printf (s, _("%s gem %s"),
                   type ? sluice_gem_type_get_title (type) : sluice_gem_get_type_name (self->gem),
                   sluice_gem_get_id (self->gem));
  g_string_append (s, ", ");
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs", self->n_inputs), self->n_inputs);
  g_string_append (s, ", ");
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u output", "%u outputs", self->n_outputs), self->n_outputs);
  if (self->n_errors)
    {
      g_string_append (s, ", ");
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", self->n_errors), self->n_errors);
    }
  if (self->n_warnings)
    {
      g_string_append (s, ", ");
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", self->n_warnings), self->n_warnings);
    }
  return g_string_free (s, FALSE);
}

void
sluice_gem_widget_snapshot_card (SluiceGemWidget *self,
                                 GtkSnapshot     *snapshot)
{
  g_return_if_fail (SLUICE_IS_GEM_WIDGET (self));
  sluice_gem_widget_snapshot (GTK_WIDGET (self), snapshot);
}

gboolean
sluice_gem_widget_take_redrawn (SluiceGemWidget *self)
{
  gboolean redrawn;

  g_return_val_if_fail (SLUICE_IS_GEM_WIDGET (self), FALSE);
  redrawn = self->redrawn;
  self->redrawn = FALSE;
  return redrawn;
}
