/* Semantic diff and three-way merge of pipeline files. */
#include "config.h"

#include <string.h>

#include "sluice-core.h"
#include "sluice-pipeline-diff.h"
#include "sluice-pipeline-merge.h"

/* Two gems and an edge; %s label of orders, %d x of recent, %s condition. */
#define PIPELINE \
  "{\n" \
  "  \"format_version\": 1,\n" \
  "  \"gems\": [\n" \
  "    {\"id\": \"orders\", \"type\": \"Source\", \"label\": \"%s\", \"position\": {\"x\": 80, \"y\": 120},\n" \
  "     \"config\": {\"dataset\": \"orders\"}},\n" \
  "    {\"id\": \"recent\", \"type\": \"Filter\", \"label\": \"Recent\", \"position\": {\"x\": %d, \"y\": 120},\n" \
  "     \"config\": {\"condition\": \"%s\"}}%s\n" \
  "  ],\n" \
  "  \"edges\": [\n" \
  "    {\"from\": \"orders.out\", \"to\": \"recent.in0\"}%s\n" \
  "  ]\n" \
  "}\n"

#define LIMIT_GEM ",\n    {\"id\": \"top\", \"type\": \"Limit\", \"label\": \"Top\", \"position\": {\"x\": 560, \"y\": 120}, \"config\": {\"limit\": 10}}"
#define LIMIT_EDGE ",\n    {\"from\": \"recent.out\", \"to\": \"top.in0\"}"

static GBytes *
pipeline (const char *label,
          int         x,
          const char *condition,
          gboolean    with_limit)
{
  char *text = g_strdup_printf (PIPELINE, label, x, condition, with_limit ? LIMIT_GEM : "",
                                with_limit ? LIMIT_EDGE : "");
  return g_bytes_new_take (text, strlen (text));
}

static GBytes *
canonical (GBytes *bytes)
{
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "p.json", bytes, diagnostics, &error);

  g_assert_no_error (error);
  return sluice_pipeline_to_bytes (p);
}

static SluicePipelineChange *
find_change (GPtrArray                *changes,
             SluicePipelineChangeKind  kind)
{
  for (guint i = 0; i < changes->len; i++)
    if (((SluicePipelineChange *) changes->pdata[i])->kind == kind)
      return changes->pdata[i];
  return NULL;
}

static void
test_diff_names_each_kind_of_change (void)
{
  g_autoptr(GBytes) a = pipeline ("Orders", 320, "amount > 1", FALSE);
  g_autoptr(GBytes) b = pipeline ("All orders", 400, "amount > 2", TRUE);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  SluicePipelineChange *c;

  changes = sluice_pipeline_diff ("a.json", a, "b.json", b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 5);

  c = find_change (changes, SLUICE_PIPELINE_CHANGE_GEM_RELABELLED);
  g_assert_cmpstr (c->gem_id, ==, "orders");
  line = sluice_pipeline_change_describe (c);
  g_assert_cmpstr (line, ==, "gem “orders” relabelled: \"Orders\" → \"All orders\"");
  g_clear_pointer (&line, g_free);

  c = find_change (changes, SLUICE_PIPELINE_CHANGE_GEM_MOVED);
  g_assert_cmpstr (c->gem_id, ==, "recent");
  c = find_change (changes, SLUICE_PIPELINE_CHANGE_CONFIG_CHANGED);
  g_assert_cmpstr (c->gem_id, ==, "recent");
  g_assert_cmpstr (c->path, ==, "config.condition");
  g_assert_cmpstr (json_node_get_string (c->old_value), ==, "amount > 1");
  g_assert_cmpstr (json_node_get_string (c->new_value), ==, "amount > 2");
  c = find_change (changes, SLUICE_PIPELINE_CHANGE_GEM_ADDED);
  g_assert_cmpstr (c->gem_id, ==, "top");
  c = find_change (changes, SLUICE_PIPELINE_CHANGE_EDGE_ADDED);
  g_assert_cmpstr (c->edge, ==, "recent.out → top.in0");

  back = sluice_pipeline_diff ("b.json", b, "a.json", a, &error);
  g_assert_nonnull (find_change (back, SLUICE_PIPELINE_CHANGE_GEM_REMOVED));
  g_assert_nonnull (find_change (back, SLUICE_PIPELINE_CHANGE_EDGE_REMOVED));
}

