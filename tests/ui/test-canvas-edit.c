/* Editing on the canvas in the real window (issue 5): the clipboard through
 * the real GdkClipboard and real keys, auto-layout from its toolbar button,
 * the add-gem popover by typing and from a dropped wire, a palette gem
 * dropped onto a wire with a real drag, and keyboard wiring. */
#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "sluice-add-gem-popover.h"
#include "sluice-application.h"
#include "sluice-gem-widget.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

/* One window on a copy of the retail example, shared by the tests. */
static SluiceWindow *window;
static SluiceProjectPage *page;

static gboolean
has_project (gpointer data)
{
  return sluice_window_get_project (data) != NULL;
}

static gboolean
is_project_page (GtkWidget    *w,
                 gconstpointer data)
{
  return SLUICE_IS_PROJECT_PAGE (w);
}

static gboolean
is_palette_row (GtkWidget    *w,
                gconstpointer type_name)
{
  SluiceGemType *t = GTK_IS_LIST_BOX_ROW (w) ? g_object_get_data (G_OBJECT (w), "gem-type") : NULL;
  return t && g_str_equal (sluice_gem_type_get_name (t), type_name);
}

static gboolean
is_button_for (GtkWidget    *w,
               gconstpointer action)
{
  return GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0;
}

static gboolean
is_add_popover (GtkWidget    *w,
                gconstpointer data)
{
  return SLUICE_IS_ADD_GEM_POPOVER (w);
}

static gboolean
is_popover_menu (GtkWidget    *w,
                 gconstpointer data)
{
  return GTK_IS_POPOVER_MENU (w);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
is_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static char *
copy_example (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  char *dest = g_build_filename (tmp, "retail", NULL);
  const char *argv[] = { "cp", "-r", example, dest, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return dest;
}

static SluicePipelineView *
open_pipeline (const char *file)
{
  SluicePipelineView *view;

  g_assert_true (sluice_project_page_select_file (page, file));
  view = sluice_project_page_get_pipeline_view (page);
  ui_test_spin_until (is_mapped, sluice_pipeline_view_get_canvas (view), 20);
  ui_test_spin_ms (300);
  return view;
}

static gboolean
has_edge (SluicePipeline *p,
          const char     *from,
          const char     *to,
          const char     *port)
{
  g_autoptr(GPtrArray) in = sluice_pipeline_get_edges_of (p, to, SLUICE_PORT_INPUT);

  for (guint i = 0; i < in->len; i++)
    if (g_str_equal (sluice_edge_get_from_gem (g_ptr_array_index (in, i)), from) &&
        g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (in, i)), port))
      return TRUE;
  return FALSE;
}

static void
undo_all (SluicePipeline *p)
{
  while (sluice_pipeline_undo (p))
    ;
}

/* Runs xdotool with the pointer first over (@x, @y) of @widget. */
static void
xdotool_at (GtkWidget  *widget,
            double      x,
            double      y,
            const char *then)
{
  gulong wid = ui_test_window_xid (GTK_WINDOW (window));
  g_autofree char *script = NULL;
  int wx, wy;

  ui_test_to_window (widget, x, y, &wx, &wy);
  script = g_strdup_printf ("mousemove --window %lu %d %d sleep 0.1 %s", wid, wx, wy, then);
  ui_test_xdotool (script);
}

static void
port_view_point (SluiceCanvas        *canvas,
                 const char          *gem_id,
                 SluicePortDirection  direction,
                 guint                index,
                 double              *vx,
                 double              *vy)
{
  SluiceGemWidget *card = SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (canvas, gem_id));
  SluiceGem *gem = sluice_gem_widget_get_gem (card);
  double px, py;

  sluice_gem_widget_get_port_point (card, direction, index, &px, &py);
  sluice_canvas_model_to_view (canvas, sluice_gem_get_x (gem) + px, sluice_gem_get_y (gem) + py, vx, vy);
}

