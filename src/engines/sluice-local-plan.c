#define G_LOG_DOMAIN "sluice-local-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-engine-error.h"
#include "sluice-local-plan.h"
#include "sluice-sql-generator.h"

static void
column_clear (gpointer data)
{
  g_free (((SluiceColumn *) data)->name);
}

static void
step_clear (gpointer data)
{
  SluiceLocalStep *s = data;

  g_free (s->gem_id);
  g_free (s->sql);
  g_clear_pointer (&s->columns, g_array_unref);
  g_clear_object (&s->dataset);
  g_free (s->input_gem);
  g_free (s->output_path);
  g_free (s->output_format);
  g_clear_pointer (&s->output_options, json_object_unref);
}

void
sluice_local_plan_free (SluiceLocalPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->project_dir);
  g_array_unref (plan->steps);
  g_free (plan);
}

GStrv
sluice_local_plan_gems (SluiceLocalPlan *plan)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < plan->steps->len; i++)
    g_strv_builder_add (b, g_array_index (plan->steps, SluiceLocalStep, i).gem_id);
  return g_strv_builder_end (b);
}

/* A min-heap of file positions: Kahn's algorithm takes the ready gem that
 * comes first in the file, so the order is stable and linear-logarithmic
 * however the file lists the gems. */
static void
heap_push (GArray *heap,
           guint   v)
{
  guint i = heap->len;

  g_array_append_val (heap, v);
  while (i > 0 && g_array_index (heap, guint, (i - 1) / 2) > g_array_index (heap, guint, i))
    {
      guint parent = (i - 1) / 2;
      guint t = g_array_index (heap, guint, parent);
      g_array_index (heap, guint, parent) = g_array_index (heap, guint, i);
      g_array_index (heap, guint, i) = t;
      i = parent;
    }
}

static guint
heap_pop (GArray *heap)
{
  guint top = g_array_index (heap, guint, 0);
  guint i = 0;

  g_array_index (heap, guint, 0) = g_array_index (heap, guint, heap->len - 1);
  g_array_set_size (heap, heap->len - 1);
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      if (l < heap->len && g_array_index (heap, guint, l) < g_array_index (heap, guint, m))
        m = l;
      if (r < heap->len && g_array_index (heap, guint, r) < g_array_index (heap, guint, m))
        m = r;
      if (m == i)
        break;
      {
        guint t = g_array_index (heap, guint, m);
        g_array_index (heap, guint, m) = g_array_index (heap, guint, i);
        g_array_index (heap, guint, i) = t;
      }
      i = m;
    }
  return top;
}

/* The gems to run (all, or what @until needs and @until), upstream first,
 * and their ids in @needed_ids (borrowed). Gems on a cycle are needed but
 * never ordered. (transfer container) of SluiceGem; NULL if @until is not a
 * gem. */
