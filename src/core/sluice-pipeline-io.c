/* Reading and writing pipeline files (docs/file-format.md). */
#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-atomic-file.h"
#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-gem-type.h"
#include "sluice-json-writer.h"
#include "sluice-loader.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"
#include "sluice-port.h"
#include "sluice-undo-stack.h"

static const char * const pipeline_keys[] = { "format_version", "description", "gems", "edges", NULL };
static const char * const gem_keys[] = { "id", "type", "label", "position", "inputs", "config", NULL };
static const char * const edge_keys[] = { "from", "to", NULL };

/* "gem.port" → its two halves; gem ids and port names never contain dots. */
static gboolean
split_end (const char *end,
           char      **gem,
           char      **port)
{
  const char *dot = strchr (end, '.');

  if (dot == NULL || dot == end || dot[1] == '\0' || strchr (dot + 1, '.') != NULL)
    return FALSE;
  *gem = g_strndup (end, dot - end);
  *port = g_strdup (dot + 1);
  return TRUE;
}

static void
load_gem (SluiceLoader   *loader,
          SluicePipeline *self,
          JsonNode       *node,
          guint           index)
{
  g_autofree char *what = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autoptr(SluiceGem) gem = NULL;
  const char *id, *type, *label;
  JsonNode *position, *config, *inputs_node;
  gint64 x = 0, y = 0;
  guint errors = sluice_loader_get_n_errors (loader);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sluice_loader_error (loader, node, _("gem %u must be an object, not %s"), index + 1,
                           sluice_json_describe_type (node));
      return;
    }

  what = g_strdup_printf (_("gem %u"), index + 1);
  id = sluice_loader_string (loader, node, what, "id", TRUE);
  if (id != NULL)
    {
      g_free (what);
      what = g_strdup_printf (_("gem “%s”"), id);
    }
  type = sluice_loader_string (loader, node, what, "type", TRUE);
  label = sluice_loader_string (loader, node, what, "label", TRUE);

  position = sluice_loader_object (loader, node, what, "position", TRUE);
  if (position != NULL)
    {
      sluice_loader_int (loader, position, what, "x", TRUE, &x);
      sluice_loader_int (loader, position, what, "y", TRUE, &y);
      if (x < G_MININT || x > G_MAXINT || y < G_MININT || y > G_MAXINT)
        sluice_loader_error (loader, position, _("%s: position out of range"), what);
    }

  inputs_node = json_object_get_member (json_node_get_object (node), "inputs");
  if (inputs_node != NULL)
    inputs = sluice_loader_strings (loader, node, what, "inputs", FALSE);

  config = sluice_loader_object (loader, node, what, "config", TRUE);

  if (sluice_loader_get_n_errors (loader) > errors)
    return;

  extra = sluice_loader_extra (node, gem_keys);
  /* The parsed tree is ours and about to be dropped: share, don't copy. */
  gem = _sluice_gem_new_take (id, type, label, (int) x, (int) y,
                              json_object_ref (json_node_get_object (config)),
                              (const char * const *) inputs, g_steal_pointer (&extra));
  _sluice_gem_mark_config_shared (gem);
  _sluice_pipeline_add_gem_loaded (self, gem);
}

static void
load_edge (SluiceLoader   *loader,
           SluicePipeline *self,
           JsonNode       *node,
           guint           index)
{
  g_autofree char *what = g_strdup_printf (_("edge %u"), index + 1);
  g_autofree char *from_gem = NULL, *from_port = NULL, *to_gem = NULL, *to_port = NULL;
  g_autoptr(SluiceEdge) edge = NULL;
  g_autoptr(JsonObject) extra = NULL;
  const char *from, *to;
  guint errors = sluice_loader_get_n_errors (loader);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sluice_loader_error (loader, node, _("edge %u must be an object, not %s"), index + 1,
                           sluice_json_describe_type (node));
      return;
    }

  from = sluice_loader_string (loader, node, what, "from", TRUE);
  to = sluice_loader_string (loader, node, what, "to", TRUE);
  if (from != NULL && !split_end (from, &from_gem, &from_port))
    sluice_loader_error (loader, json_object_get_member (json_node_get_object (node), "from"),
                         _("%s: “%s” is not of the form GEM.PORT"), what, from);
  if (to != NULL && !split_end (to, &to_gem, &to_port))
    sluice_loader_error (loader, json_object_get_member (json_node_get_object (node), "to"),
                         _("%s: “%s” is not of the form GEM.PORT"), what, to);

  if (sluice_loader_get_n_errors (loader) > errors)
    return;

  edge = sluice_edge_new (from_gem, from_port, to_gem, to_port);
  extra = sluice_loader_extra (node, edge_keys);
  _sluice_edge_set_extra (edge, extra);
  _sluice_pipeline_add_edge_loaded (self, edge);
}