/* Zoom 1, with @gem_id's card at (@vx, @vy) of the canvas. */
static void
show_at (SluiceCanvas *canvas,
         const char   *gem_id,
         double        vx,
         double        vy)
{
  SluiceGem *gem = sluice_pipeline_find_gem (sluice_canvas_get_pipeline (canvas), gem_id);
  double x, y;

  sluice_canvas_set_zoom (canvas, 1.0);
  sluice_canvas_model_to_view (canvas, sluice_gem_get_x (gem), sluice_gem_get_y (gem), &x, &y);
  sluice_canvas_pan_by (canvas, vx - x, vy - y);
  ui_test_spin_ms (150);
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { if (!have_display) { g_test_skip ("no display"); return; } } G_STMT_END

typedef struct
{
  char     *text;
  gboolean  done;
} ReadWait;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadWait *w = user_data;

  w->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  w->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ReadWait *) data)->done;
}

static guint n_gems_wanted;

static gboolean
has_n_gems (gpointer data)
{
  return g_list_model_get_n_items (sluice_pipeline_get_gems (data)) == n_gems_wanted;
}

/* Ctrl+C, then Ctrl+V with the pointer elsewhere, as real keys; then the
 * same clipboard pasted into another pipeline. */
static void
test_real_copy_and_paste_at_the_pointer (void)
{
  SluicePipelineView *view;
  SluicePipeline *p, *other;
  SluiceCanvas *canvas;
  GListModel *gems;
  guint n_before;
  double mx, my;
  ReadWait w = { 0 };

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  gems = sluice_pipeline_get_gems (p);
  n_before = g_list_model_get_n_items (gems);

  sluice_canvas_set_selection (canvas, (const char * const[]) { "top_five", "at_most_100", NULL });
  gtk_widget_grab_focus (GTK_WIDGET (canvas));
  xdotool_at (GTK_WIDGET (canvas), 60, gtk_widget_get_height (GTK_WIDGET (canvas)) - 80, "key ctrl+c");

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (canvas)), NULL, read_cb, &w);
  ui_test_spin_until (read_done, &w, 10);
  g_assert_nonnull (w.text);
  g_assert_nonnull (strstr (w.text, "\"id\": \"top_five\""));
  g_assert_nonnull (strstr (w.text, "\"from\": \"top_five.out\""));
  g_assert_null (strstr (w.text, "rank_in_category.out"));

  xdotool_at (GTK_WIDGET (canvas), 60, gtk_widget_get_height (GTK_WIDGET (canvas)) - 80, "key ctrl+v");
  n_gems_wanted = n_before + 2;
  ui_test_spin_until (has_n_gems, p, 10);
  {
    SluiceGem *a = sluice_pipeline_find_gem (p, "top_five_2");
    SluiceGem *b = sluice_pipeline_find_gem (p, "at_most_100_2");
    g_auto(GStrv) selection = sluice_canvas_get_selection (canvas);

    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_true (has_edge (p, "top_five_2", "at_most_100_2", "in0"));
    /* The top-left of the pasted pair is at the pointer. */
    sluice_canvas_view_to_model (canvas, 60, gtk_widget_get_height (GTK_WIDGET (canvas)) - 80, &mx, &my);
    g_assert_cmpfloat (fabs (MIN (sluice_gem_get_x (a), sluice_gem_get_x (b)) - mx), <, 2);
    g_assert_cmpfloat (fabs (MIN (sluice_gem_get_y (a), sluice_gem_get_y (b)) - my), <, 2);
    g_assert_cmpstrv (selection, ((const char * const[]) { "at_most_100_2", "top_five_2", NULL }));
  }
  /* One undo takes both back. */
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, n_before);

  /* Another pipeline: the ids are free there, so they are kept. */
  view = open_pipeline ("pipelines/revenue_by_month.json");
  other = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  n_gems_wanted = g_list_model_get_n_items (sluice_pipeline_get_gems (other)) + 2;
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.paste", NULL);
  ui_test_spin_until (has_n_gems, other, 10);
  g_assert_nonnull (sluice_pipeline_find_gem (other, "top_five"));
  g_assert_true (has_edge (other, "top_five", "at_most_100", "in0"));
  undo_all (other);
  g_free (w.text);
}

static void
edit_failed_cb (SluiceCanvas *canvas,
                const char   *message,
                char        **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Someone else's text on the clipboard: the paste says so and changes nothing. */
static void
test_pasting_foreign_text_changes_nothing (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *message = NULL;
  gulong id;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  before = sluice_pipeline_to_bytes (p);
  id = g_signal_connect (canvas, "edit-failed", G_CALLBACK (edit_failed_cb), &message);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (canvas)), "SELECT * FROM orders");
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.paste", NULL);
  ui_test_spin_until (is_set, &message, 10);
  g_signal_handler_disconnect (canvas, id);
  g_assert_cmpstr (message, ==, "The clipboard holds no Sluice gems");
  after = sluice_pipeline_to_bytes (p);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (sluice_pipeline_get_dirty (p));
}

