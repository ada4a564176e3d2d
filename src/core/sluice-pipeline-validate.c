/* Structural validation of a pipeline: everything that can be checked
 * without schemas (those come with the compiler). Problems point at the
 * place in the file on disk, through the pipeline's source map. */
#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-dataset.h"
#include "sluice-diagnostic.h"
#include "sluice-gem-private.h"
#include "sluice-edge.h"
#include "sluice-gem-type.h"
#include "sluice-loader.h"
#include "sluice-pipeline-private.h"
#include "sluice-port.h"

typedef struct
{
  SluicePipeline *self;
  GPtrArray      *out;
} Check;

static void
report (Check      *c,
        const char *path,
        const char *gem_id,
        const char *field,
        const char *format,
        ...) G_GNUC_PRINTF (5, 6);

static void
report (Check      *c,
        const char *path,
        const char *gem_id,
        const char *field,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  SluiceDiagnostic *d;
  guint line = 0, column = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  _sluice_pipeline_position_of (c->self, path, &line, &column);
  d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, c->self->file, line, column, message);
  sluice_diagnostic_set_subject (d, gem_id, field);
  g_ptr_array_add (c->out, d);
}

static gboolean
is_string (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static void check_field (Check *c, SluiceGem *gem, const char *path, const char *label,
                         const SluiceConfigField *f, JsonNode *value);

static void
check_records (Check                   *c,
               SluiceGem               *gem,
               const char              *path,
               const char              *label,
               const SluiceConfigField *f,
               JsonNode                *value)
{
  JsonArray *array = json_node_get_array (value);
  const char *id = sluice_gem_get_id (gem);

  if (f->required && json_array_get_length (array) == 0)
    report (c, path, id, f->name, _("gem “%s”: “%s” needs at least one entry"), id, label);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *record = json_array_get_element (array, i);
      g_autofree char *record_path = g_strdup_printf ("%s/%u", path, i);

      if (!JSON_NODE_HOLDS_OBJECT (record))
        {
          report (c, record_path, id, f->name, _("gem “%s”: entry %u of “%s” must be an object, not %s"),
                  id, i + 1, label, sluice_json_describe_type (record));
          continue;
        }
      for (const SluiceConfigField *sub = f->fields; sub->name; sub++)
        {
          g_autofree char *sub_path = g_strdup_printf ("%s/%s", record_path, sub->name);
          g_autofree char *sub_label = g_strdup_printf ("%s %u %s", label, i + 1, sub->name);
          JsonNode *sub_value = json_object_get_member (json_node_get_object (record), sub->name);

          check_field (c, gem, sub_path, sub_label, sub, sub_value);
        }
    }
}

static void
check_field (Check                   *c,
             SluiceGem               *gem,
             const char              *path,
             const char              *label,
             const SluiceConfigField *f,
             JsonNode                *value)
{
  const char *id = sluice_gem_get_id (gem);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      if (f->required)
        report (c, path, id, f->name, _("gem “%s”: “%s” is required"), id, label);
      return;
    }

  switch (f->kind)
    {
    case SLUICE_FIELD_STRING:
    case SLUICE_FIELD_EXPRESSION:
    case SLUICE_FIELD_SQL:
    case SLUICE_FIELD_CODE:
    case SLUICE_FIELD_DATASET:
    case SLUICE_FIELD_COLUMN:
    case SLUICE_FIELD_ENUM:
    case SLUICE_FIELD_TYPE:
      if (!is_string (value))
        {
          report (c, path, id, f->name, _("gem “%s”: “%s” must be a string, not %s"),
                  id, label, sluice_json_describe_type (value));
          return;
        }
      if (f->required && sluice_str_is_blank (json_node_get_string (value)))
        report (c, path, id, f->name, _("gem “%s”: “%s” is empty"), id, label);
      else if (f->kind == SLUICE_FIELD_ENUM &&
               !g_strv_contains (f->choices, json_node_get_string (value)))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) f->choices);
          report (c, path, id, f->name, _("gem “%s”: “%s” must be one of %s, not “%s”"),
                  id, label, choices, json_node_get_string (value));
        }
      break;

    case SLUICE_FIELD_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        report (c, path, id, f->name, _("gem “%s”: “%s” must be true or false, not %s"),
                id, label, sluice_json_describe_type (value));
      break;

    case SLUICE_FIELD_INTEGER:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
        report (c, path, id, f->name, _("gem “%s”: “%s” must be an integer, not %s"),
                id, label, sluice_json_describe_type (value));
      else if (json_node_get_int (value) < 0)
        report (c, path, id, f->name, _("gem “%s”: “%s” must not be negative"), id, label);
      break;

    case SLUICE_FIELD_COLUMNS:
    case SLUICE_FIELD_STRINGS:
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          report (c, path, id, f->name, _("gem “%s”: “%s” must be an array of strings, not %s"),
                  id, label, sluice_json_describe_type (value));
          return;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
        if (!is_string (json_array_get_element (json_node_get_array (value), i)))
          {
            g_autofree char *item = g_strdup_printf ("%s/%u", path, i);
            report (c, item, id, f->name, _("gem “%s”: “%s” must hold only strings"), id, label);
            break;
          }
      if (f->required && json_array_get_length (json_node_get_array (value)) == 0)
        report (c, path, id, f->name, _("gem “%s”: “%s” needs at least one entry"), id, label);
      break;

    case SLUICE_FIELD_RECORDS:
    case SLUICE_FIELD_SCHEMA:
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          report (c, path, id, f->name, _("gem “%s”: “%s” must be an array, not %s"),
                  id, label, sluice_json_describe_type (value));
          return;
        }
      check_records (c, gem, path, label, f, value);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Depth-first search for a cycle; returns the gems on it, in order. */