SluicePipeline *
sluice_pipeline_load_from_bytes (const char  *name,
                                 const char  *file,
                                 GBytes      *bytes,
                                 GPtrArray   *diagnostics,
                                 GError     **error)
{
  g_autoptr(SluiceLoader) loader = NULL;
  g_autoptr(SluicePipeline) self = NULL;
  JsonObject *root;
  JsonNode *root_node, *gems, *edges;
  const char *description;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (!(loader = sluice_loader_new (file, bytes, diagnostics, error)))
    return NULL;
  if (!(root = sluice_loader_root (loader, error)))
    return NULL;
  root_node = sluice_json_doc_get_root (sluice_loader_get_doc (loader));

  self = sluice_pipeline_new (name);
  sluice_pipeline_set_file (self, file);

  description = sluice_loader_string (loader, root_node, _("the pipeline"), "description", FALSE);
  self->description = g_strdup (description);

  gems = sluice_loader_array (loader, root_node, _("the pipeline"), "gems", TRUE);
  if (gems != NULL)
    {
      JsonArray *array = json_node_get_array (gems);
      for (guint i = 0; i < json_array_get_length (array); i++)
        load_gem (loader, self, json_array_get_element (array, i), i);
    }

  edges = sluice_loader_array (loader, root_node, _("the pipeline"), "edges", TRUE);
  if (edges != NULL)
    {
      JsonArray *array = json_node_get_array (edges);
      for (guint i = 0; i < json_array_get_length (array); i++)
        load_edge (loader, self, json_array_get_element (array, i), i);
    }

  if (!sluice_loader_check (loader, error))
    return NULL;

  self->extra = sluice_loader_extra (root_node, pipeline_keys);

  /* Positions by meaning, for diagnostics found later by validation. */
  _sluice_pipeline_set_source_map (self,
    sluice_source_map_new (root_node, sluice_json_doc_get_positions (sluice_loader_get_doc (loader))));

  self->base_checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  sluice_undo_stack_mark_saved (self->undo);
  return g_steal_pointer (&self);
}

/* Streams the canonical text: a pipeline's shape is known, and building a
 * json-glib tree first costs more than the writing itself. */
GBytes *
_sluice_pipeline_serialize (SluicePipeline   *self,
                            SluiceSourceMap **map)
{
  GListModel *gems = G_LIST_MODEL (self->gems);
  GListModel *edges = G_LIST_MODEL (self->edges);
  guint n_gems = g_list_model_get_n_items (gems);
  guint n_edges = g_list_model_get_n_items (edges);
  SluiceJsonWriter *w = sluice_json_writer_new (1024 + n_gems * 512);
  GBytes *bytes;

  sluice_json_writer_begin_object (w, FALSE);
  sluice_json_writer_key (w, "format_version");
  sluice_json_writer_int (w, SLUICE_FORMAT_VERSION);
  if (self->description != NULL)
    {
      sluice_json_writer_key (w, "description");
      sluice_json_writer_string (w, self->description);
    }

  sluice_json_writer_key (w, "gems");
  sluice_json_writer_begin_array (w);
  for (guint i = 0; i < n_gems; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      sluice_json_writer_key (w, NULL);
      _sluice_gem_write (gem, w);
    }
  sluice_json_writer_end_array (w);

  sluice_json_writer_key (w, "edges");
  sluice_json_writer_begin_array (w);
  for (guint i = 0; i < n_edges; i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (edges, i);
      JsonObject *extra = _sluice_edge_get_extra (edge);
      g_autofree char *from = g_strconcat (sluice_edge_get_from_gem (edge), ".", sluice_edge_get_from_port (edge), NULL);
      g_autofree char *to = g_strconcat (sluice_edge_get_to_gem (edge), ".", sluice_edge_get_to_port (edge), NULL);

      sluice_json_writer_key (w, NULL);
      if (extra != NULL)
        {
          /* Rare: unknown keys decide the layout, so go through a tree. */
          g_autoptr(JsonObject) object = json_object_new ();
          g_autoptr(JsonNode) node = NULL;

          json_object_set_string_member (object, "from", from);
          json_object_set_string_member (object, "to", to);
          sluice_json_object_append (object, extra);
          node = json_node_init_object (json_node_alloc (), object);
          sluice_json_writer_node (w, node, "edges");
          continue;
        }
      sluice_json_writer_begin_object (w, TRUE);
      sluice_json_writer_key (w, "from");
      sluice_json_writer_string (w, from);
      sluice_json_writer_key (w, "to");
      sluice_json_writer_string (w, to);
      sluice_json_writer_end_object (w);
    }
  sluice_json_writer_end_array (w);

  if (self->extra != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, self->extra);
      while (json_object_iter_next_ordered (&iter, &key, &value))
        {
          sluice_json_writer_key (w, key);
          sluice_json_writer_node (w, value, key);
        }
    }
  sluice_json_writer_end_object (w);

  bytes = sluice_json_writer_finish (w);
  if (map != NULL)
    *map = sluice_source_map_new_for_bytes (bytes);
  return bytes;
}