static void
test_diff_of_identical_files_is_empty_and_bad_files_are_named (void)
{
  g_autoptr(GBytes) a = pipeline ("Orders", 320, "amount > 1", FALSE);
  g_autoptr(GBytes) c = canonical (a);
  g_autoptr(GBytes) bad = g_bytes_new_static ("{\"format_version\": 1, \"gems\": 3}", 33);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;

  /* Formatting alone is no change. */
  changes = sluice_pipeline_diff ("a", a, "c", c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_pointer (&changes, g_ptr_array_unref);

  changes = sluice_pipeline_diff ("a", a, "pipelines/bad.json", bad, &error);
  g_assert_null (changes);
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "pipelines/bad.json:"));
}

static void
test_merge_of_different_gems_and_fields_is_clean (void)
{
  g_autoptr(GBytes) base = pipeline ("Orders", 320, "amount > 1", FALSE);
  g_autoptr(GBytes) ours = pipeline ("All orders", 320, "amount > 1", FALSE);   /* relabel one gem */
  g_autoptr(GBytes) theirs = pipeline ("Orders", 400, "amount > 2", TRUE);      /* move + edit another, add one */
  g_autoptr(GBytes) expected_raw = pipeline ("All orders", 400, "amount > 2", TRUE);
  g_autoptr(GBytes) expected = canonical (expected_raw);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autoptr(GBytes) again = NULL;

  merged = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_true (g_bytes_equal (merged, expected));

  /* Deterministic: the same inputs give the same bytes. */
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  again = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, &error);
  g_assert_true (g_bytes_equal (merged, again));
}

static void
test_merge_of_one_field_both_ways_is_a_conflict_keeping_ours (void)
{
  g_autoptr(GBytes) base = pipeline ("Orders", 320, "amount > 1", FALSE);
  g_autoptr(GBytes) ours = pipeline ("Orders", 320, "amount > 2", FALSE);
  g_autoptr(GBytes) theirs = pipeline ("Theirs", 320, "amount > 3", FALSE);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autoptr(SluicePipeline) p = NULL;
  g_autofree char *line = NULL;
  SluicePipelineConflict *c;
  const char *text;

  merged = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = conflicts->pdata[0];
  g_assert_cmpstr (c->gem_id, ==, "recent");
  g_assert_cmpstr (c->path, ==, "config.condition");
  g_assert_cmpstr (json_node_get_string (c->base), ==, "amount > 1");
  g_assert_cmpstr (json_node_get_string (c->ours), ==, "amount > 2");
  g_assert_cmpstr (json_node_get_string (c->theirs), ==, "amount > 3");
  line = sluice_pipeline_conflict_describe (c);
  g_assert_cmpstr (line, ==, "gem “recent”: config.condition: ours \"amount > 2\", theirs \"amount > 3\"");

  /* A valid pipeline: ours for the field, theirs' clean label, the list. */
  p = sluice_pipeline_load_from_bytes ("p", "p.json", merged, diagnostics, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_gem_get_config_string (sluice_pipeline_find_gem (p, "recent"), "condition"), ==, "amount > 2");
  g_assert_cmpstr (sluice_gem_get_label (sluice_pipeline_find_gem (p, "orders")), ==, "Theirs");
  text = g_bytes_get_data (merged, NULL);
  g_assert_null (strstr (text, "<<<<<<<"));
  g_assert_nonnull (strstr (text, "\"merge_conflicts\": [\n"));
  g_assert_nonnull (strstr (text, "\"theirs\": \"amount > 3\""));
}

static void
test_merge_of_removed_and_changed_gem_is_a_conflict (void)
{
  g_autoptr(GBytes) base = pipeline ("Orders", 320, "amount > 1", TRUE);
  g_autoptr(GBytes) ours = pipeline ("Orders", 320, "amount > 1", FALSE);   /* removes top and its edge */
  g_autoptr(GBytes) theirs_raw = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autofree char *theirs_text = g_strdup_printf (PIPELINE, "Orders", 320, "amount > 1",
                                                  ",\n    {\"id\": \"top\", \"type\": \"Limit\", \"label\": \"Top 5\", \"position\": {\"x\": 560, \"y\": 120}, \"config\": {\"limit\": 5}}",
                                                  LIMIT_EDGE);

  theirs_raw = g_bytes_new (theirs_text, strlen (theirs_text));
  merged = sluice_pipeline_merge (base, ours, theirs_raw, FALSE, &conflicts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((SluicePipelineConflict *) conflicts->pdata[0])->gem_id, ==, "top");
  g_assert_cmpstr (((SluicePipelineConflict *) conflicts->pdata[0])->path, ==, "");
  /* Ours kept: the gem stays removed, and so does its edge. */
  g_assert_null (strstr (g_bytes_get_data (merged, NULL), "\"top\""));

  /* Removed on one side, untouched on the other: removed, cleanly. */
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, g_bytes_unref);
  merged = sluice_pipeline_merge (base, base, ours, FALSE, &conflicts, &error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_null (strstr (g_bytes_get_data (merged, NULL), "top.in0"));
}