static void
test_cut_and_duplicate_are_one_step_each (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  guint n, n_edges;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  n = g_list_model_get_n_items (sluice_pipeline_get_gems (p));
  n_edges = g_list_model_get_n_items (sluice_pipeline_get_edges (p));
  sluice_canvas_set_selection (canvas, (const char * const[]) { "top_five", NULL });
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.duplicate", NULL);
  g_assert_nonnull (sluice_pipeline_find_gem (p, "top_five_2"));
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (p, "top_five_2")), ==,
                   sluice_gem_get_x (sluice_pipeline_find_gem (p, "top_five")) + 32);
  g_assert_true (sluice_pipeline_undo (p));

  sluice_canvas_set_selection (canvas, (const char * const[]) { "top_five", NULL });
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.cut", NULL);
  g_assert_null (sluice_pipeline_find_gem (p, "top_five"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n - 1);
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_nonnull (sluice_pipeline_find_gem (p, "top_five"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, n_edges);
  g_assert_false (sluice_pipeline_undo (p));
}

static gboolean
is_laid_out (gpointer data)
{
  return g_strcmp0 (sluice_undo_stack_get_undo_label (sluice_pipeline_get_undo_stack (data)), "Auto-layout") == 0;
}

static void
test_auto_layout_button (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GListModel *gems, *edges;
  GtkWidget *button;
  guint n;
  g_autofree int *old = NULL;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  gems = sluice_pipeline_get_gems (p);
  edges = sluice_pipeline_get_edges (p);
  n = g_list_model_get_n_items (gems);
  old = g_new (int, 2 * n);
  /* Scramble first: everything on one spot. */
  sluice_pipeline_begin_group (p, "scramble");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_assert_true (sluice_pipeline_set_position (p, sluice_gem_get_id (gem), 500 - (int) i * 40, 100, NULL));
    }
  sluice_pipeline_end_group (p);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      old[2 * i] = sluice_gem_get_x (gem);
      old[2 * i + 1] = sluice_gem_get_y (gem);
    }

  button = ui_test_find (GTK_WIDGET (view), is_button_for, "editor.auto-layout");
  g_assert_nonnull (button);
  xdotool_at (button, gtk_widget_get_width (button) / 2.0, gtk_widget_get_height (button) / 2.0, "click 1");
  /* Computed in a worker, applied when it answers. */
  ui_test_spin_until (is_laid_out, p, 10);

  for (guint i = 0; i < g_list_model_get_n_items (edges); i++)
    {
      g_autoptr(SluiceEdge) e = g_list_model_get_item (edges, i);
      SluiceGem *from = sluice_pipeline_find_gem (p, sluice_edge_get_from_gem (e));
      SluiceGem *to = sluice_pipeline_find_gem (p, sluice_edge_get_to_gem (e));
      g_assert_cmpint (sluice_gem_get_x (from) + SLUICE_GEM_WIDGET_WIDTH, <, sluice_gem_get_x (to));
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        g_autoptr(SluiceGem) a = g_list_model_get_item (gems, i);
        g_autoptr(SluiceGem) b = g_list_model_get_item (gems, j);
        int ha = sluice_gem_widget_get_height (SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (canvas, sluice_gem_get_id (a))));
        int hb = sluice_gem_widget_get_height (SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (canvas, sluice_gem_get_id (b))));
        g_assert_true (sluice_gem_get_x (a) + SLUICE_GEM_WIDGET_WIDTH <= sluice_gem_get_x (b) ||
                       sluice_gem_get_x (b) + SLUICE_GEM_WIDGET_WIDTH <= sluice_gem_get_x (a) ||
                       sluice_gem_get_y (a) + ha <= sluice_gem_get_y (b) ||
                       sluice_gem_get_y (b) + hb <= sluice_gem_get_y (a));
      }
  ui_test_screenshot (GTK_WINDOW (window), "auto-layout.png");

  /* Ctrl+L again changes nothing; one undo brings the scramble back. */
  g_assert_true (sluice_pipeline_undo (p));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_assert_cmpint (sluice_gem_get_x (gem), ==, old[2 * i]);
      g_assert_cmpint (sluice_gem_get_y (gem), ==, old[2 * i + 1]);
    }
  undo_all (p);
}

