#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-gem-type.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"
#include "sluice-port.h"

/* SluicePipeline's edits of its wiring: connecting and disconnecting gems
 * and adding or removing a gem's inputs. */

/* Whether @start reaches @goal along edges: connecting goal → start would
 * then close a cycle. */
static gboolean
reaches (SluicePipeline *self,
         const char     *start,
         const char     *goal)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, (gpointer) start);
  while (stack->len > 0)
    {
      const char *id = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      GPtrArray *out;

      if (g_str_equal (id, goal))
        return TRUE;
      if (!g_hash_table_add (seen, (gpointer) id))
        continue;
      if ((out = g_hash_table_lookup (self->successors, id)))
        for (guint i = 0; i < out->len; i++)
          g_ptr_array_add (stack, (gpointer) sluice_edge_get_to_gem (g_ptr_array_index (out, i)));
    }
  return FALSE;
}

SluiceEdge *
sluice_pipeline_connect (SluicePipeline *self,
                         const char     *from_gem,
                         const char     *from_port,
                         const char     *to_gem,
                         const char     *to_port,
                         GError        **error)
{
  SluiceGem *from, *to;
  SluiceOp op = { 0 };
  SluiceEdge *edge;
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);

  if (!(from = _sluice_pipeline_lookup_gem (self, from_gem, error)) || !(to = _sluice_pipeline_lookup_gem (self, to_gem, error)))
    return NULL;
  if (!sluice_gem_has_port (from, SLUICE_PORT_OUTPUT, from_port))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” has no output “%s”"), from_gem, from_port);
      return NULL;
    }
  if (!sluice_gem_has_port (to, SLUICE_PORT_INPUT, to_port))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” has no input “%s”"), to_gem, to_port);
      return NULL;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  {
    g_autofree char *key = _sluice_pipeline_input_key (to_gem, to_port);
    if (g_hash_table_contains (self->fed, key))
      {
        g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                     _("Input “%s” of gem “%s” is already connected"), to_port, to_gem);
        return NULL;
      }
  }

  if (g_str_equal (from_gem, to_gem) || reaches (self, to_gem, from_gem))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Connecting “%s” to “%s” would make a cycle"), from_gem, to_gem);
      return NULL;
    }

  sluice_pipeline_begin_group (self, _("Connect"));
  op.kind = SLUICE_OP_ADD_EDGE;
  op.edge = sluice_edge_new (from_gem, from_port, to_gem, to_port);
  op.index = n;
  edge = op.edge;
  _sluice_pipeline_record (self, &op);
  sluice_pipeline_end_group (self);
  return edge;
}

gboolean
sluice_pipeline_disconnect (SluicePipeline *self,
                            SluiceEdge     *edge,
                            GError        **error)
{
  guint position;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (SLUICE_IS_EDGE (edge), FALSE);

  if (!_sluice_pipeline_check_editable (self, error))
    return FALSE;
  if (!g_list_store_find (self->edges, edge, &position))
    {
      g_autofree char *what = sluice_edge_describe (edge);
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Pipeline “%s” has no edge %s"), self->name, what);
      return FALSE;
    }
  sluice_pipeline_begin_group (self, _("Disconnect"));
  _sluice_pipeline_record_remove_edge (self, edge);
  sluice_pipeline_end_group (self);
  return TRUE;
}

static void
record_inputs (SluicePipeline *self,
               SluiceGem      *gem,
               GStrv           names)
{
  SluiceOp op = { 0 };

  op.kind = SLUICE_OP_SET_INPUTS;
  op.gem_id = g_strdup (sluice_gem_get_id (gem));
  op.old_inputs = _sluice_gem_dup_inputs (gem);
  op.new_inputs = names;
  _sluice_pipeline_record (self, &op);
}

gboolean
sluice_pipeline_add_input (SluicePipeline *self,
                           const char     *gem_id,
                           const char     *name,
                           GError        **error)
{
  SluiceGem *gem;
  SluiceGemType *type;
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *fresh = NULL;
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);

  if (!(gem = _sluice_pipeline_lookup_gem (self, gem_id, error)))
    return FALSE;
  type = sluice_gem_get_gem_type (gem);
  names = _sluice_gem_dup_inputs (gem);
  n = g_strv_length (names);

  if (type == NULL || n >= sluice_gem_type_get_max_inputs (type))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” cannot take more inputs"), gem_id);
      return FALSE;
    }

  if (name == NULL)
    {
      for (guint i = n; ; i++)
        {
          g_free (fresh);
          fresh = g_strdup_printf ("in%u", i);
          if (!g_strv_contains ((const char * const *) names, fresh))
            break;
        }
      name = fresh;
    }
  else if (!sluice_port_name_is_valid (name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid input name: use letters, digits and underscores, "
                     "starting with a letter"), name);
      return FALSE;
    }
  else if (g_strv_contains ((const char * const *) names, name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("Gem “%s” already has an input “%s”"), gem_id, name);
      return FALSE;
    }

  g_strv_builder_addv (builder, (const char **) names);
  g_strv_builder_add (builder, name);

  sluice_pipeline_begin_group (self, _("Add input"));
  record_inputs (self, gem, g_strv_builder_end (builder));
  _sluice_pipeline_follow_join_inputs (self, gem, name, NULL);
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_remove_input (SluicePipeline *self,
                              const char     *gem_id,
                              const char     *name,
                              GError        **error)
{
  SluiceGem *gem;
  SluiceGemType *type;
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) in_edges = NULL;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!(gem = _sluice_pipeline_lookup_gem (self, gem_id, error)))
    return FALSE;
  type = sluice_gem_get_gem_type (gem);
  names = _sluice_gem_dup_inputs (gem);

  if (!g_strv_contains ((const char * const *) names, name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” has no input “%s”"), gem_id, name);
      return FALSE;
    }
  if (type == NULL || g_strv_length (names) <= sluice_gem_type_get_min_inputs (type))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” needs at least %u inputs"), gem_id,
                   type ? sluice_gem_type_get_min_inputs (type) : 0);
      return FALSE;
    }
  in_edges = sluice_pipeline_get_edges_of (self, gem_id, SLUICE_PORT_INPUT);
  for (guint i = 0; i < in_edges->len; i++)
    if (g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (in_edges, i)), name))
      {
        g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                     _("Input “%s” of gem “%s” is connected; disconnect it first"), name, gem_id);
        return FALSE;
      }

  for (guint i = 0; names[i]; i++)
    if (!g_str_equal (names[i], name))
      g_strv_builder_add (builder, names[i]);

  sluice_pipeline_begin_group (self, _("Remove input"));
  /* Before the names change: @name may be one of them. */
  _sluice_pipeline_follow_join_inputs (self, gem, NULL, name);
  record_inputs (self, gem, g_strv_builder_end (builder));
  sluice_pipeline_end_group (self);
  return TRUE;
}