static GPtrArray *
find_cycle (GHashTable *successors,
            GPtrArray  *ids)
{
  g_autoptr(GHashTable) state = g_hash_table_new (g_str_hash, g_str_equal); /* 1 on stack, 2 done */
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  g_autoptr(GArray) next_index = g_array_new (FALSE, TRUE, sizeof (guint));

  for (guint s = 0; s < ids->len; s++)
    {
      const char *start = g_ptr_array_index (ids, s);

      if (g_hash_table_contains (state, start))
        continue;

      g_ptr_array_add (path, (gpointer) start);
      g_array_set_size (next_index, 1);
      g_array_index (next_index, guint, 0) = 0;
      g_hash_table_insert (state, (gpointer) start, GUINT_TO_POINTER (1));

      while (path->len > 0)
        {
          const char *id = g_ptr_array_index (path, path->len - 1);
          GPtrArray *succ = g_hash_table_lookup (successors, id);
          guint *k = &g_array_index (next_index, guint, path->len - 1);

          if (succ != NULL && *k < succ->len)
            {
              const char *next = g_ptr_array_index (succ, (*k)++);
              guint st = GPOINTER_TO_UINT (g_hash_table_lookup (state, next));

              if (st == 1)
                {
                  GPtrArray *cycle = g_ptr_array_new ();
                  guint from = 0;

                  while (!g_str_equal (g_ptr_array_index (path, from), next))
                    from++;
                  for (guint i = from; i < path->len; i++)
                    g_ptr_array_add (cycle, g_ptr_array_index (path, i));
                  return cycle;
                }
              if (st == 0)
                {
                  g_hash_table_insert (state, (gpointer) next, GUINT_TO_POINTER (1));
                  g_ptr_array_add (path, (gpointer) next);
                  g_array_set_size (next_index, path->len);
                  g_array_index (next_index, guint, path->len - 1) = 0;
                }
            }
          else
            {
              g_hash_table_insert (state, (gpointer) id, GUINT_TO_POINTER (2));
              g_ptr_array_set_size (path, path->len - 1);
              g_array_set_size (next_index, path->len);
            }
        }
    }
  return NULL;
}