static void
screenshot_root (const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("SLUICE_BUILD_ROOT"), "tests", "ui", "artifacts", NULL);
  g_autofree char *cmd = NULL;
  int status = 0;

  g_mkdir_with_parents (dir, 0755);
  /* The popover is its own X window: take the whole screen. */
  cmd = g_strdup_printf ("import -window root %s/%s", dir, name);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Typing on the canvas opens the popover at the pointer; Enter adds the match there. */
static void
test_real_typing_opens_the_add_gem_popover (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  SluiceAddGemPopover *popover;
  guint n_before;
  double x, y, mx, my;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  n_before = g_list_model_get_n_items (sluice_pipeline_get_gems (p));
  popover = SLUICE_ADD_GEM_POPOVER (ui_test_find (GTK_WIDGET (view), is_add_popover, NULL));
  g_assert_nonnull (popover);

  x = 80;
  y = gtk_widget_get_height (GTK_WIDGET (canvas)) - 60;
  sluice_canvas_set_selection (canvas, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (canvas));
  xdotool_at (GTK_WIDGET (canvas), x, y, "key d sleep 0.2 type --delay 30 edup");
  ui_test_spin_until (is_mapped, popover, 10);
  ui_test_spin_ms (200);
  {
    g_auto(GStrv) shown = sluice_add_gem_popover_get_shown_types (popover);
    g_assert_cmpstrv (shown, ((const char * const[]) { "Deduplicate", NULL }));
  }
  screenshot_root ("add-gem-popover.png");
  ui_test_xdotool ("key Return");
  ui_test_spin_until (is_unmapped, popover, 10);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_before + 1);
  {
    g_autoptr(SluiceGem) added = g_list_model_get_item (sluice_pipeline_get_gems (p), n_before);
    g_assert_cmpstr (sluice_gem_get_type_name (added), ==, "Deduplicate");
    sluice_canvas_view_to_model (canvas, x, y, &mx, &my);
    g_assert_cmpfloat (fabs (sluice_gem_get_x (added) - mx), <, 2);
    g_assert_cmpfloat (fabs (sluice_gem_get_y (added) - my), <, 2);
  }
  undo_all (p);
}

/* A wire dropped on empty canvas opens the popover; the gem it adds is fed by it. */
static void
test_real_wire_to_empty_canvas_adds_a_fed_gem (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  SluiceAddGemPopover *popover;
  guint n_before, depth;
  double ox, oy;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  n_before = g_list_model_get_n_items (sluice_pipeline_get_gems (p));
  depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p));
  popover = SLUICE_ADD_GEM_POPOVER (ui_test_find (GTK_WIDGET (view), is_add_popover, NULL));

  show_at (canvas, "orders", 40, 40);
  port_view_point (canvas, "orders", SLUICE_PORT_OUTPUT, 0, &ox, &oy);
  ui_test_real_drag (GTK_WIDGET (canvas), ox, oy, GTK_WIDGET (canvas), ox + 40,
                     gtk_widget_get_height (GTK_WIDGET (canvas)) - 50);
  ui_test_spin_until (is_mapped, popover, 10);
  ui_test_xdotool ("type --delay 30 limit");
  ui_test_spin_ms (200);
  ui_test_xdotool ("key Return");
  ui_test_spin_until (is_unmapped, popover, 10);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_before + 1);
  g_assert_nonnull (sluice_pipeline_find_gem (p, "limit"));
  g_assert_true (has_edge (p, "orders", "limit", "in0"));
  /* Add and connect are one step. */
  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth + 1);
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_null (sluice_pipeline_find_gem (p, "limit"));
  undo_all (p);
}

