/* Resolving the conflicts a three-way merge left in a pipeline file. */
#include "config.h"

#include <string.h>

#include "sluice-core.h"
#include "sluice-pipeline-merge.h"
#include "sluice-pipeline-resolve.h"

/* %s label of orders, %s condition of recent, then the Limit gem and its edge. */
#define PIPELINE \
  "{\n" \
  "  \"format_version\": 1,\n" \
  "  \"gems\": [\n" \
  "    {\"id\": \"orders\", \"type\": \"Source\", \"label\": \"%s\", \"position\": {\"x\": 80, \"y\": 120},\n" \
  "     \"config\": {\"dataset\": \"orders\"}},\n" \
  "    {\"id\": \"recent\", \"type\": \"Filter\", \"label\": \"Recent\", \"position\": {\"x\": 320, \"y\": 120},\n" \
  "     \"config\": {\"condition\": \"%s\"}}%s\n" \
  "  ],\n" \
  "  \"edges\": [\n" \
  "    {\"from\": \"orders.out\", \"to\": \"recent.in0\"}%s\n" \
  "  ]\n" \
  "}\n"

#define LIMIT_GEM ",\n    {\"id\": \"top\", \"type\": \"Limit\", \"label\": \"Top\", \"position\": {\"x\": 560, \"y\": 120}, \"config\": {\"limit\": %d}}"
#define LIMIT_EDGE ",\n    {\"from\": \"recent.out\", \"to\": \"top.in0\"}"

static GBytes *
pipeline (const char *label,
          const char *condition,
          int         limit)
{
  g_autofree char *gem = limit ? g_strdup_printf (LIMIT_GEM, limit) : g_strdup ("");
  char *text = g_strdup_printf (PIPELINE, label, condition, gem, limit ? LIMIT_EDGE : "");

  return g_bytes_new_take (text, strlen (text));
}

static char *
canonical (GBytes *bytes)
{
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "p.json", bytes, diagnostics, &error);
  g_autoptr(GBytes) out = NULL;

  g_assert_no_error (error);
  out = sluice_pipeline_to_bytes (p);
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

static GBytes *
merged (GBytes *base,
        GBytes *ours,
        GBytes *theirs,
        guint   n_expected)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *result = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, n_expected);
  return result;
}

static char *
text_of (GBytes *bytes)
{
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_each_field_takes_the_side_picked (void)
{
  g_autoptr(GBytes) base = pipeline ("Orders", "amount > 1", 10);
  g_autoptr(GBytes) ours = pipeline ("Our orders", "amount > 2", 10);
  g_autoptr(GBytes) theirs = pipeline ("Their orders", "amount > 3", 10);
  g_autoptr(GBytes) file = merged (base, ours, theirs, 2);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean label_theirs[2];
  SluicePipelineConflict *c;

  conflicts = sluice_pipeline_read_conflicts ("p.json", file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 2);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (c->gem_id, ==, "orders");
  g_assert_cmpstr (c->path, ==, "label");
  g_assert_cmpstr (json_node_get_string (c->base), ==, "Orders");
  g_assert_cmpstr (json_node_get_string (c->ours), ==, "Our orders");
  g_assert_cmpstr (json_node_get_string (c->theirs), ==, "Their orders");
  c = g_ptr_array_index (conflicts, 1);
  g_assert_cmpstr (c->gem_id, ==, "recent");
  g_assert_cmpstr (c->path, ==, "config.condition");

  /* Theirs for the label, ours for the condition. */
  label_theirs[0] = TRUE;
  label_theirs[1] = FALSE;
  {
    g_autoptr(GBytes) resolved = sluice_pipeline_resolve_conflicts ("p.json", file, label_theirs, 2, &error);
    g_autoptr(GBytes) expected_bytes = pipeline ("Their orders", "amount > 2", 10);
    g_autofree char *expected = canonical (expected_bytes);
    g_autofree char *got = NULL;

    g_assert_no_error (error);
    got = text_of (resolved);
    g_assert_cmpstr (got, ==, expected);
    g_assert_null (strstr (got, "merge_conflicts"));
  }
  /* Ours everywhere is the file without its list. */
  label_theirs[0] = FALSE;
  {
    g_autoptr(GBytes) resolved = sluice_pipeline_resolve_conflicts ("p.json", file, label_theirs, 2, &error);
    g_autofree char *expected = canonical (ours);
    g_autofree char *got = NULL;

    g_assert_no_error (error);
    got = text_of (resolved);
    g_assert_cmpstr (got, ==, expected);
  }
}

/* Ours removed the gem, theirs changed it: theirs brings it back. */
static void
test_a_removed_gem_can_come_back (void)
{
  g_autoptr(GBytes) base = pipeline ("Orders", "amount > 1", 10);
  g_autoptr(GBytes) ours = pipeline ("Orders", "amount > 1", 0);
  g_autoptr(GBytes) theirs = pipeline ("Orders", "amount > 1", 25);
  g_autoptr(GBytes) file = merged (base, ours, theirs, 1);
  g_autoptr(GBytes) resolved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  gboolean take = TRUE;

  resolved = sluice_pipeline_resolve_conflicts ("p.json", file, &take, 1, &error);
  g_assert_no_error (error);
  got = text_of (resolved);
  g_assert_nonnull (strstr (got, "\"id\": \"top\""));
  g_assert_nonnull (strstr (got, "\"limit\": 25"));
  g_assert_null (strstr (got, "merge_conflicts"));

  /* Ours: it stays removed. */
  take = FALSE;
  g_clear_pointer (&resolved, g_bytes_unref);
  g_clear_pointer (&got, g_free);
  resolved = sluice_pipeline_resolve_conflicts ("p.json", file, &take, 1, &error);
  g_assert_no_error (error);
  got = text_of (resolved);
  g_assert_null (strstr (got, "\"id\": \"top\""));
}

static void
test_bad_input_is_named (void)
{
  g_autoptr(GBytes) base = pipeline ("Orders", "amount > 1", 10);
  g_autoptr(GBytes) ours = pipeline ("Orders", "amount > 2", 10);
  g_autoptr(GBytes) theirs = pipeline ("Orders", "amount > 3", 10);
  g_autoptr(GBytes) file = merged (base, ours, theirs, 1);
  g_autoptr(GBytes) junk = g_bytes_new_static ("[1, 2]", 6);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  gboolean picks[2] = { TRUE, TRUE };

  g_assert_null (sluice_pipeline_resolve_conflicts ("pipelines/p.json", file, picks, 2, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "pipelines/p.json: the file has 1 merge conflicts"));
  g_clear_error (&error);

  g_assert_null (sluice_pipeline_read_conflicts ("pipelines/p.json", junk, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "pipelines/p.json: "));
  g_clear_error (&error);

  none = sluice_pipeline_read_conflicts ("p.json", base, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/core/resolve/each-field-takes-the-side-picked", test_each_field_takes_the_side_picked);
  g_test_add_func ("/sluice/core/resolve/a-removed-gem-can-come-back", test_a_removed_gem_can_come_back);
  g_test_add_func ("/sluice/core/resolve/bad-input-is-named", test_bad_input_is_named);
  return g_test_run ();
}