GBytes *
sluice_pipeline_to_bytes (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (self->load_error == NULL, NULL);

  return _sluice_pipeline_serialize (self, NULL);
}

/* ---- saving ---- */

typedef struct
{
  char            *path;
  GBytes          *bytes;
  SluiceSourceMap *map;
  SluiceCommand   *top;     /* held so its address identifies the saved state */
  guint            depth;
  gboolean         in_group;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_bytes_unref (data->bytes);
  sluice_source_map_free (data->map);
  g_clear_object (&data->top);
  g_free (data);
}

static SaveData *
prepare_save (SluicePipeline *self,
              GFile          *file,
              GError        **error)
{
  SaveData *data;

  if (self->load_error != NULL)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s could not be read, so Sluice will not overwrite it"), self->file);
      return NULL;
    }
  if (!g_file_is_native (file))
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: only local folders can hold projects"), uri);
      return NULL;
    }

  data = g_new0 (SaveData, 1);
  data->path = g_file_get_path (file);
  data->bytes = _sluice_pipeline_serialize (self, &data->map);
  data->top = sluice_undo_stack_peek_undo (self->undo);
  if (data->top)
    g_object_ref (data->top);
  data->depth = sluice_undo_stack_get_depth (self->undo);
  data->in_group = self->group_depth > 0;
  return data;
}

static void
finish_save (SluicePipeline *self,
             SaveData       *data)
{
  _sluice_pipeline_set_source_map (self, g_steal_pointer (&data->map));
  g_free (self->base_checksum);
  self->base_checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data->bytes);
  /* Saved in the middle of a drag: that state is no step of the history. */
  if (data->in_group)
    sluice_undo_stack_mark_unsaved (self->undo);
  else
    sluice_undo_stack_mark_saved_at (self->undo, data->top, data->depth);
}

gboolean
sluice_pipeline_save (SluicePipeline *self,
                      GFile          *file,
                      GCancellable   *cancellable,
                      GError        **error)
{
  SaveData *data;
  gboolean ok;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(data = prepare_save (self, file, error)))
    return FALSE;
  ok = sluice_atomic_write (data->path, data->bytes, cancellable, error);
  if (ok)
    finish_save (self, data);
  save_data_free (data);
  return ok;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (sluice_atomic_write (data->path, data->bytes, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sluice_pipeline_save_async (SluicePipeline      *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SaveData *data;

  g_return_if_fail (SLUICE_IS_PIPELINE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_pipeline_save_async);

  /* Serialize here, on the main thread: the worker only sees bytes. */
  if (!(data = prepare_save (self, file, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sluice_pipeline_save_finish (SluicePipeline *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  GTask *task;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_pipeline_save_async, FALSE);

  task = G_TASK (result);
  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  finish_save (self, g_task_get_task_data (task));
  return TRUE;
}