/* A real drag from the palette row to the middle of a wire puts the gem into it. */
static void
test_real_drop_onto_a_wire_inserts_the_gem (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GtkWidget *row;
  double ox, oy, ix, iy, mx = 0, my = 0;
  guint depth, n_edges;
  gboolean found = FALSE;
  g_autoptr(SluiceGem) added = NULL;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p));
  n_edges = g_list_model_get_n_items (sluice_pipeline_get_edges (p));

  show_at (canvas, "top_five", 60, 120);
  /* The wire's midpoint: a symmetric bezier passes the endpoints' middle. */
  port_view_point (canvas, "top_five", SLUICE_PORT_OUTPUT, 0, &ox, &oy);
  port_view_point (canvas, "at_most_100", SLUICE_PORT_INPUT, 0, &ix, &iy);
  for (int d = 0; d <= 12 && !found; d++)
    for (int s = -1; s <= 1 && !found; s += 2)
      {
        SluiceEdge *e;
        mx = (ox + ix) / 2;
        my = (oy + iy) / 2 + s * d;
        e = sluice_canvas_wire_at (canvas, mx, my);
        found = e && g_str_equal (sluice_edge_get_to_gem (e), "at_most_100");
      }
  g_assert_true (found);

  row = ui_test_find (GTK_WIDGET (sluice_pipeline_view_get_palette (view)), is_palette_row, "Deduplicate");
  g_assert_nonnull (row);
  ui_test_real_drag (row, 30, gtk_widget_get_height (row) / 2.0, GTK_WIDGET (canvas), mx, my);

  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth + 1);
  added = g_list_model_get_item (sluice_pipeline_get_gems (p), g_list_model_get_n_items (sluice_pipeline_get_gems (p)) - 1);
  g_assert_cmpstr (sluice_gem_get_type_name (added), ==, "Deduplicate");
  g_assert_true (has_edge (p, "top_five", sluice_gem_get_id (added), "in0"));
  g_assert_true (has_edge (p, sluice_gem_get_id (added), "at_most_100", "in0"));
  g_assert_false (has_edge (p, "top_five", "at_most_100", "in0"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, n_edges + 1);
  ui_test_screenshot (GTK_WINDOW (window), "drop-onto-wire.png");

  g_assert_true (sluice_pipeline_undo (p));
  g_assert_true (has_edge (p, "top_five", "at_most_100", "in0"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, n_edges);
  undo_all (p);
}

/* Ctrl+E lists the inputs the selected gem may feed; choosing one wires it. */
static void
test_keyboard_wiring (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GtkWidget *menu;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Join", "Spare join", 900, 500, NULL));
  ui_test_spin_ms (100);

  {
    g_auto(GStrv) from_top = sluice_canvas_list_connect_targets (canvas, "top_five");
    g_auto(GStrv) from_end = sluice_canvas_list_connect_targets (canvas, "at_most_100");
    g_auto(GStrv) from_target = NULL;
    g_autoptr(GPtrArray) into_end = NULL;

    /* Free inputs only, never upstream (a cycle), never its own. */
    g_assert_cmpstrv (from_top, ((const char * const[]) { "spare_join.in0", "spare_join.in1", NULL }));
    g_assert_cmpstrv (from_end, ((const char * const[]) { "spare_join.in0", "spare_join.in1", NULL }));
    from_target = sluice_canvas_list_connect_targets (canvas, "write_top_products");
    /* A Target has no output to wire. */
    g_assert_cmpstrv (from_target, ((const char * const[]) { NULL }));
    into_end = sluice_pipeline_get_edges_of (p, "at_most_100", SLUICE_PORT_INPUT);
    g_assert_true (sluice_pipeline_disconnect (p, g_ptr_array_index (into_end, 0), NULL));
  }
  {
    g_auto(GStrv) from_orders = sluice_canvas_list_connect_targets (canvas, "orders");
    g_assert_true (g_strv_contains ((const char * const *) from_orders, "at_most_100.in0"));
    g_assert_true (g_strv_contains ((const char * const *) from_orders, "spare_join.in1"));
    g_assert_false (g_strv_contains ((const char * const *) from_orders, "top_five.in0"));
  }
  g_assert_true (sluice_pipeline_undo (p));

  sluice_canvas_set_selection (canvas, (const char * const[]) { "top_five", NULL });
  gtk_widget_grab_focus (GTK_WIDGET (canvas));
  xdotool_at (GTK_WIDGET (canvas), 40, 40, "key ctrl+e");
  menu = ui_test_find (GTK_WIDGET (view), is_popover_menu, NULL);
  g_assert_nonnull (menu);
  ui_test_spin_until (is_mapped, menu, 10);
  ui_test_spin_ms (200);
  screenshot_root ("connect-menu.png");
  /* The menu opens with its first item highlighted; Return chooses it. */
  ui_test_xdotool ("key Return");
  ui_test_spin_until (is_unmapped, menu, 10);
  g_assert_true (has_edge (p, "top_five", "spare_join", "in0"));
  undo_all (p);
}

static gboolean
is_mapped_popover_menu (GtkWidget    *w,
                        gconstpointer data)
{
  return GTK_IS_POPOVER_MENU (w) && gtk_widget_get_mapped (w);
}

static gboolean
menu_has_label (GMenuModel *model,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section && menu_has_label (section, label))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) && g_str_equal (text, label))
        return TRUE;
    }
  return FALSE;
}

