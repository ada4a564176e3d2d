#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-gem-type.h"
#include "sluice-loader.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"

/* SluicePipeline's edits of its gems: adding, removing, moving, renaming
 * and configuring them, each one undoable group of primitive operations
 * (sluice-pipeline-ops.c). */

/* ---- edits ---- */

gboolean
_sluice_pipeline_check_editable (SluicePipeline *self,
                                 GError        **error)
{
  if (self->load_error != NULL)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s could not be read, so it cannot be edited"), self->file);
      return FALSE;
    }
  return TRUE;
}

SluiceGem *
_sluice_pipeline_lookup_gem (SluicePipeline *self,
                             const char     *id,
                             GError        **error)
{
  SluiceGem *gem;

  if (!_sluice_pipeline_check_editable (self, error))
    return NULL;
  if (!(gem = g_hash_table_lookup (self->by_id, id ? id : "")))
    g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                 _("There is no gem “%s” in pipeline “%s”"), id, self->name);
  return gem;
}

char *
_sluice_pipeline_unique_id (SluicePipeline *self,
                            const char     *base)
{
  char *id = g_strdup (base);

  for (guint i = 2; g_hash_table_contains (self->by_id, id); i++)
    {
      g_autofree char *suffix = g_strdup_printf ("_%u", i);
      g_autofree char *stem = g_strndup (base, MIN (strlen (base), SLUICE_GEM_ID_MAX - strlen (suffix)));
      g_free (id);
      id = g_strconcat (stem, suffix, NULL);
    }
  return id;
}

SluiceGem *
sluice_pipeline_add_gem (SluicePipeline *self,
                         const char     *type_name,
                         const char     *label,
                         int             x,
                         int             y,
                         GError        **error)
{
  SluiceGemType *type;
  g_autofree char *base = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  SluiceGem *gem;
  SluiceOp op = { 0 };

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (type_name != NULL, NULL);

  if (!_sluice_pipeline_check_editable (self, error))
    return NULL;
  if (!(type = sluice_gem_type_lookup (type_name)))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Unknown gem type “%s”"), type_name);
      return NULL;
    }
  if (label == NULL || *label == '\0')
    label = sluice_gem_type_get_title (type);

  base = sluice_gem_id_from_label (label);
  id = _sluice_pipeline_unique_id (self, base);

  /* Enumerations start at their default, so a new gem is as valid as it can be. */
  for (const SluiceConfigField *f = sluice_gem_type_get_fields (type); f->name; f++)
    if (f->kind == SLUICE_FIELD_ENUM && f->default_value != NULL && f->required)
      json_object_set_string_member (config, f->name, f->default_value);

  gem = _sluice_gem_new (id, type_name, label, x, y, config, NULL, NULL);

  title = g_strdup_printf (_("Add %s"), label);
  sluice_pipeline_begin_group (self, title);
  op.kind = SLUICE_OP_ADD_GEM;
  op.gem = gem; /* the op owns it */
  op.index = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  _sluice_pipeline_record (self, &op);
  sluice_pipeline_end_group (self);

  return gem;
}

