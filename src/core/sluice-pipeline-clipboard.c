/* Copy and paste of gems as text: the gems and the edges among them, written
 * as a pipeline file (docs/file-format.md), so what is on the clipboard is
 * readable, diffable and pastes into any pipeline of any project. */
#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-gem-type.h"
#include "sluice-json-writer.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"

/* The name the clipboard's text goes by in messages. */
#define CLIPBOARD_FILE "clipboard"

char *
sluice_pipeline_copy_gems (SluicePipeline     *self,
                           const char * const *ids,
                           GError            **error)
{
  g_autoptr(GHashTable) chosen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonArray) gems = json_array_new ();
  g_autoptr(JsonArray) edges = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GListModel *list;
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  for (guint i = 0; ids[i]; i++)
    {
      SluiceGem *gem = sluice_pipeline_find_gem (self, ids[i]);
      if (gem == NULL)
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                       _("There is no gem “%s” in pipeline “%s”"), ids[i], sluice_pipeline_get_name (self));
          return NULL;
        }
      g_hash_table_add (chosen, (gpointer) sluice_gem_get_id (gem));
    }

  /* File order, so a copy reads like the pipeline it came from. */
  list = sluice_pipeline_get_gems (self);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (list, i);
      if (g_hash_table_contains (chosen, sluice_gem_get_id (gem)))
        json_array_add_element (gems, _sluice_gem_to_json (gem));
    }

  list = sluice_pipeline_get_edges (self);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (list, i);
      g_autofree char *from = NULL, *to = NULL;
      JsonObject *object;

      if (!g_hash_table_contains (chosen, sluice_edge_get_from_gem (edge)) ||
          !g_hash_table_contains (chosen, sluice_edge_get_to_gem (edge)))
        continue;
      from = g_strconcat (sluice_edge_get_from_gem (edge), ".", sluice_edge_get_from_port (edge), NULL);
      to = g_strconcat (sluice_edge_get_to_gem (edge), ".", sluice_edge_get_to_port (edge), NULL);
      object = json_object_new ();
      json_object_set_string_member (object, "from", from);
      json_object_set_string_member (object, "to", to);
      json_array_add_object_element (edges, object);
    }

  json_object_set_int_member (root, "format_version", SLUICE_FORMAT_VERSION);
  json_object_set_array_member (root, "gems", g_steal_pointer (&gems));
  json_object_set_array_member (root, "edges", g_steal_pointer (&edges));
  node = json_node_init_object (json_node_alloc (), root);
  bytes = sluice_json_write (node, NULL);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Whether the text is at least a JSON object with a "gems" array: anything
 * else is someone else's text, not a broken copy of ours. */
static gboolean
looks_like_gems (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *gems;

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  gems = json_object_get_member (json_node_get_object (root), "gems");
  return gems != NULL && JSON_NODE_HOLDS_ARRAY (gems);
}

/* Everything a paste checks before it changes anything. @edges receives the
 * edges to make (borrowed from @clip). */