/* A real right click on a card opens its menu; its items reach the canvas. */
static void
test_real_right_click_menu (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GtkWidget *menu, *card;
  graphene_point_t c;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  show_at (canvas, "top_five", 100, 100);
  card = sluice_canvas_get_gem_widget (canvas, "top_five");
  g_assert_true (gtk_widget_compute_point (card, GTK_WIDGET (canvas), &GRAPHENE_POINT_INIT (60, 20), &c));
  sluice_canvas_set_selection (canvas, NULL);
  xdotool_at (GTK_WIDGET (canvas), c.x, c.y, "click 3");
  ui_test_spin_ms (200);
  menu = ui_test_find (GTK_WIDGET (view), is_mapped_popover_menu, NULL);
  g_assert_nonnull (menu);
  {
    g_auto(GStrv) selection = sluice_canvas_get_selection (canvas);
    g_assert_cmpstrv (selection, ((const char * const[]) { "top_five", NULL }));
  }
  g_assert_true (menu_has_label (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)), "D_uplicate"));
  g_assert_true (menu_has_label (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu)), "_Wire to…"));
  g_assert_true (gtk_widget_activate_action (menu, "editor.canvas", "s", "canvas.duplicate"));
  gtk_popover_popdown (GTK_POPOVER (menu));
  g_assert_nonnull (sluice_pipeline_find_gem (p, "top_five_2"));
  undo_all (p);
}

/* A menu's item: its button (GtkModelButton, private) says its label, without
 * the mnemonic's underscore, as "text". */
static gboolean
is_item_labelled (GtkWidget    *w,
                  gconstpointer label)
{
  g_autofree char *text = NULL;

  if (!g_str_equal (G_OBJECT_TYPE_NAME (w), "GtkModelButton"))
    return FALSE;
  g_object_get (w, "text", &text, NULL);
  return g_strcmp0 (text, label) == 0;
}

/* Whether the item labelled @label of the open context menu is there and enabled. */
static gboolean
menu_item_enabled (GtkWidget  *menu,
                   const char *label)
{
  GtkWidget *item = ui_test_find (menu, is_item_labelled, label);

  g_assert_nonnull (item);
  return gtk_widget_is_sensitive (item);
}

static gboolean
paste_applies (gpointer canvas)
{
  return sluice_canvas_get_action_enabled (canvas, "canvas.paste");
}

static gboolean
paste_does_not_apply (gpointer canvas)
{
  return !sluice_canvas_get_action_enabled (canvas, "canvas.paste");
}

static GtkWidget *
open_context_menu (SluicePipelineView *view,
                   SluiceCanvas       *canvas,
                   gboolean            on_gem)
{
  GtkWidget *menu;

  g_signal_emit_by_name (canvas, "context-menu-requested", 300.0, 300.0, on_gem);
  ui_test_spin_ms (100);
  menu = ui_test_find (GTK_WIDGET (view), is_mapped_popover_menu, NULL);
  g_assert_nonnull (menu);
  return menu;
}

/* The context menu's items are enabled as they apply: to the selection, and
 * Paste to what the clipboard holds. */
