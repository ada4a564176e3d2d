#define G_LOG_DOMAIN "sluice-pyspark-interactive"

#include "config.h"

#include <string.h>

#include "sluice-codegen-private.h"
#include "sluice-pyspark-interactive.h"
#include "sluice-sql-writer.h"

typedef struct
{
  char *gem_id;
  char *code;
} Step;

struct _SluicePySparkInteractive
{
  char   *prelude;   /* owned */
  GArray *steps;     /* Step, owned */
};

static void
step_clear (gpointer data)
{
  Step *s = data;

  g_free (s->gem_id);
  g_free (s->code);
}

/* The helpers every gem statement calls. A gem's rows are counted and
 * sampled by Spark (count(), then limit().collect()); values that JSON has
 * no type for become their text, so the client never sees Python reprs. */
static const char prelude_helpers[] =
  "import json as _sluice_json\n"
  "import traceback as _sluice_traceback\n"
  "\n"
  "from pyspark.sql import Window\n"
  "from pyspark.sql import functions as F\n"
  "\n"
  "\n"
  "def _sluice_value(value):\n"
  "    if value is None or isinstance(value, (bool, int, str)):\n"
  "        return value\n"
  "    if isinstance(value, float):\n"
  "        return value if value == value and abs(value) != float('inf') else str(value)\n"
  "    if isinstance(value, (bytes, bytearray)):\n"
  "        return value.hex()\n"
  "    return str(value)\n"
  "\n"
  "\n"
  "def _sluice_report(gem, df, output=None):\n"
  "    rows = df.limit(_SLUICE_SAMPLE).collect()\n"
  "    report = {'gem': gem, 'rows': df.count(),\n"
  "              'schema': [[name, kind] for name, kind in df.dtypes],\n"
  "              'sample': [[_sluice_value(v) for v in row] for row in rows]}\n"
  "    if output is not None:\n"
  "        report['output'] = output\n"
  "    print('" SLUICE_PYSPARK_MARKER "' + _sluice_json.dumps(report))\n"
  "\n"
  "\n"
  "def _sluice_fail(gem, error):\n"
  "    print('" SLUICE_PYSPARK_MARKER "' + _sluice_json.dumps({\n"
  "        'gem': gem, 'error': '%s: %s' % (type(error).__name__, error),\n"
  "        'traceback': _sluice_traceback.format_exc()}))\n";

static SluiceDataset *
dataset_named (GListModel *datasets,
               const char *name)
{
  for (guint i = 0; name && datasets && i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (datasets, i);
      if (g_str_equal (sluice_dataset_get_name (d), name))
        return d;   /* the model keeps it alive */
    }
  return NULL;
}

SluicePySparkInteractive *
sluice_pyspark_interactive_new (SluicePipeline *pipeline,
                                GListModel     *datasets,
                                SluiceResolver *resolver,
                                const char     *until_gem,
                                guint           sample_limit,
                                GPtrArray      *problems)
{
  SluicePySparkInteractive *self;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) prelude = g_string_new (NULL);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) module = g_string_new (NULL);
  g_autoptr(GString) import_line = g_string_new (NULL);
  g_autoptr(GString) run_line = g_string_new (NULL);
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autofree char *package = NULL;
  g_autofree char *header = NULL;
  SluicePySparkGen g = { pipeline, datasets, resolver, problems, NULL, NULL, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  package = _sluice_pyspark_package_name (pipeline);
  header = g_strdup_printf ("# Written by Sluice from %s; edit the pipeline, not this file.\n",
                            sluice_pipeline_get_file (pipeline));
  g.package = package;
  g.header = header;
  g.scratch = scratch;

  self = g_new0 (SluicePySparkInteractive, 1);
  self->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->steps, step_clear);

  g_string_append_printf (prelude, "# Written by Sluice: an interactive run of %s, one statement per gem.\n",
                          sluice_pipeline_get_file (pipeline));
  g_string_append (prelude, prelude_helpers);
  g_string_append_printf (prelude, "\n\n_SLUICE_SAMPLE = %u\n", sample_limit);

  order = until_gem ? _sluice_codegen_order (pipeline, until_gem, TRUE) : _sluice_codegen_order (pipeline, NULL, FALSE);
  for (guint i = 0; i < order->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (order, i);
      const char *id = sluice_gem_get_id (gem);
      g_autofree char *quoted_id = sluice_python_quote_string (id);
      g_autofree char *fn = _sluice_pyspark_py_name (id);
      GString *code = g_string_new ("try:\n");
      Step step;

      g_string_truncate (path, 0);
      g_string_truncate (module, 0);
      g_string_truncate (import_line, 0);
      g_string_truncate (run_line, 0);
      _sluice_pyspark_write_gem (&g, gem, path, module, import_line, run_line);
      /* The module as the package has it: its imports repeat the
       * prelude's, which Python takes as a no-op. */
      g_string_append (prelude, "\n\n");
      g_string_append_len (prelude, module->str, module->len);

      g_string_append_len (code, run_line->str, run_line->len);
      if (g_str_equal (sluice_gem_get_type_name (gem), "Target"))
        {
          GPtrArray *in = sluice_pipeline_peek_edges_of (pipeline, id, SLUICE_PORT_INPUT);
          SluiceDataset *d = dataset_named (datasets, sluice_gem_get_config_string (gem, "dataset"));
          g_autofree char *from = in && in->len ? _sluice_pyspark_py_name (sluice_edge_get_from_gem (g_ptr_array_index (in, 0)))
                                                : g_strdup ("None");
          g_autofree char *location = sluice_python_quote_string (d ? sluice_dataset_get_location (d) : "");

          g_string_append_printf (code, "    _sluice_report(%s, %s%s, %s)\n", quoted_id, from,
                                  in && in->len ? "_out" : "", location);
        }
      else
        g_string_append_printf (code, "    _sluice_report(%s, %s_out)\n", quoted_id, fn);
      g_string_append_printf (code, "except Exception as _sluice_error:\n"
                                    "    _sluice_fail(%s, _sluice_error)\n", quoted_id);
      step.gem_id = g_strdup (id);
      step.code = g_string_free (code, FALSE);
      g_array_append_val (self->steps, step);
    }
  self->prelude = g_string_free (g_steal_pointer (&prelude), FALSE);
  return self;
}

void
sluice_pyspark_interactive_free (SluicePySparkInteractive *self)
{
  if (self == NULL)
    return;
  g_free (self->prelude);
  g_array_unref (self->steps);
  g_free (self);
}

const char *
sluice_pyspark_interactive_get_prelude (SluicePySparkInteractive *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->prelude;
}

guint
sluice_pyspark_interactive_get_n_steps (SluicePySparkInteractive *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->steps->len;
}

const char *
sluice_pyspark_interactive_get_step_gem (SluicePySparkInteractive *self,
                                         guint                     i)
{
  g_return_val_if_fail (self != NULL && i < self->steps->len, NULL);
  return g_array_index (self->steps, Step, i).gem_id;
}

const char *
sluice_pyspark_interactive_get_step_code (SluicePySparkInteractive *self,
                                          guint                     i)
{
  g_return_val_if_fail (self != NULL && i < self->steps->len, NULL);
  return g_array_index (self->steps, Step, i).code;
}

char *
sluice_pyspark_interactive_get_program (SluicePySparkInteractive *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  out = g_string_new (self->prelude);
  for (guint i = 0; i < self->steps->len; i++)
    {
      g_string_append (out, "\n\n");
      g_string_append (out, g_array_index (self->steps, Step, i).code);
    }
  return g_string_free (out, FALSE);
}