static GPtrArray *
run_order (SluicePipeline *p,
           const char     *until,
           GHashTable     *needed_ids)
{
  GListModel *gems = sluice_pipeline_get_gems (p);
  guint n = g_list_model_get_n_items (gems);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);   /* id → position + 1 */
  g_autofree gboolean *needed = g_new0 (gboolean, n);
  g_autofree guint *waiting = g_new0 (guint, n);
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *order = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_hash_table_insert (index, (gpointer) sluice_gem_get_id (gem), GUINT_TO_POINTER (i + 1));
      needed[i] = until == NULL;
    }
  if (until)
    {
      g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, until));

      if (at == 0)
        {
          g_ptr_array_unref (order);
          return NULL;
        }
      at--;
      g_array_append_val (stack, at);
      while (stack->len)
        {
          guint i = g_array_index (stack, guint, stack->len - 1);
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          g_autoptr(GPtrArray) in = NULL;

          g_array_set_size (stack, stack->len - 1);
          if (needed[i])
            continue;
          needed[i] = TRUE;
          in = sluice_pipeline_get_edges_of (p, sluice_gem_get_id (gem), SLUICE_PORT_INPUT);
          for (guint k = 0; k < in->len; k++)
            {
              guint up = GPOINTER_TO_UINT (g_hash_table_lookup (index, sluice_edge_get_from_gem (g_ptr_array_index (in, k))));
              if (up)
                {
                  up--;
                  g_array_append_val (stack, up);
                }
            }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) gem = NULL;
      g_autoptr(GPtrArray) in = NULL;

      if (!needed[i])
        continue;
      gem = g_list_model_get_item (gems, i);
      g_hash_table_add (needed_ids, (gpointer) sluice_gem_get_id (gem));
      in = sluice_pipeline_get_edges_of (p, sluice_gem_get_id (gem), SLUICE_PORT_INPUT);
      for (guint k = 0; k < in->len; k++)
        if (g_hash_table_contains (index, sluice_edge_get_from_gem (g_ptr_array_index (in, k))))
          waiting[i]++;
      if (waiting[i] == 0)
        heap_push (heap, i);
    }
  while (heap->len)
    {
      guint i = heap_pop (heap);
      SluiceGem *gem = g_list_model_get_item (gems, i);
      g_autoptr(GPtrArray) out = sluice_pipeline_get_edges_of (p, sluice_gem_get_id (gem), SLUICE_PORT_OUTPUT);

      g_ptr_array_add (order, gem);
      for (guint k = 0; k < out->len; k++)
        {
          guint down = GPOINTER_TO_UINT (g_hash_table_lookup (index, sluice_edge_get_to_gem (g_ptr_array_index (out, k))));
          if (down && needed[down - 1] && --waiting[down - 1] == 0)
            heap_push (heap, down - 1);
        }
    }
  /* Gems on a cycle never become ready: the caller compares the counts. */
  return order;
}

static void
add_problem (SluiceRun        *run,
             SluiceDiagnostic *d,
             guint            *n_errors)
{
  if (sluice_diagnostic_get_severity (d) != SLUICE_SEVERITY_ERROR)
    return;
  sluice_run_add_problem (run, d);
  (*n_errors)++;
}

static void
add_message (SluiceRun  *run,
             const char *file,
             const char *gem_id,
             const char *message,
             guint      *n_errors)
{
  g_autoptr(SluiceDiagnostic) d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, file, 0, 0, message);

  if (gem_id)
    sluice_diagnostic_set_subject (d, gem_id, NULL);
  add_problem (run, d, n_errors);
}

static SluiceDataset *
find_dataset (GListModel *datasets,
              const char *name)
{
  for (guint i = 0; name && i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (datasets, i);
      if (g_str_equal (sluice_dataset_get_name (d), name))
        return d;   /* the list keeps its reference */
    }
  return NULL;
}

static GArray *
copy_columns (GArray *schema)
{
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (SluiceColumn));

  g_array_set_clear_func (copy, column_clear);
  for (guint i = 0; schema && i < schema->len; i++)
    {
      SluiceColumn c = g_array_index (schema, SluiceColumn, i);
      c.name = g_strdup (c.name);
      g_array_append_val (copy, c);
    }
  return copy;
}

/* How a local run writes (and reads back) dataset @d: a CSV dataset's own
 * options (delimiter, quote, null value), always with a header so the file
 * reads back by name; JSON lines need none. */
static JsonObject *
output_options (SluiceDataset *d)
{
  JsonObject *options = json_object_new ();
  JsonObject *own = sluice_dataset_get_options (d);

  if (g_str_equal (sluice_dataset_get_format (d), "jsonl"))
    return options;
  if (own && g_str_equal (sluice_dataset_get_format (d), "csv"))
    {
      g_autoptr(GList) members = json_object_get_members (own);
      for (GList *m = members; m; m = m->next)
        json_object_set_member (options, m->data, json_node_copy (json_object_get_member (own, m->data)));
    }
  json_object_set_boolean_member (options, "header", TRUE);
  return options;
}

/* What a local run's Target wrote for @d under .sluice/output, as a dataset
 * whose sample is that file; NULL when there is none. */