static void
test_context_menu_items_follow_selection_and_clipboard (void)
{
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GdkClipboard *clipboard;
  GtkWidget *menu;
  guint n;

  SKIP_WITHOUT_DISPLAY ();
  view = open_pipeline ("pipelines/top_products.json");
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (canvas));
  n = g_list_model_get_n_items (sluice_pipeline_get_gems (p));

  /* Foreign text on the clipboard, nothing selected. */
  gdk_clipboard_set_text (clipboard, "SELECT * FROM orders");
  ui_test_spin_until (paste_does_not_apply, canvas, 10);
  sluice_canvas_set_selection (canvas, NULL);
  menu = open_context_menu (view, canvas, FALSE);
  g_assert_false (menu_item_enabled (menu, "Paste"));
  g_assert_true (menu_item_enabled (menu, "Add Gem…"));
  g_assert_true (menu_item_enabled (menu, "Auto-layout"));
  gtk_popover_popdown (GTK_POPOVER (menu));
  /* Nothing selected: nothing to cut, copy, duplicate or delete. */
  menu = open_context_menu (view, canvas, TRUE);
  g_assert_false (menu_item_enabled (menu, "Cut"));
  g_assert_false (menu_item_enabled (menu, "Copy"));
  g_assert_false (menu_item_enabled (menu, "Duplicate"));
  g_assert_false (menu_item_enabled (menu, "Delete"));
  /* A disabled item does nothing when activated anyway. */
  g_assert_true (gtk_widget_activate_action (menu, "context.duplicate", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n);
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* One gem selected: all of them apply, and its wiring. */
  sluice_canvas_set_selection (canvas, (const char * const[]) { "top_five", NULL });
  menu = open_context_menu (view, canvas, TRUE);
  g_assert_true (menu_item_enabled (menu, "Cut"));
  g_assert_true (menu_item_enabled (menu, "Copy"));
  g_assert_true (menu_item_enabled (menu, "Duplicate"));
  g_assert_true (menu_item_enabled (menu, "Delete"));
  g_assert_true (menu_item_enabled (menu, "Wire to…"));
  /* An item reaches the canvas. */
  g_assert_true (gtk_widget_activate_action (menu, "context.copy", NULL));
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* Copied gems on the clipboard: Paste applies. */
  ui_test_spin_until (paste_applies, canvas, 10);
  sluice_canvas_set_selection (canvas, NULL);
  menu = open_context_menu (view, canvas, FALSE);
  g_assert_true (menu_item_enabled (menu, "Paste"));
  gtk_popover_popdown (GTK_POPOVER (menu));
  ui_test_spin_ms (100);
  g_assert_false (sluice_pipeline_get_dirty (p));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-canvas-edit-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *project = NULL;
      g_autoptr(GFile) dir = NULL;

      adw_init ();
      app = sluice_application_new ();
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
      g_application_hold (G_APPLICATION (app));

      project = copy_example ();
      dir = g_file_new_for_path (project);
      window = sluice_window_new (app);
      gtk_window_set_default_size (GTK_WINDOW (window), 1260, 780);
      gtk_window_present (GTK_WINDOW (window));
      sluice_window_open_project (window, dir);
      ui_test_spin_until (has_project, window, 20);
      page = SLUICE_PROJECT_PAGE (ui_test_find (GTK_WIDGET (window), is_project_page, NULL));
    }
  g_test_add_func ("/sluice/ui/canvas-edit/real-copy-and-paste-at-the-pointer", test_real_copy_and_paste_at_the_pointer);
  g_test_add_func ("/sluice/ui/canvas-edit/pasting-foreign-text-changes-nothing", test_pasting_foreign_text_changes_nothing);
  g_test_add_func ("/sluice/ui/canvas-edit/cut-and-duplicate-are-one-step-each", test_cut_and_duplicate_are_one_step_each);
  g_test_add_func ("/sluice/ui/canvas-edit/auto-layout-button", test_auto_layout_button);
  g_test_add_func ("/sluice/ui/canvas-edit/real-typing-opens-the-add-gem-popover", test_real_typing_opens_the_add_gem_popover);
  g_test_add_func ("/sluice/ui/canvas-edit/real-wire-to-empty-canvas-adds-a-fed-gem", test_real_wire_to_empty_canvas_adds_a_fed_gem);
  g_test_add_func ("/sluice/ui/canvas-edit/real-drop-onto-a-wire-inserts-the-gem", test_real_drop_onto_a_wire_inserts_the_gem);
  g_test_add_func ("/sluice/ui/canvas-edit/keyboard-wiring", test_keyboard_wiring);
  g_test_add_func ("/sluice/ui/canvas-edit/real-right-click-menu", test_real_right_click_menu);
  g_test_add_func ("/sluice/ui/canvas-edit/context-menu-items-follow-selection-and-clipboard",
                   test_context_menu_items_follow_selection_and_clipboard);
  status = g_test_run ();
  if (window)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  remove_tree (tmp);
  g_free (tmp);
  return status;
}