GPtrArray *
sluice_pipeline_validate (SluicePipeline *self,
                          GListModel     *datasets)
{
  Check c = { self, g_ptr_array_new_with_free_func (g_object_unref) };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) fed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) successors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                            (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) dataset_names = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GListModel *gems, *edges;
  guint n_gems, n_edges;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), c.out);

  if (self->load_error != NULL)
    return c.out;

  if (datasets != NULL)
    {
      dataset_names = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
        {
          g_autoptr(SluiceDataset) ds = g_list_model_get_item (datasets, i);
          g_hash_table_add (dataset_names, (gpointer) sluice_dataset_get_name (ds));
        }
    }

  gems = G_LIST_MODEL (self->gems);
  edges = G_LIST_MODEL (self->edges);
  n_gems = g_list_model_get_n_items (gems);
  n_edges = g_list_model_get_n_items (edges);

  /* Gems: ids, types, ports, configuration. */
  for (guint i = 0; i < n_gems; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      const char *id = sluice_gem_get_id (gem);
      SluiceGemType *type = sluice_gem_get_gem_type (gem);
      g_autofree char *path = g_strdup_printf ("gems/%s", id);
      g_autofree char *by_index = g_strdup_printf ("gems/#%u", i);
      g_autoptr(GHashTable) port_names = g_hash_table_new (g_str_hash, g_str_equal);
      const char * const *inputs = _sluice_gem_peek_inputs (gem);
      guint n_inputs = g_strv_length ((char **) inputs);

      if (!g_hash_table_add (seen, (gpointer) id))
        {
          report (&c, by_index, id, "id", _("duplicate gem id “%s”"), id);
          continue;
        }
      g_ptr_array_add (ids, (gpointer) id);

      if (!sluice_gem_id_is_valid (id))
        report (&c, path, id, "id",
                _("gem id “%s” is not valid: use lower-case letters, digits and underscores, "
                  "starting with a letter, at most %d characters"), id, SLUICE_GEM_ID_MAX);

      if (type == NULL)
        {
          g_autofree char *type_path = g_strdup_printf ("%s/type", path);
          report (&c, type_path, id, "type", _("gem “%s”: unknown gem type “%s”"),
                  id, sluice_gem_get_type_name (gem));
          continue;
        }

      for (guint p = 0; p < n_inputs; p++)
        {
          const char *name = inputs[p];
          g_autofree char *inputs_path = g_strdup_printf ("%s/inputs", path);

          if (!sluice_port_name_is_valid (name))
            report (&c, inputs_path, id, "inputs", _("gem “%s”: “%s” is not a valid input name"), id, name);
          else if (!g_hash_table_add (port_names, (gpointer) name))
            report (&c, inputs_path, id, "inputs", _("gem “%s”: input “%s” is listed twice"), id, name);
        }
      if (n_inputs < sluice_gem_type_get_min_inputs (type) || n_inputs > sluice_gem_type_get_max_inputs (type))
        {
          g_autofree char *inputs_path = g_strdup_printf ("%s/inputs", path);
          guint min = sluice_gem_type_get_min_inputs (type), max = sluice_gem_type_get_max_inputs (type);

          if (max == G_MAXUINT)
            report (&c, inputs_path, id, "inputs",
                    _("gem “%s”: a %s gem takes at least %u inputs, not %u"),
                    id, sluice_gem_type_get_name (type), min, n_inputs);
          else
            report (&c, inputs_path, id, "inputs",
                    g_dngettext (GETTEXT_PACKAGE, "gem “%s”: a %s gem takes %u input, not %u",
                                 "gem “%s”: a %s gem takes %u inputs, not %u", max),
                    id, sluice_gem_type_get_name (type), max, n_inputs);
        }

      for (const SluiceConfigField *f = sluice_gem_type_get_fields (type); f->name; f++)
        {
          g_autofree char *field_path = g_strdup_printf ("%s/config/%s", path, f->name);
          JsonNode *value = sluice_gem_get_config (gem, f->name);

          check_field (&c, gem, field_path, f->name, f, value);

          if (f->kind == SLUICE_FIELD_DATASET && dataset_names != NULL && is_string (value) &&
              *json_node_get_string (value) != '\0' &&
              !g_hash_table_contains (dataset_names, json_node_get_string (value)))
            report (&c, field_path, id, f->name, _("gem “%s”: there is no dataset “%s” in the project"),
                    id, json_node_get_string (value));
        }
    }

  /* Edges: ends exist, direction, one wire per input; then cycles. */
  for (guint i = 0; i < n_edges; i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (edges, i);
      const char *from = sluice_edge_get_from_gem (edge), *to = sluice_edge_get_to_gem (edge);
      const char *from_port = sluice_edge_get_from_port (edge), *to_port = sluice_edge_get_to_port (edge);
      SluiceGem *from_gem = sluice_pipeline_find_gem (self, from);
      SluiceGem *to_gem = sluice_pipeline_find_gem (self, to);
      g_autofree char *path = g_strdup_printf ("edges/%s.%s>%s.%s", from, from_port, to, to_port);
      g_autofree char *what = sluice_edge_describe (edge);
      g_autofree char *input = g_strdup_printf ("%s.%s", to, to_port);
      gboolean ok = TRUE;
      GPtrArray *succ;

      if (from_gem == NULL)
        {
          report (&c, path, NULL, NULL, _("edge %s: there is no gem “%s”"), what, from);
          ok = FALSE;
        }
      else if (!sluice_gem_has_port (from_gem, SLUICE_PORT_OUTPUT, from_port))
        {
          if (sluice_gem_has_port (from_gem, SLUICE_PORT_INPUT, from_port))
            report (&c, path, from, NULL, _("edge %s starts at an input; edges go from an output to an input"), what);
          else
            report (&c, path, from, NULL, _("edge %s: gem “%s” has no output “%s”"), what, from, from_port);
          ok = FALSE;
        }

      if (to_gem == NULL)
        {
          report (&c, path, NULL, NULL, _("edge %s: there is no gem “%s”"), what, to);
          ok = FALSE;
        }
      else if (!sluice_gem_has_port (to_gem, SLUICE_PORT_INPUT, to_port))
        {
          if (sluice_gem_has_port (to_gem, SLUICE_PORT_OUTPUT, to_port))
            report (&c, path, to, NULL, _("edge %s ends at an output; edges go from an output to an input"), what);
          else
            report (&c, path, to, NULL, _("edge %s: gem “%s” has no input “%s”"), what, to, to_port);
          ok = FALSE;
        }

      if (!ok)
        continue;

      if (g_hash_table_contains (fed, input))
        {
          report (&c, path, to, NULL, _("input “%s” of gem “%s” has more than one edge"), to_port, to);
          continue;
        }
      g_hash_table_add (fed, g_steal_pointer (&input));

      succ = g_hash_table_lookup (successors, from);
      if (succ == NULL)
        {
          succ = g_ptr_array_new ();
          g_hash_table_insert (successors, (gpointer) from, succ);
        }
      g_ptr_array_add (succ, (gpointer) to);
    }

  /* Every input needs its wire. */
  for (guint i = 0; i < n_gems; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      const char *id = sluice_gem_get_id (gem);
      const char * const *inputs = _sluice_gem_peek_inputs (gem);

      if (sluice_pipeline_find_gem (self, id) != gem || sluice_gem_get_gem_type (gem) == NULL)
        continue;
      for (guint p = 0; inputs[p]; p++)
        {
          g_autofree char *input = g_strdup_printf ("%s.%s", id, inputs[p]);
          g_autofree char *path = g_strdup_printf ("gems/%s", id);

          if (!g_hash_table_contains (fed, input))
            report (&c, path, id, NULL, _("gem “%s”: input “%s” is not connected"), id, inputs[p]);
        }
    }

  /* Report each cycle once, then break it and look for more. */
  for (;;)
    {
      g_autoptr(GPtrArray) cycle = find_cycle (successors, ids);
      g_autoptr(GString) chain = g_string_new (NULL);
      g_autofree char *path = NULL;
      const char *last, *first;
      GPtrArray *succ;

      if (cycle == NULL)
        break;
      for (guint i = 0; i < cycle->len; i++)
        {
          g_string_append (chain, g_ptr_array_index (cycle, i));
          g_string_append (chain, " → ");
        }
      g_string_append (chain, g_ptr_array_index (cycle, 0));
      first = g_ptr_array_index (cycle, 0);
      path = g_strdup_printf ("gems/%s", first);
      report (&c, path, first, NULL, _("the gems %s form a cycle"), chain->str);

      /* Cut the edge that closes it. */
      last = g_ptr_array_index (cycle, cycle->len - 1);
      succ = g_hash_table_lookup (successors, last);
      for (guint i = 0; succ && i < succ->len; i++)
        if (g_str_equal (g_ptr_array_index (succ, i), first))
          {
            g_ptr_array_remove_index (succ, i);
            break;
          }
    }

  g_ptr_array_sort (c.out, sluice_diagnostic_compare);
  return c.out;
}