static void
test_merge_of_two_wires_into_one_input_is_a_conflict (void)
{
  const char *base_text = "{\"format_version\": 1, \"gems\": ["
    "{\"id\": \"a\", \"type\": \"Source\", \"label\": \"A\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"a\"}},"
    "{\"id\": \"b\", \"type\": \"Source\", \"label\": \"B\", \"position\": {\"x\": 0, \"y\": 100}, \"config\": {\"dataset\": \"b\"}},"
    "{\"id\": \"f\", \"type\": \"Filter\", \"label\": \"F\", \"position\": {\"x\": 200, \"y\": 0}, \"config\": {\"condition\": \"true\"}}"
    "], \"edges\": []}";
  g_autofree char *ours_text = g_strdup (base_text);
  g_autofree char *theirs_text = g_strdup (base_text);
  g_autoptr(GBytes) base = g_bytes_new_static (base_text, strlen (base_text));
  g_autoptr(GBytes) ours = NULL;
  g_autoptr(GBytes) theirs = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  char *p;

  p = strstr (ours_text, "\"edges\": []");
  {
    char *t = g_strdup_printf ("%.*s\"edges\": [{\"from\": \"a.out\", \"to\": \"f.in0\"}]}", (int) (p - ours_text), ours_text);
    ours = g_bytes_new_take (t, strlen (t));
    t = g_strdup_printf ("%.*s\"edges\": [{\"from\": \"b.out\", \"to\": \"f.in0\"}]}", (int) (p - ours_text), theirs_text);
    theirs = g_bytes_new_take (t, strlen (t));
  }
  merged = sluice_pipeline_merge (base, ours, theirs, FALSE, &conflicts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((SluicePipelineConflict *) conflicts->pdata[0])->path, ==, "edges:f.in0");
  g_assert_nonnull (strstr (g_bytes_get_data (merged, NULL), "{\"from\": \"a.out\", \"to\": \"f.in0\"}"));
  g_assert_null (strstr (g_bytes_get_data (merged, NULL), "b.out"));
}

static void
test_merge_with_no_base_treats_both_as_added (void)
{
  g_autoptr(GBytes) ours = pipeline ("Orders", 320, "amount > 1", FALSE);
  g_autoptr(GBytes) theirs = pipeline ("Orders", 320, "amount > 1", TRUE);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = sluice_pipeline_merge (NULL, ours, theirs, FALSE, &conflicts, &error);
  g_autoptr(GBytes) expected = canonical (theirs);

  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_true (g_bytes_equal (merged, expected));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/pipeline-diff/names-each-kind-of-change", test_diff_names_each_kind_of_change);
  g_test_add_func ("/sluice/core/pipeline-diff/identical-files-are-empty-and-bad-files-are-named",
                   test_diff_of_identical_files_is_empty_and_bad_files_are_named);
  g_test_add_func ("/sluice/core/pipeline-merge/different-gems-and-fields-merge-cleanly",
                   test_merge_of_different_gems_and_fields_is_clean);
  g_test_add_func ("/sluice/core/pipeline-merge/one-field-both-ways-is-a-conflict-keeping-ours",
                   test_merge_of_one_field_both_ways_is_a_conflict_keeping_ours);
  g_test_add_func ("/sluice/core/pipeline-merge/removed-and-changed-gem-is-a-conflict",
                   test_merge_of_removed_and_changed_gem_is_a_conflict);
  g_test_add_func ("/sluice/core/pipeline-merge/two-wires-into-one-input-is-a-conflict",
                   test_merge_of_two_wires_into_one_input_is_a_conflict);
  g_test_add_func ("/sluice/core/pipeline-merge/no-base-treats-both-as-added",
                   test_merge_with_no_base_treats_both_as_added);
  return g_test_run ();
}