gboolean
sluice_pipeline_replace_contents (SluicePipeline *self,
                                  SluicePipeline *source,
                                  const char     *label,
                                  GError        **error)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (SLUICE_IS_PIPELINE (source), FALSE);
  g_return_val_if_fail (source != self, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if (!_sluice_pipeline_check_editable (self, error))
    return FALSE;
  if (source->load_error != NULL)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s could not be read"), source->file);
      return FALSE;
    }

  sluice_pipeline_begin_group (self, label);

  /* From the end, so undo re-inserts everything at its position. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  for (guint i = n; i > 0; i--)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_REMOVE_EDGE;
      op.edge = g_list_model_get_item (G_LIST_MODEL (self->edges), i - 1);
      op.index = i - 1;
      _sluice_pipeline_record (self, &op);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  for (guint i = n; i > 0; i--)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_REMOVE_GEM;
      op.gem = g_list_model_get_item (G_LIST_MODEL (self->gems), i - 1);
      op.index = i - 1;
      _sluice_pipeline_record (self, &op);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (source->gems));
  for (guint i = 0; i < n; i++)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_ADD_GEM;
      op.gem = g_list_model_get_item (G_LIST_MODEL (source->gems), i);
      op.index = i;
      _sluice_pipeline_record (self, &op);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (source->edges));
  for (guint i = 0; i < n; i++)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_ADD_EDGE;
      op.edge = g_list_model_get_item (G_LIST_MODEL (source->edges), i);
      op.index = i;
      _sluice_pipeline_record (self, &op);
    }

  sluice_pipeline_end_group (self);
  return TRUE;
}

void
_sluice_pipeline_record_remove_edge (SluicePipeline *self,
                                     SluiceEdge     *edge)
{
  SluiceOp op = { 0 };

  op.kind = SLUICE_OP_REMOVE_EDGE;
  op.edge = g_object_ref (edge);
  if (!g_list_store_find (self->edges, edge, &op.index))
    g_assert_not_reached ();
  _sluice_pipeline_record (self, &op);
}

gboolean
sluice_pipeline_remove_gems (SluicePipeline     *self,
                             const char * const *ids,
                             GError            **error)
{
  g_autoptr(GPtrArray) gems = g_ptr_array_new ();
  g_autoptr(GHashTable) doomed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  guint n_edges;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  for (guint i = 0; ids[i]; i++)
    {
      SluiceGem *gem = _sluice_pipeline_lookup_gem (self, ids[i], error);
      if (gem == NULL)
        return FALSE;
      if (!g_hash_table_contains (doomed, ids[i]))
        {
          g_hash_table_add (doomed, (gpointer) sluice_gem_get_id (gem));
          g_ptr_array_add (gems, gem);
        }
    }
  if (gems->len == 0)
    return TRUE;

  title = gems->len == 1 ? g_strdup_printf (_("Delete %s"), sluice_gem_get_label (g_ptr_array_index (gems, 0)))
                         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u gem", "Delete %u gems", gems->len), gems->len);
  sluice_pipeline_begin_group (self, title);

  /* Edges first, from the end, so undo re-inserts them at their positions. */
  n_edges = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  for (guint i = n_edges; i > 0; i--)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (G_LIST_MODEL (self->edges), i - 1);
      if (g_hash_table_contains (doomed, sluice_edge_get_from_gem (edge)) ||
          g_hash_table_contains (doomed, sluice_edge_get_to_gem (edge)))
        _sluice_pipeline_record_remove_edge (self, edge);
    }

  for (guint i = 0; i < gems->len; i++)
    {
      SluiceOp op = { 0 };

      op.kind = SLUICE_OP_REMOVE_GEM;
      op.gem = g_object_ref (g_ptr_array_index (gems, i));
      if (!g_list_store_find (self->gems, op.gem, &op.index))
        g_assert_not_reached ();
      _sluice_pipeline_record (self, &op);
    }

  sluice_pipeline_end_group (self);
  return TRUE;
}

static void
record_move (SluicePipeline *self,
             SluiceGem      *gem,
             int             x,
             int             y)
{
  SluiceOp *merged;
  SluiceOp op = { 0 };

  if (sluice_gem_get_x (gem) == x && sluice_gem_get_y (gem) == y)
    return;

  /* In a drag, each motion extends the gem's one move. */
  if ((merged = sluice_command_find_move (self->group, sluice_gem_get_id (gem))))
    {
      merged->new_x = x;
      merged->new_y = y;
      _sluice_gem_set_position (gem, x, y);
      return;
    }

  op.kind = SLUICE_OP_MOVE;
  op.gem_id = g_strdup (sluice_gem_get_id (gem));
  op.old_x = sluice_gem_get_x (gem);
  op.old_y = sluice_gem_get_y (gem);
  op.new_x = x;
  op.new_y = y;
  _sluice_pipeline_record (self, &op);
}

