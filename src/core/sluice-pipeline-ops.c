#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-pipeline-private.h"
#include "sluice-undo-stack.h"

/* SluicePipeline's primitive operations, the only code that changes the
 * model and its indexes, and the undoable groups they are recorded in.
 * The object and its queries are in sluice-pipeline.c, the edits built
 * on these in sluice-pipeline-edits.c and sluice-pipeline-edges.c. */

/* ---- primitive operations: the only code that changes the model ---- */

/* Every change to which gems there are, their ids, their order or the
 * edges goes through the four functions below. */
static void
structure_changed (SluicePipeline *self)
{
  self->structure_version++;
  g_clear_pointer (&self->gem_array, g_ptr_array_unref);
}

static void
index_gem (SluicePipeline *self,
           SluiceGem      *gem)
{
  const char *id = sluice_gem_get_id (gem);

  structure_changed (self);
  if (!g_hash_table_contains (self->by_id, id))
    g_hash_table_insert (self->by_id, (gpointer) id, gem);
}

/* Removing a gem from the index may uncover a duplicate with the same id. */
static void
unindex_gem (SluicePipeline *self,
             SluiceGem      *gem,
             const char     *id)
{
  guint n;

  structure_changed (self);
  if (g_hash_table_lookup (self->by_id, id) != gem)
    return;
  g_hash_table_remove (self->by_id, id);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) other = g_list_model_get_item (G_LIST_MODEL (self->gems), i);
      if (other != gem && g_str_equal (sluice_gem_get_id (other), id))
        {
          g_hash_table_insert (self->by_id, (gpointer) sluice_gem_get_id (other), other);
          break;
        }
    }
}

static void
insert_gem (SluicePipeline *self,
            SluiceGem      *gem,
            guint           index)
{
  index = MIN (index, g_list_model_get_n_items (G_LIST_MODEL (self->gems)));
  g_list_store_insert (self->gems, index, gem);
  index_gem (self, gem);
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_GEM_ADDED], 0, gem);
}

static void
delete_gem (SluicePipeline *self,
            SluiceGem      *gem)
{
  guint position;
  g_autoptr(SluiceGem) hold = g_object_ref (gem);

  if (!g_list_store_find (self->gems, gem, &position))
    g_return_if_reached ();
  unindex_gem (self, gem, sluice_gem_get_id (gem));
  g_list_store_remove (self->gems, position);
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_GEM_REMOVED], 0, gem);
}

/* Indexes of the edges, so connecting stays cheap in large pipelines. */
char *
_sluice_pipeline_input_key (const char *gem,
                            const char *port)
{
  return g_strconcat (gem, "\037", port, NULL);
}

static void
index_edge (SluicePipeline *self,
            SluiceEdge     *edge)
{
  char *key = _sluice_pipeline_input_key (sluice_edge_get_to_gem (edge), sluice_edge_get_to_port (edge));
  GPtrArray *out;

  structure_changed (self);
  if (g_hash_table_contains (self->fed, key))
    g_free (key);
  else
    g_hash_table_insert (self->fed, key, edge);

  out = g_hash_table_lookup (self->successors, sluice_edge_get_from_gem (edge));
  if (out == NULL)
    {
      out = g_ptr_array_new ();
      g_hash_table_insert (self->successors, g_strdup (sluice_edge_get_from_gem (edge)), out);
    }
  g_ptr_array_add (out, edge);

  out = g_hash_table_lookup (self->predecessors, sluice_edge_get_to_gem (edge));
  if (out == NULL)
    {
      out = g_ptr_array_new ();
      g_hash_table_insert (self->predecessors, g_strdup (sluice_edge_get_to_gem (edge)), out);
    }
  g_ptr_array_add (out, edge);
}

