/* Auto-layout: a layered drawing from left to right (Sugiyama's scheme,
 * kept small). Layers by longest path from the sources, so every edge goes
 * right; a few barycentre sweeps order each layer to cut crossings; layers
 * are evenly spaced and centred on each other. Applied as one undo step. */
#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-edge.h"
#include "sluice-gem.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"

#define SWEEPS 8

typedef struct
{
  SluiceGem *gem;      /* borrowed */
  guint      layer;
  double     order;    /* position inside its layer, then the barycentre key */
  GArray    *in;       /* guint: indices of predecessors */
  GArray    *out;      /* guint: indices of successors */
} Node;

static int
compare_nodes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Node *nodes = user_data;
  const Node *na = &nodes[*(const guint *) a];
  const Node *nb = &nodes[*(const guint *) b];

  if (na->order != nb->order)
    return na->order < nb->order ? -1 : 1;
  return (int) *(const guint *) a - (int) *(const guint *) b;
}

/* Sorts one layer by the mean position of each node's neighbours in the
 * layer before it (@down) or after it; nodes with no such neighbour keep
 * their place. */
static void
sort_layer (Node   *nodes,
            GArray *layer,
            gboolean down)
{
  g_autofree double *keys = g_new (double, layer->len);

  for (guint i = 0; i < layer->len; i++)
    {
      Node *node = &nodes[g_array_index (layer, guint, i)];
      GArray *adj = down ? node->in : node->out;
      double sum = 0;

      for (guint j = 0; j < adj->len; j++)
        sum += nodes[g_array_index (adj, guint, j)].order;
      keys[i] = adj->len ? sum / adj->len : i;
    }
  for (guint i = 0; i < layer->len; i++)
    nodes[g_array_index (layer, guint, i)].order = keys[i];
  g_array_sort_with_data (layer, compare_nodes, nodes);
  for (guint i = 0; i < layer->len; i++)
    nodes[g_array_index (layer, guint, i)].order = i;
}

gboolean
sluice_pipeline_auto_layout (SluicePipeline *self,
                             int             column_width,
                             int             row_height,
                             GError        **error)
{
  GListModel *gems, *edges;
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree guint *pending = NULL;
  g_autoptr(GArray) ready = g_array_new (FALSE, FALSE, sizeof (guint));
  Node *nodes;
  guint n, n_edges, n_layers = 0, widest = 0;
  int x0 = G_MAXINT, y0 = G_MAXINT;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (column_width > 0 && row_height > 0, FALSE);

  if (!_sluice_pipeline_check_editable (self, error))
    return FALSE;

  gems = sluice_pipeline_get_gems (self);
  edges = sluice_pipeline_get_edges (self);
  n = g_list_model_get_n_items (gems);
  n_edges = g_list_model_get_n_items (edges);
  if (n == 0)
    return TRUE;

  nodes = g_new0 (Node, n);
  pending = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      nodes[i].gem = g_list_model_get_item (gems, i);
      g_object_unref (nodes[i].gem); /* the pipeline keeps it */
      nodes[i].in = g_array_new (FALSE, FALSE, sizeof (guint));
      nodes[i].out = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (index, (gpointer) sluice_gem_get_id (nodes[i].gem), GUINT_TO_POINTER (i + 1));
      x0 = MIN (x0, sluice_gem_get_x (nodes[i].gem));
      y0 = MIN (y0, sluice_gem_get_y (nodes[i].gem));
    }
  for (guint i = 0; i < n_edges; i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (edges, i);
      guint from = GPOINTER_TO_UINT (g_hash_table_lookup (index, sluice_edge_get_from_gem (edge)));
      guint to = GPOINTER_TO_UINT (g_hash_table_lookup (index, sluice_edge_get_to_gem (edge)));

      /* Dangling edges and self-loops (a broken file) do not place anything. */
      if (from == 0 || to == 0 || from == to)
        continue;
      from--, to--;
      g_array_append_val (nodes[from].out, to);
      g_array_append_val (nodes[to].in, from);
      pending[to]++;
    }

  /* Longest path from the sources, in topological order. A cycle (only in
   * a broken file) leaves its gems after everything else. */
  for (guint i = 0; i < n; i++)
    if (pending[i] == 0)
      g_array_append_val (ready, i);
  for (guint k = 0; k < ready->len; k++)
    {
      Node *node = &nodes[g_array_index (ready, guint, k)];

      for (guint j = 0; j < node->out->len; j++)
        {
          guint next = g_array_index (node->out, guint, j);
          nodes[next].layer = MAX (nodes[next].layer, node->layer + 1);
          if (--pending[next] == 0)
            g_array_append_val (ready, next);
        }
    }
  for (guint i = 0; i < n; i++)
    n_layers = MAX (n_layers, nodes[i].layer + 1);
  for (guint i = 0; i < n; i++)
    if (pending[i] > 0)
      nodes[i].layer = n_layers;
  for (guint i = 0; i < n; i++)
    n_layers = MAX (n_layers, nodes[i].layer + 1);

  /* Start from the order the user had, top to bottom. */
  for (guint l = 0; l < n_layers; l++)
    g_ptr_array_add (layers, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint i = 0; i < n; i++)
    {
      nodes[i].order = sluice_gem_get_y (nodes[i].gem);
      g_array_append_val (g_ptr_array_index (layers, nodes[i].layer), i);
    }
  for (guint l = 0; l < n_layers; l++)
    {
      GArray *layer = g_ptr_array_index (layers, l);
      g_array_sort_with_data (layer, compare_nodes, nodes);
      for (guint i = 0; i < layer->len; i++)
        nodes[g_array_index (layer, guint, i)].order = i;
      widest = MAX (widest, layer->len);
    }

  for (guint sweep = 0; sweep < SWEEPS; sweep++)
    {
      if (sweep % 2 == 0)
        for (guint l = 1; l < n_layers; l++)
          sort_layer (nodes, g_ptr_array_index (layers, l), TRUE);
      else
        for (guint l = n_layers - 1; l > 0; l--)
          sort_layer (nodes, g_ptr_array_index (layers, l - 1), FALSE);
    }

  sluice_pipeline_begin_group (self, _("Auto-layout"));
  for (guint l = 0; l < n_layers; l++)
    {
      GArray *layer = g_ptr_array_index (layers, l);
      /* Centred on the widest layer; whole half-rows keep cards on a grid. */
      int top = y0 + (int) (widest - layer->len) * row_height / 2;

      for (guint i = 0; i < layer->len; i++)
        {
          SluiceGem *gem = nodes[g_array_index (layer, guint, i)].gem;
          sluice_pipeline_set_position (self, sluice_gem_get_id (gem),
                                        x0 + (int) l * column_width, top + (int) i * row_height, NULL);
        }
    }
  sluice_pipeline_end_group (self);

  for (guint i = 0; i < n; i++)
    {
      g_array_unref (nodes[i].in);
      g_array_unref (nodes[i].out);
    }
  g_free (nodes);
  return TRUE;
}