gboolean
sluice_pipeline_move_gems (SluicePipeline     *self,
                           const char * const *ids,
                           int                 dx,
                           int                 dy,
                           GError            **error)
{
  g_autoptr(GPtrArray) gems = g_ptr_array_new ();

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  for (guint i = 0; ids[i]; i++)
    {
      SluiceGem *gem = _sluice_pipeline_lookup_gem (self, ids[i], error);
      if (gem == NULL)
        return FALSE;
      g_ptr_array_add (gems, gem);
    }
  if (gems->len == 0 || (dx == 0 && dy == 0))
    return TRUE;

  sluice_pipeline_begin_group (self, gems->len == 1 ? _("Move gem") : _("Move gems"));
  for (guint i = 0; i < gems->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (gems, i);
      record_move (self, gem, sluice_gem_get_x (gem) + dx, sluice_gem_get_y (gem) + dy);
    }
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_set_position (SluicePipeline *self,
                              const char     *gem_id,
                              int             x,
                              int             y,
                              GError        **error)
{
  SluiceGem *gem;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);

  if (!(gem = _sluice_pipeline_lookup_gem (self, gem_id, error)))
    return FALSE;
  sluice_pipeline_begin_group (self, _("Move gem"));
  record_move (self, gem, x, y);
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_set_label (SluicePipeline *self,
                           const char     *gem_id,
                           const char     *label,
                           GError        **error)
{
  SluiceGem *gem;
  SluiceOp op = { 0 };

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if (!(gem = _sluice_pipeline_lookup_gem (self, gem_id, error)))
    return FALSE;
  if (!g_utf8_validate (label, -1, NULL) || sluice_str_is_blank (label))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("A gem’s label must not be empty"));
      return FALSE;
    }
  if (g_str_equal (label, sluice_gem_get_label (gem)))
    return TRUE;

  sluice_pipeline_begin_group (self, _("Rename label"));
  op.kind = SLUICE_OP_SET_LABEL;
  op.gem_id = g_strdup (gem_id);
  op.old_text = g_strdup (sluice_gem_get_label (gem));
  op.new_text = g_strdup (label);
  _sluice_pipeline_record (self, &op);
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_rename_gem (SluicePipeline *self,
                            const char     *gem_id,
                            const char     *new_id,
                            GError        **error)
{
  g_autoptr(GPtrArray) touching = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *old_id = NULL;
  SluiceGem *gem;
  SluiceOp op = { 0 };
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);

  if (!(gem = _sluice_pipeline_lookup_gem (self, gem_id, error)))
    return FALSE;
  if (!sluice_gem_id_is_valid (new_id))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid id: use lower-case letters, digits and underscores, "
                     "starting with a letter, at most %d characters"), new_id, SLUICE_GEM_ID_MAX);
      return FALSE;
    }
  if (g_str_equal (gem_id, new_id))
    return TRUE;
  if (g_hash_table_contains (self->by_id, new_id))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("Pipeline “%s” already has a gem “%s”"), self->name, new_id);
      return FALSE;
    }

  old_id = g_strdup (gem_id);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (G_LIST_MODEL (self->edges), i);
      if (g_str_equal (sluice_edge_get_from_gem (edge), old_id) ||
          g_str_equal (sluice_edge_get_to_gem (edge), old_id))
        g_ptr_array_add (touching, g_steal_pointer (&edge));
    }

  sluice_pipeline_begin_group (self, _("Rename gem"));

  /* Edges name gems, so they are replaced in place: same positions. */
  for (guint i = touching->len; i > 0; i--)
    _sluice_pipeline_record_remove_edge (self, g_ptr_array_index (touching, i - 1));

  op.kind = SLUICE_OP_RENAME;
  op.old_text = g_strdup (old_id);
  op.new_text = g_strdup (new_id);
  _sluice_pipeline_record (self, &op);

  for (guint i = 0; i < touching->len; i++)
    {
      SluiceEdge *old = g_ptr_array_index (touching, i);
      SluiceOp *removed = NULL;
      SluiceOp add = { 0 };
      const char *from = sluice_edge_get_from_gem (old);
      const char *to = sluice_edge_get_to_gem (old);

      add.kind = SLUICE_OP_ADD_EDGE;
      add.edge = sluice_edge_new (g_str_equal (from, old_id) ? new_id : from,
                                  sluice_edge_get_from_port (old),
                                  g_str_equal (to, old_id) ? new_id : to,
                                  sluice_edge_get_to_port (old));
      _sluice_edge_set_extra (add.edge, _sluice_edge_get_extra (old));
      /* Back where the old edge was. */
      for (guint j = 0; j < sluice_command_get_n_ops (self->group); j++)
        {
          SluiceOp *candidate = sluice_command_get_op (self->group, j);
          if (candidate->kind == SLUICE_OP_REMOVE_EDGE && candidate->edge == old)
            removed = candidate;
        }
      add.index = removed ? removed->index : g_list_model_get_n_items (G_LIST_MODEL (self->edges));
      _sluice_pipeline_record (self, &add);
    }

  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_set_config (SluicePipeline *self,
                            const char     *gem_id,
                            const char     *key,
                            JsonNode       *value,
                            GError        **error)
{
  SluiceGem *gem;
  JsonNode *old;
  SluiceOp op = { 0 };
  g_autofree char *title = NULL;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!(gem = _sluice_pipeline_lookup_gem (self, gem_id, error)))
    return FALSE;

  old = sluice_gem_get_config (gem, key);
  if ((old == NULL && value == NULL) || (old && value && json_node_equal (old, value)))
    return TRUE;

  title = g_strdup_printf (_("Edit %s"), sluice_gem_get_label (gem));
  sluice_pipeline_begin_group (self, title);
  op.kind = SLUICE_OP_SET_CONFIG;
  op.gem_id = g_strdup (gem_id);
  op.key = g_strdup (key);
  op.old_value = sluice_json_node_deep_copy (old);
  op.new_value = sluice_json_node_deep_copy (value);
  _sluice_pipeline_record (self, &op);
  sluice_pipeline_end_group (self);
  return TRUE;
}

void
_sluice_pipeline_record_add_gem (SluicePipeline *self,
                                 SluiceGem      *gem)
{
  SluiceOp op = { 0 };

  g_return_if_fail (self->group != NULL);

  op.kind = SLUICE_OP_ADD_GEM;
  op.gem = g_object_ref (gem);
  op.index = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  _sluice_pipeline_record (self, &op);
}
