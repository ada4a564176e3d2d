/* Auto-layout (sluice-pipeline-layout.c). */
#include "config.h"

#include <string.h>

#include "sluice-core.h"

#define COLUMN 260
#define ROW 120
/* A card is smaller than its cell. */
#define CARD_W 184
#define CARD_H 90

/* A diamond and a tail, placed badly on purpose: right to left, stacked. */
static SluicePipeline *
make_tangle (void)
{
  SluicePipeline *p = sluice_pipeline_new ("p");
  static const char *gems[][2] = {
    { "Source", "A" }, { "Filter", "B" }, { "Filter", "C" }, { "Join", "D" },
    { "Limit", "E" }, { "Source", "F" }, { "Target", "G" }, { "Filter", "H" },
  };
  static const char *edges[][4] = {
    { "a", "out", "b", "in0" }, { "a", "out", "c", "in0" },
    { "b", "out", "d", "in0" }, { "c", "out", "d", "in1" },
    { "d", "out", "e", "in0" }, { "f", "out", "h", "in0" }, { "e", "out", "g", "in0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (gems); i++)
    g_assert_nonnull (sluice_pipeline_add_gem (p, gems[i][0], gems[i][1], 900 - (int) i * 100, 300 + (int) (i % 2) * 5, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    g_assert_nonnull (sluice_pipeline_connect (p, edges[i][0], edges[i][1], edges[i][2], edges[i][3], NULL));
  return p;
}

static void
test_edges_go_right_and_cards_do_not_overlap (void)
{
  g_autoptr(SluicePipeline) p = make_tangle ();
  g_autoptr(GError) error = NULL;
  GListModel *gems = sluice_pipeline_get_gems (p);
  GListModel *edges = sluice_pipeline_get_edges (p);
  guint n = g_list_model_get_n_items (gems);
  guint depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p));
  g_autofree int *old_x = g_new (int, n);
  g_autofree int *old_y = g_new (int, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      old_x[i] = sluice_gem_get_x (gem);
      old_y[i] = sluice_gem_get_y (gem);
    }

  g_assert_true (sluice_pipeline_auto_layout (p, COLUMN, ROW, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth + 1);
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (sluice_pipeline_get_undo_stack (p)), ==, "Auto-layout");

  for (guint i = 0; i < g_list_model_get_n_items (edges); i++)
    {
      g_autoptr(SluiceEdge) e = g_list_model_get_item (edges, i);
      SluiceGem *from = sluice_pipeline_find_gem (p, sluice_edge_get_from_gem (e));
      SluiceGem *to = sluice_pipeline_find_gem (p, sluice_edge_get_to_gem (e));
      g_assert_cmpint (sluice_gem_get_x (from) + CARD_W, <, sluice_gem_get_x (to));
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        g_autoptr(SluiceGem) a = g_list_model_get_item (gems, i);
        g_autoptr(SluiceGem) b = g_list_model_get_item (gems, j);
        gboolean apart = sluice_gem_get_x (a) + CARD_W <= sluice_gem_get_x (b) ||
                         sluice_gem_get_x (b) + CARD_W <= sluice_gem_get_x (a) ||
                         sluice_gem_get_y (a) + CARD_H <= sluice_gem_get_y (b) ||
                         sluice_gem_get_y (b) + CARD_H <= sluice_gem_get_y (a);
        g_assert_true (apart);
      }
  /* The longest path decides the column: D after B and C, G after E. */
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (p, "d")), ==,
                   sluice_gem_get_x (sluice_pipeline_find_gem (p, "a")) + 2 * COLUMN);
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (p, "g")), ==,
                   sluice_gem_get_x (sluice_pipeline_find_gem (p, "a")) + 4 * COLUMN);

  /* Laying out what is laid out moves nothing, and adds no step. */
  g_assert_true (sluice_pipeline_auto_layout (p, COLUMN, ROW, &error));
  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth + 1);

  /* One undo puts every card back. */
  g_assert_true (sluice_pipeline_undo (p));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_assert_cmpint (sluice_gem_get_x (gem), ==, old_x[i]);
      g_assert_cmpint (sluice_gem_get_y (gem), ==, old_y[i]);
    }
}

/* Two crossing wires between two layers are uncrossed. */
static void
test_barycentres_remove_a_crossing (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("p");

  g_assert_nonnull (sluice_pipeline_add_gem (p, "Source", "S1", 0, 0, NULL));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Source", "S2", 0, 200, NULL));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Filter", "T1", 300, 0, NULL));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Filter", "T2", 300, 200, NULL));
  g_assert_nonnull (sluice_pipeline_connect (p, "s1", "out", "t2", "in0", NULL));
  g_assert_nonnull (sluice_pipeline_connect (p, "s2", "out", "t1", "in0", NULL));

  g_assert_true (sluice_pipeline_auto_layout (p, COLUMN, ROW, NULL));
  g_assert_cmpint (sluice_gem_get_y (sluice_pipeline_find_gem (p, "s1")), <,
                   sluice_gem_get_y (sluice_pipeline_find_gem (p, "s2")));
  g_assert_cmpint (sluice_gem_get_y (sluice_pipeline_find_gem (p, "t2")), <,
                   sluice_gem_get_y (sluice_pipeline_find_gem (p, "t1")));
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* In a thread: the same positions; dropped when stale or cancelled. */
static void
test_async_layout_applies_or_drops_a_stale_result (void)
{
  g_autoptr(SluicePipeline) p = make_tangle ();
  g_autoptr(SluicePipeline) q = make_tangle ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint depth;

  g_assert_true (sluice_pipeline_auto_layout (q, COLUMN, ROW, &error));
  sluice_pipeline_auto_layout_async (p, COLUMN, ROW, NULL, done_cb, &result);
  g_assert_true (sluice_pipeline_auto_layout_finish (p, wait_for (&result), &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) a = sluice_pipeline_to_bytes (p);
    g_autoptr(GBytes) b = sluice_pipeline_to_bytes (q);
    g_assert_true (g_bytes_equal (a, b));
  }

  /* An edit while it runs makes the result stale: nothing moves. */
  g_assert_true (sluice_pipeline_undo (p));
  g_clear_object (&result);
  sluice_pipeline_auto_layout_async (p, COLUMN, ROW, NULL, done_cb, &result);
  g_assert_true (sluice_pipeline_set_position (p, "a", 5, 5, NULL));
  depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p));
  g_assert_false (sluice_pipeline_auto_layout_finish (p, wait_for (&result), &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“p”"));
  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth);
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (p, "a")), ==, 5);
  g_clear_error (&error);

  g_clear_object (&result);
  g_cancellable_cancel (cancellable);
  sluice_pipeline_auto_layout_async (p, COLUMN, ROW, cancellable, done_cb, &result);
  g_assert_false (sluice_pipeline_auto_layout_finish (p, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/core/layout/edges-go-right-and-cards-do-not-overlap",
                   test_edges_go_right_and_cards_do_not_overlap);
  g_test_add_func ("/sluice/core/layout/barycentres-remove-a-crossing",
                   test_barycentres_remove_a_crossing);
  g_test_add_func ("/sluice/core/layout/async-layout-applies-or-drops-a-stale-result",
                   test_async_layout_applies_or_drops_a_stale_result);
  return g_test_run ();
}
