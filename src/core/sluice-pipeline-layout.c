/* Auto-layout: a layered drawing from left to right (Sugiyama's scheme,
 * kept small). Layers by longest path from the sources, so every edge goes
 * right; a few barycentre sweeps order each layer to cut crossings; layers
 * are evenly spaced and centred on each other. Applied as one undo step.
 *
 * The work is on a plain copy of the graph (LayoutJob), so the async
 * variant computes it in a worker thread and only applies it on the main
 * thread, unless the pipeline changed in between. */
#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-edge.h"
#include "sluice-gem.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"
#include "sluice-undo-stack.h"

#define SWEEPS 8

typedef struct
{
  guint    n;
  GStrv    ids;          /* owned: gem ids, in file order */
  int     *x, *y;        /* owned: where they are */
  GArray  *edges;        /* owned: guint pairs (from, to) of gem indices */
  int      column_width, row_height;
  int     *new_x, *new_y;/* owned: the result */
  /* The state the layout was computed from, to drop a stale result. */
  gpointer top;          /* the undo stack's top command, compared only */
  guint    depth;
} LayoutJob;

typedef struct
{
  guint   layer;
  double  order;         /* position inside its layer, then the barycentre key */
  GArray *in;            /* guint: indices of predecessors */
  GArray *out;           /* guint: indices of successors */
} Node;

static void
layout_job_free (LayoutJob *job)
{
  g_strfreev (job->ids);
  g_free (job->x);
  g_free (job->y);
  g_array_unref (job->edges);
  g_free (job->new_x);
  g_free (job->new_y);
  g_free (job);
}

static LayoutJob *
layout_job_new (SluicePipeline *self,
                int             column_width,
                int             row_height)
{
  GListModel *gems = sluice_pipeline_get_gems (self);
  GListModel *edges = sluice_pipeline_get_edges (self);
  guint n_edges = g_list_model_get_n_items (edges);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  LayoutJob *job = g_new0 (LayoutJob, 1);

  job->n = g_list_model_get_n_items (gems);
  job->ids = g_new0 (char *, job->n + 1);
  job->x = g_new (int, job->n);
  job->y = g_new (int, job->n);
  job->new_x = g_new (int, job->n);
  job->new_y = g_new (int, job->n);
  job->edges = g_array_new (FALSE, FALSE, sizeof (guint));
  job->column_width = column_width;
  job->row_height = row_height;
  job->top = sluice_undo_stack_peek_undo (sluice_pipeline_get_undo_stack (self));
  job->depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (self));

  for (guint i = 0; i < job->n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);

      job->ids[i] = g_strdup (sluice_gem_get_id (gem));
      job->x[i] = sluice_gem_get_x (gem);
      job->y[i] = sluice_gem_get_y (gem);
      if (!g_hash_table_contains (index, job->ids[i]))
        g_hash_table_insert (index, job->ids[i], GUINT_TO_POINTER (i + 1));
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
      g_array_append_val (job->edges, from);
      g_array_append_val (job->edges, to);
    }
  return job;
}

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
sort_layer (Node    *nodes,
            GArray  *layer,
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

/* Pure: fills job->new_x and job->new_y. Safe in any thread. */
static void
compute_layout (LayoutJob *job)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree guint *pending = g_new0 (guint, job->n);
  g_autoptr(GArray) ready = g_array_new (FALSE, FALSE, sizeof (guint));
  Node *nodes = g_new0 (Node, job->n);
  guint n = job->n, n_layers = 0, widest = 0;
  int x0 = G_MAXINT, y0 = G_MAXINT;

  for (guint i = 0; i < n; i++)
    {
      nodes[i].in = g_array_new (FALSE, FALSE, sizeof (guint));
      nodes[i].out = g_array_new (FALSE, FALSE, sizeof (guint));
      x0 = MIN (x0, job->x[i]);
      y0 = MIN (y0, job->y[i]);
    }
  for (guint e = 0; e + 1 < job->edges->len; e += 2)
    {
      guint from = g_array_index (job->edges, guint, e);
      guint to = g_array_index (job->edges, guint, e + 1);

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
      nodes[i].order = job->y[i];
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

  for (guint l = 0; l < n_layers; l++)
    {
      GArray *layer = g_ptr_array_index (layers, l);
      /* Centred on the widest layer. */
      int top = y0 + (int) (widest - layer->len) * job->row_height / 2;

      for (guint i = 0; i < layer->len; i++)
        {
          guint g = g_array_index (layer, guint, i);
          job->new_x[g] = x0 + (int) l * job->column_width;
          job->new_y[g] = top + (int) i * job->row_height;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      g_array_unref (nodes[i].in);
      g_array_unref (nodes[i].out);
    }
  g_free (nodes);
}

static void
apply_layout (SluicePipeline *self,
              LayoutJob      *job)
{
  sluice_pipeline_begin_group (self, _("Auto-layout"));
  for (guint i = 0; i < job->n; i++)
    sluice_pipeline_set_position (self, job->ids[i], job->new_x[i], job->new_y[i], NULL);
  sluice_pipeline_end_group (self);
}

gboolean
sluice_pipeline_auto_layout (SluicePipeline *self,
                             int             column_width,
                             int             row_height,
                             GError        **error)
{
  LayoutJob *job;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (column_width > 0 && row_height > 0, FALSE);

  if (!_sluice_pipeline_check_editable (self, error))
    return FALSE;
  job = layout_job_new (self, column_width, row_height);
  compute_layout (job);
  apply_layout (self, job);
  layout_job_free (job);
  return TRUE;
}

static void
layout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  compute_layout (task_data);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

void
sluice_pipeline_auto_layout_async (SluicePipeline      *self,
                                   int                  column_width,
                                   int                  row_height,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (SLUICE_IS_PIPELINE (self));
  g_return_if_fail (column_width > 0 && row_height > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_pipeline_auto_layout_async);
  if (!_sluice_pipeline_check_editable (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The worker sees only this copy of the graph. */
  g_task_set_task_data (task, layout_job_new (self, column_width, row_height), (GDestroyNotify) layout_job_free);
  g_task_run_in_thread (task, layout_thread);
}

gboolean
sluice_pipeline_auto_layout_finish (SluicePipeline *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  LayoutJob *job;
  SluiceUndoStack *undo;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_pipeline_auto_layout_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  undo = sluice_pipeline_get_undo_stack (self);
  /* Edited (or undone) meanwhile: the layout is of a graph that is gone. */
  if (job->top != (gpointer) sluice_undo_stack_peek_undo (undo) || job->depth != sluice_undo_stack_get_depth (undo))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_FAILED,
                   _("Pipeline “%s” changed while it was being laid out"), sluice_pipeline_get_name (self));
      return FALSE;
    }
  apply_layout (self, job);
  return TRUE;
}