static gboolean
check_clip (SluicePipeline *clip,
            GPtrArray      *edges,
            GError        **error)
{
  GListModel *gems = sluice_pipeline_get_gems (clip);
  GListModel *all_edges = sluice_pipeline_get_edges (clip);
  guint n = g_list_model_get_n_items (gems);
  guint n_edges = g_list_model_get_n_items (all_edges);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) fed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) in_degree = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ready = g_ptr_array_new ();
  guint sorted = 0;

  if (n == 0)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                   _("%s: there are no gems to paste"), CLIPBOARD_FILE);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      const char *id = sluice_gem_get_id (gem);

      if (!sluice_gem_id_is_valid (id))
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                       _("%s: “%s” is not a valid gem id"), CLIPBOARD_FILE, id);
          return FALSE;
        }
      if (sluice_gem_get_gem_type (gem) == NULL)
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                       _("%s: gem “%s” has an unknown type “%s”"), CLIPBOARD_FILE, id,
                       sluice_gem_get_type_name (gem));
          return FALSE;
        }
      if (!g_hash_table_add (seen, (gpointer) id))
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                       _("%s: two gems have the id “%s”"), CLIPBOARD_FILE, id);
          return FALSE;
        }
      g_hash_table_insert (in_degree, (gpointer) id, GUINT_TO_POINTER (0));
    }

  for (guint i = 0; i < n_edges; i++)
    {
      SluiceEdge *edge = g_list_model_get_item (all_edges, i);
      SluiceGem *from = sluice_pipeline_find_gem (clip, sluice_edge_get_from_gem (edge));
      SluiceGem *to = sluice_pipeline_find_gem (clip, sluice_edge_get_to_gem (edge));
      g_autofree char *what = sluice_edge_describe (edge);

      g_object_unref (edge); /* the clip's edges model keeps it */
      /* An edge to a gem that was not copied is simply not pasted. */
      if (from == NULL || to == NULL)
        continue;
      if (!sluice_gem_has_port (from, SLUICE_PORT_OUTPUT, sluice_edge_get_from_port (edge)) ||
          !sluice_gem_has_port (to, SLUICE_PORT_INPUT, sluice_edge_get_to_port (edge)))
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                       _("%s: edge %s names a port its gem does not have"), CLIPBOARD_FILE, what);
          return FALSE;
        }
      if (!g_hash_table_add (fed, g_strconcat (sluice_edge_get_to_gem (edge), ".",
                                               sluice_edge_get_to_port (edge), NULL)))
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                       _("%s: edge %s feeds an input that is already fed"), CLIPBOARD_FILE, what);
          return FALSE;
        }
      g_hash_table_insert (in_degree, (gpointer) sluice_gem_get_id (to),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (in_degree, sluice_gem_get_id (to))) + 1));
      g_ptr_array_add (edges, edge);
    }

  /* Kahn's algorithm over the kept edges: what is left over is a cycle. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      if (GPOINTER_TO_UINT (g_hash_table_lookup (in_degree, sluice_gem_get_id (gem))) == 0)
        g_ptr_array_add (ready, (gpointer) sluice_gem_get_id (gem));
    }
  while (ready->len > 0)
    {
      const char *id = g_ptr_array_steal_index_fast (ready, ready->len - 1);

      sorted++;
      for (guint i = 0; i < edges->len; i++)
        {
          SluiceEdge *edge = g_ptr_array_index (edges, i);
          guint d;

          if (!g_str_equal (sluice_edge_get_from_gem (edge), id))
            continue;
          d = GPOINTER_TO_UINT (g_hash_table_lookup (in_degree, sluice_edge_get_to_gem (edge))) - 1;
          g_hash_table_insert (in_degree, (gpointer) sluice_edge_get_to_gem (edge), GUINT_TO_POINTER (d));
          if (d == 0)
            g_ptr_array_add (ready, (gpointer) sluice_edge_get_to_gem (edge));
        }
    }
  if (sorted < n)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s: the edges make a cycle"), CLIPBOARD_FILE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
paste (SluicePipeline *self,
       const char     *text,
       gboolean        at_point,
       int             x,
       int             y,
       GStrv          *pasted_ids,
       GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SluicePipeline) clip = NULL;
  g_autoptr(GPtrArray) edges = g_ptr_array_new ();
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *title = NULL;
  GListModel *gems;
  guint n;
  int dx = x, dy = y;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!_sluice_pipeline_check_editable (self, error))
    return FALSE;
  if (!g_utf8_validate (text, -1, NULL) || !looks_like_gems (text))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                   _("The clipboard holds no Sluice gems"));
      return FALSE;
    }

  bytes = g_bytes_new (text, strlen (text));
  if (!(clip = sluice_pipeline_load_from_bytes (CLIPBOARD_FILE, CLIPBOARD_FILE, bytes, NULL, error)))
    return FALSE;
  if (!check_clip (clip, edges, error))
    return FALSE;

  gems = sluice_pipeline_get_gems (clip);
  n = g_list_model_get_n_items (gems);
  if (at_point)
    {
      int min_x = G_MAXINT, min_y = G_MAXINT;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          min_x = MIN (min_x, sluice_gem_get_x (gem));
          min_y = MIN (min_y, sluice_gem_get_y (gem));
        }
      dx = x - min_x;
      dy = y - min_y;
    }

  title = n == 1 ? g_strdup (_("Paste gem"))
                 : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Paste %u gem", "Paste %u gems", n), n);
  sluice_pipeline_begin_group (self, title);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_autoptr(SluiceGem) copy = NULL;
      char *id = _sluice_pipeline_unique_id (self, sluice_gem_get_id (gem));

      copy = _sluice_gem_copy (gem, id, sluice_gem_get_x (gem) + dx, sluice_gem_get_y (gem) + dy);
      _sluice_pipeline_record_add_gem (self, copy);
      g_hash_table_insert (renamed, (gpointer) sluice_gem_get_id (gem), id);
      g_strv_builder_add (ids, id);
    }
  for (guint i = 0; i < edges->len; i++)
    {
      SluiceEdge *edge = g_ptr_array_index (edges, i);
      g_autoptr(GError) local_error = NULL;

      /* Checked above: the new gems touch nothing else, so this holds. */
      if (!sluice_pipeline_connect (self,
                                    g_hash_table_lookup (renamed, sluice_edge_get_from_gem (edge)),
                                    sluice_edge_get_from_port (edge),
                                    g_hash_table_lookup (renamed, sluice_edge_get_to_gem (edge)),
                                    sluice_edge_get_to_port (edge), &local_error))
        g_critical ("%s", local_error->message);
    }
  sluice_pipeline_end_group (self);

  if (pasted_ids != NULL)
    *pasted_ids = g_strv_builder_end (ids);
  return TRUE;
}

gboolean
sluice_pipeline_paste (SluicePipeline *self,
                       const char     *text,
                       int             dx,
                       int             dy,
                       GStrv          *pasted_ids,
                       GError        **error)
{
  return paste (self, text, FALSE, dx, dy, pasted_ids, error);
}

gboolean
sluice_pipeline_paste_at (SluicePipeline *self,
                          const char     *text,
                          int             x,
                          int             y,
                          GStrv          *pasted_ids,
                          GError        **error)
{
  return paste (self, text, TRUE, x, y, pasted_ids, error);
}