static void
unindex_edge (SluicePipeline *self,
              SluiceEdge     *edge)
{
  g_autofree char *key = _sluice_pipeline_input_key (sluice_edge_get_to_gem (edge), sluice_edge_get_to_port (edge));
  GPtrArray *out = g_hash_table_lookup (self->successors, sluice_edge_get_from_gem (edge));

  structure_changed (self);
  if (out != NULL)
    g_ptr_array_remove (out, edge);
  out = g_hash_table_lookup (self->predecessors, sluice_edge_get_to_gem (edge));
  if (out != NULL)
    g_ptr_array_remove (out, edge);

  if (g_hash_table_lookup (self->fed, key) == edge)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));

      g_hash_table_remove (self->fed, key);
      /* A broken file may feed one input twice: the next one takes over. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SluiceEdge) other = g_list_model_get_item (G_LIST_MODEL (self->edges), i);
          if (other != edge &&
              g_str_equal (sluice_edge_get_to_gem (other), sluice_edge_get_to_gem (edge)) &&
              g_str_equal (sluice_edge_get_to_port (other), sluice_edge_get_to_port (edge)))
            {
              g_hash_table_insert (self->fed, g_steal_pointer (&key), other);
              break;
            }
        }
    }
}

static void
insert_edge (SluicePipeline *self,
             SluiceEdge     *edge,
             guint           index)
{
  index = MIN (index, g_list_model_get_n_items (G_LIST_MODEL (self->edges)));
  g_list_store_insert (self->edges, index, edge);
  index_edge (self, edge);
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_EDGE_ADDED], 0, edge);
}

static void
delete_edge (SluicePipeline *self,
             SluiceEdge     *edge)
{
  guint position;
  g_autoptr(SluiceEdge) hold = g_object_ref (edge);

  if (!g_list_store_find (self->edges, edge, &position))
    g_return_if_reached ();
  g_list_store_remove (self->edges, position);
  unindex_edge (self, edge);
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_EDGE_REMOVED], 0, edge);
}

static void
rename_gem (SluicePipeline *self,
            const char     *old_id,
            const char     *new_id)
{
  SluiceGem *gem = g_hash_table_lookup (self->by_id, old_id);

  g_return_if_fail (gem != NULL);
  unindex_gem (self, gem, old_id);
  _sluice_gem_set_id (gem, new_id);
  index_gem (self, gem);
}

static void
apply_op (SluicePipeline *self,
          SluiceOp       *op,
          gboolean        forward)
{
  SluiceGem *gem = op->gem_id ? g_hash_table_lookup (self->by_id, op->gem_id) : NULL;

  switch (op->kind)
    {
    case SLUICE_OP_ADD_GEM:
    case SLUICE_OP_REMOVE_GEM:
      if (forward == (op->kind == SLUICE_OP_ADD_GEM))
        insert_gem (self, op->gem, op->index);
      else
        delete_gem (self, op->gem);
      break;

    case SLUICE_OP_ADD_EDGE:
    case SLUICE_OP_REMOVE_EDGE:
      if (forward == (op->kind == SLUICE_OP_ADD_EDGE))
        insert_edge (self, op->edge, op->index);
      else
        delete_edge (self, op->edge);
      break;

    case SLUICE_OP_MOVE:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_position (gem, forward ? op->new_x : op->old_x, forward ? op->new_y : op->old_y);
      break;

    case SLUICE_OP_SET_LABEL:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_label (gem, forward ? op->new_text : op->old_text);
      break;

    case SLUICE_OP_SET_CONFIG:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_config (gem, op->key, forward ? op->new_value : op->old_value);
      break;

    case SLUICE_OP_RENAME:
      if (forward)
        rename_gem (self, op->old_text, op->new_text);
      else
        rename_gem (self, op->new_text, op->old_text);
      break;

    case SLUICE_OP_SET_INPUTS:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_inputs (gem, (const char * const *) (forward ? op->new_inputs : op->old_inputs));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Applies @op and records it in the command being built (taking its
 * contents). Every public edit is begin_group … record … end_group. */
void
_sluice_pipeline_record (SluicePipeline *self,
                         SluiceOp       *op)
{
  g_assert (self->group != NULL);

  apply_op (self, op, TRUE);
  sluice_command_add_op (self->group, op);
  memset (op, 0, sizeof *op);
}

void
sluice_pipeline_begin_group (SluicePipeline *self,
                             const char     *label)
{
  g_return_if_fail (SLUICE_IS_PIPELINE (self));

  if (self->group_depth++ == 0)
    self->group = sluice_command_new (label);
}

void
sluice_pipeline_end_group (SluicePipeline *self)
{
  g_autoptr(SluiceCommand) command = NULL;

  g_return_if_fail (SLUICE_IS_PIPELINE (self));
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;

  command = g_steal_pointer (&self->group);
  if (sluice_command_get_n_ops (command) == 0)
    return;
  sluice_undo_stack_push (self->undo, g_steal_pointer (&command));
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_CHANGED], 0);
}

gboolean
sluice_pipeline_undo (SluicePipeline *self)
{
  SluiceCommand *command;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (!(command = sluice_undo_stack_step_back (self->undo)))
    return FALSE;
  for (guint i = sluice_command_get_n_ops (command); i > 0; i--)
    apply_op (self, sluice_command_get_op (command, i - 1), FALSE);
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_CHANGED], 0);
  return TRUE;
}

gboolean
sluice_pipeline_redo (SluicePipeline *self)
{
  SluiceCommand *command;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (!(command = sluice_undo_stack_step_forward (self->undo)))
    return FALSE;
  for (guint i = 0; i < sluice_command_get_n_ops (command); i++)
    apply_op (self, sluice_command_get_op (command, i), TRUE);
  g_signal_emit (self, _sluice_pipeline_signals[SLUICE_PIPELINE_CHANGED], 0);
  return TRUE;
}

/* ---- used by the loader ---- */

void
_sluice_pipeline_add_gem_loaded (SluicePipeline *self,
                                 SluiceGem      *gem)
{
  g_list_store_append (self->gems, gem);
  index_gem (self, gem);
}

void
_sluice_pipeline_add_edge_loaded (SluicePipeline *self,
                                  SluiceEdge     *edge)
{
  g_list_store_append (self->edges, edge);
  index_edge (self, edge);
}