static SluiceDataset *
dataset_from_output (SluiceDataset *d,
                     const char    *project_dir)
{
  gboolean jsonl = g_str_equal (sluice_dataset_get_format (d), "jsonl");
  g_autofree char *base = g_strconcat (sluice_dataset_get_name (d), jsonl ? ".jsonl" : ".csv", NULL);
  g_autofree char *relative = g_build_filename (".sluice", "output", base, NULL);
  g_autofree char *path = g_build_filename (project_dir, relative, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) options = output_options (d);
  gsize len;
  char *text;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, SLUICE_FORMAT_VERSION);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, jsonl ? "jsonl" : "csv");
  json_builder_set_member_name (b, "location");
  json_builder_add_string_value (b, sluice_dataset_get_location (d));
  json_builder_set_member_name (b, "sample");
  json_builder_add_string_value (b, relative);
  json_builder_set_member_name (b, "options");
  json_builder_add_value (b, json_node_init_object (json_node_alloc (), options));
  json_builder_set_member_name (b, "schema");
  json_builder_begin_array (b);
  for (guint i = 0; i < sluice_dataset_get_n_columns (d); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, sluice_dataset_get_column_name (d, i));
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sluice_dataset_get_column_type (d, i));
      json_builder_set_member_name (b, "nullable");
      json_builder_add_boolean_value (b, sluice_dataset_get_column_nullable (d, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  bytes = g_bytes_new_take (text, len);
  return sluice_dataset_load_from_bytes (sluice_dataset_get_name (d), sluice_dataset_get_file (d), bytes, NULL, NULL);
}

/* The dataset Source @gem loads, checked, once per dataset (a reference);
 * NULL, with problems, when it cannot be loaded. */
static SluiceDataset *
source_dataset (SluiceRun   *run,
                SluiceGem   *gem,
                GListModel  *datasets,
                const char  *project_dir,
                GHashTable  *seen,
                guint       *n_errors)
{
  SluiceDataset *d = find_dataset (datasets, sluice_gem_get_config_string (gem, "dataset"));
  g_autoptr(SluiceDataset) loaded = NULL;
  g_autoptr(GPtrArray) ds = NULL;
  g_autoptr(GFile) dir = NULL;

  g_assert (d != NULL);   /* validation checked it */
  if (g_hash_table_contains (seen, sluice_dataset_get_name (d)))
    return g_object_ref (g_hash_table_lookup (seen, sluice_dataset_get_name (d)));

  if (sluice_dataset_get_sample (d) != NULL)
    loaded = g_object_ref (d);
  /* A dataset another pipeline writes: what its last local run wrote. */
  else if ((loaded = dataset_from_output (d, project_dir)) == NULL)
    {
      g_autofree char *m = g_strdup_printf (_("dataset “%s” has no sample file and no local run has written "
                                              "it yet: give it a \"sample\", or run the pipeline that writes "
                                              "it first"), sluice_dataset_get_name (d));
      add_message (run, sluice_dataset_get_file (d), NULL, m, n_errors);
      return NULL;
    }
  dir = g_file_new_for_path (project_dir);
  ds = sluice_dataset_validate (loaded, dir);
  for (guint k = 0; k < ds->len; k++)
    add_problem (run, g_ptr_array_index (ds, k), n_errors);
  g_hash_table_insert (seen, (gpointer) sluice_dataset_get_name (loaded), g_object_ref (loaded));
  return g_steal_pointer (&loaded);
}

SluiceLocalPlan *
sluice_local_plan_new (SluiceRun  *run,
                       GError    **error)
{
  SluiceProject *project = sluice_run_get_project (run);
  SluicePipeline *p = sluice_run_get_pipeline (run);
  GListModel *datasets = sluice_project_get_datasets (project);
  const char *file = sluice_pipeline_get_file (p);
  const char *until = sluice_run_get_until_gem (run);
  g_autoptr(SluiceLocalPlan) plan = g_new0 (SluiceLocalPlan, 1);
  g_autoptr(SluiceResolver) resolver = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) structural = NULL;
  g_autoptr(GHashTable) in_run = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *output_dir = NULL;
  /* dataset name → the dataset a Source step loads */
  g_autoptr(GHashTable) datasets_seen = NULL;
  guint n_errors = 0;

  plan->project_dir = g_file_get_path (sluice_project_get_directory (project));
  datasets_seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  plan->steps = g_array_new (FALSE, TRUE, sizeof (SluiceLocalStep));
  g_array_set_clear_func (plan->steps, step_clear);
  plan->sample_limit = sluice_run_get_sample_limit (run);
  output_dir = g_build_filename (plan->project_dir, ".sluice", "output", NULL);

  if (sluice_pipeline_get_load_error (p))
    {
      add_message (run, file, NULL, sluice_pipeline_get_load_error (p)->message, &n_errors);
      goto out;
    }
  order = run_order (p, until, in_run);
  if (order == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: there is no gem “%s” in the pipeline %s"), file, until, sluice_pipeline_get_name (p));
      return NULL;
    }
  /* What keeps the gems of this run from running; problems of other gems
   * (downstream of a "run up to here") do not. */
  structural = sluice_pipeline_validate (p, datasets);
  for (guint i = 0; i < structural->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (structural, i);
      const char *gem = sluice_diagnostic_get_gem_id (d);
      if (gem == NULL || g_hash_table_contains (in_run, gem))
        add_problem (run, d, &n_errors);
    }
  if (n_errors == 0 && order->len < g_hash_table_size (in_run))
    add_message (run, file, NULL, _("the gems of the pipeline form a cycle, so there is no order to run them in"),
                 &n_errors);
  if (n_errors)
    goto out;

  resolver = sluice_resolver_new (p, datasets);
  for (guint i = 0; i < order->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (order, i);
      GPtrArray *ds = sluice_resolver_get_diagnostics (resolver, sluice_gem_get_id (gem));
      for (guint k = 0; ds && k < ds->len; k++)
        add_problem (run, g_ptr_array_index (ds, k), &n_errors);
    }
  if (n_errors)
    goto out;

  for (guint i = 0; i < order->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (order, i);
      const char *id = sluice_gem_get_id (gem);
      const char *type = sluice_gem_get_type_name (gem);
      SluiceLocalStep step = { g_strdup (id), NULL, NULL };

      if (g_str_equal (type, "Target"))
        {
          g_autoptr(GPtrArray) in = sluice_pipeline_get_edges_of (p, id, SLUICE_PORT_INPUT);
          SluiceDataset *d = find_dataset (datasets, sluice_gem_get_config_string (gem, "dataset"));
          gboolean jsonl = d && g_str_equal (sluice_dataset_get_format (d), "jsonl");
          g_autofree char *base = g_strconcat (d ? sluice_dataset_get_name (d) : id, jsonl ? ".jsonl" : ".csv", NULL);

          g_assert (in->len == 1 && d != NULL);   /* validation checked both */
          step.input_gem = g_strdup (sluice_edge_get_from_gem (g_ptr_array_index (in, 0)));
          step.columns = copy_columns (sluice_resolver_get_schema (resolver, step.input_gem));
          step.output_path = g_build_filename (output_dir, base, NULL);
          step.output_format = g_strdup (jsonl ? "jsonl" : "csv");
          /* A CSV dataset's own options (delimiter, quote, null value) are kept. */
          step.output_options = output_options (d);
        }
      else
        {
          guint before = problems->len;

          step.sql = sluice_sql_generate_gem_query (p, datasets, resolver, id, problems);
          step.columns = copy_columns (sluice_resolver_get_schema (resolver, id));
          for (guint k = before; k < problems->len; k++)
            add_message (run, file, id, g_ptr_array_index (problems, k), &n_errors);
        }
      if (g_str_equal (type, "Source"))
        step.dataset = source_dataset (run, gem, datasets, plan->project_dir, datasets_seen, &n_errors);
      g_array_append_val (plan->steps, step);
    }
  plan->n_datasets = g_hash_table_size (datasets_seen);

out:
  if (n_errors)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the pipeline has %u problem, so nothing ran",
                                "%s: the pipeline has %u problems, so nothing ran", n_errors),
                   file, n_errors);
      return NULL;
    }
  return g_steal_pointer (&plan);
}
