/* Drafts: unsaved pipeline text kept beside, never inside, the project. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sluice-core.h"

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          rm_rf (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static GBytes *
text (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

static void
test_write_read_list_discard (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("sluice-drafts-XXXXXX", NULL);
  g_autofree char *root = g_build_filename (tmp, "drafts", NULL);
  g_autoptr(GFile) project = g_file_new_for_path ("/home/someone/projects/sales");
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "/home/someone/projects/sales", -1);
  g_autofree char *folder = g_build_filename (root, digest, NULL);
  g_autofree char *draft_file = g_build_filename (folder, "orders.json", NULL);
  SluiceDraftStore *store = sluice_draft_store_new (project, root);
  g_autoptr(GBytes) content = text ("{\n  \"gems\": [\"“quoted”\"]\n}\n");
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) read_null = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *no_base = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) after = NULL;

  g_assert_cmpstr (sluice_draft_store_get_folder (store), ==, folder);
  names = sluice_draft_store_list (store);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  g_assert_true (sluice_draft_store_write (store, "orders", "abc123", content, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (draft_file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (sluice_draft_store_write (store, "a_first", NULL, content, NULL, &error));
  g_assert_no_error (error);

  names = sluice_draft_store_list (store);
  g_assert_cmpstrv (names, ((const char *[]) { "a_first", "orders", NULL }));

  read = sluice_draft_store_read (store, "orders", &base, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, content));
  g_assert_cmpstr (base, ==, "abc123");
  read_null = sluice_draft_store_read (store, "a_first", &no_base, &error);
  g_assert_no_error (error);
  g_assert_null (no_base);

  /* Writing again replaces. */
  {
    g_autoptr(GBytes) newer = text ("{}\n");
    g_autoptr(GBytes) back = NULL;
    g_assert_true (sluice_draft_store_write (store, "orders", "def", newer, NULL, &error));
    back = sluice_draft_store_read (store, "orders", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (back, newer));
  }

  g_assert_true (sluice_draft_store_discard (store, "orders", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (draft_file, G_FILE_TEST_EXISTS));
  g_assert_true (sluice_draft_store_discard (store, "orders", &error)); /* none: no error */
  g_assert_null (sluice_draft_store_read (store, "orders", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (sluice_draft_store_discard (store, "a_first", &error));
  after = sluice_draft_store_list (store);
  g_assert_cmpuint (g_strv_length (after), ==, 0);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS)); /* the last one takes the folder */

  g_assert_finalize_object (store);
  rm_rf (tmp);
}

static void
test_rejects_bad_names_and_foreign_files (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("sluice-drafts-XXXXXX", NULL);
  g_autoptr(GFile) project = g_file_new_for_path (tmp);
  SluiceDraftStore *store = sluice_draft_store_new (project, tmp);
  g_autoptr(GBytes) content = text ("{}");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_false (sluice_draft_store_write (store, "../escape", NULL, content, NULL, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "../escape"));
  g_clear_error (&error);

  g_mkdir_with_parents (sluice_draft_store_get_folder (store), 0700);
  path = g_build_filename (sluice_draft_store_get_folder (store), "odd.json", NULL);
  g_file_set_contents (path, "{\"content\": 3}", -1, NULL);
  g_assert_null (sluice_draft_store_read (store, "odd", NULL, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_file_set_contents (path, "not json", -1, NULL);
  g_assert_null (sluice_draft_store_read (store, "odd", NULL, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));

  g_assert_finalize_object (store);
  rm_rf (tmp);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_write_async_and_cancel (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("sluice-drafts-XXXXXX", NULL);
  g_autoptr(GFile) project = g_file_new_for_path (tmp);
  SluiceDraftStore *store = sluice_draft_store_new (project, tmp);
  g_autoptr(GBytes) content = text ("{\"gems\": []}");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) back = NULL;

  sluice_draft_store_write_async (store, "orders", "base", content, NULL, written_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sluice_draft_store_write_finish (store, result, &error));
  g_assert_no_error (error);
  back = sluice_draft_store_read (store, "orders", NULL, &error);
  g_assert_true (g_bytes_equal (back, content));

  g_cancellable_cancel (cancellable);
  sluice_draft_store_write_async (store, "other", "base", content, cancellable, written_cb, &cancelled);
  while (cancelled == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sluice_draft_store_write_finish (store, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (sluice_draft_store_read (store, "other", NULL, NULL));

  g_clear_object (&result);
  g_clear_object (&cancelled);
  sluice_draft_store_discard (store, "orders", NULL);
  g_assert_finalize_object (store);
  rm_rf (tmp);
}

/* What restoring a draft does to a pipeline: its contents become the
 * draft's in one step that undo takes back to the saved state. */
static void
test_replace_contents_is_one_undoable_step (void)
{
  static const char saved_text[] =
    "{\"format_version\": 1, \"gems\": [{\"id\": \"src\", \"type\": \"Source\", \"label\": \"Src\","
    " \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"orders\"}}], \"edges\": []}";
  g_autoptr(GBytes) saved = text (saved_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", saved, NULL, &error);
  g_autoptr(SluicePipeline) edited = NULL;
  g_autoptr(SluicePipeline) draft = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) draft_bytes = NULL;
  g_autoptr(GBytes) now = NULL;
  g_autoptr(GBytes) undone = NULL;
  g_autofree char *expected_sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, saved);

  g_assert_no_error (error);
  g_assert_cmpstr (sluice_pipeline_get_base_checksum (p), ==, expected_sum);
  original = sluice_pipeline_to_bytes (p);

  /* The draft: the same file with an edit made elsewhere. */
  edited = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", saved, NULL, &error);
  g_assert_nonnull (sluice_pipeline_add_gem (edited, "Filter", "Recent", 200, 0, &error));
  g_assert_nonnull (sluice_pipeline_connect (edited, "src", "out", "recent", "in0", &error));
  g_assert_no_error (error);
  draft_bytes = sluice_pipeline_to_bytes (edited);
  draft = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", draft_bytes, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (sluice_pipeline_replace_contents (p, draft, "Restore unsaved changes", &error));
  g_assert_no_error (error);
  g_assert_true (sluice_pipeline_get_dirty (p));
  now = sluice_pipeline_to_bytes (p);
  g_assert_true (g_bytes_equal (now, draft_bytes));
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (sluice_pipeline_get_undo_stack (p)), ==,
                   "Restore unsaved changes");
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 1);

  g_assert_true (sluice_pipeline_undo (p));
  g_assert_false (sluice_pipeline_get_dirty (p));
  undone = sluice_pipeline_to_bytes (p);
  g_assert_true (g_bytes_equal (undone, original));
  g_assert_true (sluice_pipeline_redo (p));
  g_assert_true (sluice_pipeline_get_dirty (p));
  g_assert_nonnull (sluice_pipeline_find_gem (p, "recent"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/draft-store/writes-reads-lists-and-discards", test_write_read_list_discard);
  g_test_add_func ("/sluice/core/draft-store/rejects-bad-names-and-foreign-files", test_rejects_bad_names_and_foreign_files);
  g_test_add_func ("/sluice/core/draft-store/writes-in-a-thread-and-honours-cancel", test_write_async_and_cancel);
  g_test_add_func ("/sluice/core/draft-store/restoring-is-one-undoable-step", test_replace_contents_is_one_undoable_step);

  return g_test_run ();
}
