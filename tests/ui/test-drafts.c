/* Unsaved work survives a crash, and closing asks before it drops any. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

/* The project open, and its first frames drawn. */
static SluiceWindow *
open_window (const char *path)
{
  SluiceWindow *window = ui_test_open_project (app, path);

  ui_test_spin_ms (200);
  return window;
}

static gboolean
has_project (gpointer data)
{
  return sluice_window_get_project (data) != NULL;
}

static gboolean
has_no_project (gpointer data)
{
  return sluice_window_get_project (data) == NULL;
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

typedef struct { GtkWidget *root; const char *text; } Find;

static gboolean
shows_text (gpointer data)
{
  Find *f = data;
  return ui_test_find (f->root, label_contains, f->text) != NULL;
}

static SluiceProjectPage *
page_of (SluiceWindow *window)
{
  return sluice_window_get_project_page (window);
}

static gboolean
is_dirty (gpointer pipeline)
{
  return sluice_pipeline_get_dirty (pipeline);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static char *
draft_file_of (SluiceWindow *window,
               const char   *name)
{
  SluiceDraftStore *store = sluice_project_page_get_draft_store (page_of (window));
  g_autofree char *file = g_strconcat (name, ".json", NULL);

  g_assert_nonnull (store);
  return g_build_filename (sluice_draft_store_get_folder (store), file, NULL);
}

/* Edit, let the draft be written, lose the window without saving (what a
 * crash does to the process: nothing runs), open again. */
static void
test_a_crash_keeps_the_unsaved_edit (void)
{
  g_autofree char *project = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *file = NULL;
  g_autofree char *on_disk_before = NULL;
  g_autofree char *on_disk_after = NULL;
  SluiceWindow *window;
  SluicePipeline *p;
  Find f;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "crash");
  file = g_build_filename (project, "pipelines", "customer_cleanup.json", NULL);
  g_file_get_contents (file, &on_disk_before, NULL, NULL);

  window = open_window (project);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "customer_cleanup");
  g_assert_nonnull (p);
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", "First hundred", 900, 40, NULL));
  g_assert_true (sluice_pipeline_get_dirty (p));

  draft = draft_file_of (window, "customer_cleanup");
  g_assert_false (g_file_test (draft, G_FILE_TEST_EXISTS));
  ui_test_spin_ms (1000);
  g_assert_false (g_file_test (draft, G_FILE_TEST_EXISTS)); /* debounced */
  ui_test_spin_until (file_exists, draft, 10);

  /* No close-request, no save: the window is just gone. */
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
  g_file_get_contents (file, &on_disk_after, NULL, NULL);
  g_assert_cmpstr (on_disk_after, ==, on_disk_before);

  window = open_window (project);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "customer_cleanup");
  ui_test_spin_until (is_dirty, p, 5); /* drafts are read in a thread */
  g_assert_nonnull (sluice_pipeline_find_gem (p, "first_hundred"));
  f.root = GTK_WIDGET (window);
  f.text = "Restored unsaved changes to customer_cleanup";
  ui_test_spin_until (shows_text, &f, 5);
  sluice_project_page_select_file (page_of (window), "pipelines/customer_cleanup.json");
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (window), "drafts-restored.png");

  /* Ctrl+Z takes it back to the file on disk. */
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_false (sluice_pipeline_get_dirty (p));
  g_assert_null (sluice_pipeline_find_gem (p, "first_hundred"));
  ui_test_spin_ms (100);
  g_assert_false (g_file_test (draft, G_FILE_TEST_EXISTS)); /* nothing unsaved, nothing kept */

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

/* A draft made on a file that then changed (a git pull) is not applied. */
static void
test_a_draft_of_a_changed_file_is_kept_not_applied (void)
{
  g_autofree char *project = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  SluiceWindow *window;
  SluicePipeline *p;
  Find f;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "pulled");
  file = g_build_filename (project, "pipelines", "top_products.json", NULL);
  window = open_window (project);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", "Ten", 900, 40, NULL));
  draft = draft_file_of (window, "top_products");
  ui_test_spin_until (file_exists, draft, 10);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);

  g_file_get_contents (file, &text, NULL, NULL);
  changed = g_strconcat (text, "\n", NULL);
  g_file_set_contents (file, changed, -1, NULL);

  window = open_window (project);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");
  f.root = GTK_WIDGET (window);
  f.text = "Unsaved changes to top_products were not restored";
  ui_test_spin_until (shows_text, &f, 5);
  g_assert_false (sluice_pipeline_get_dirty (p));
  g_assert_null (sluice_pipeline_find_gem (p, "ten"));
  g_assert_true (g_file_test (draft, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
asks (gpointer data)
{
  return sluice_window_get_unsaved_dialog (data) != NULL;
}

/* Closing asks; Cancel keeps everything, Save saves all (JSON and code)
 * and then closes. */
static void
test_closing_asks_cancel_then_save (void)
{
  g_autofree char *project = NULL;
  g_autofree char *file_a = NULL;
  g_autofree char *file_b = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code_text = NULL;
  SluiceWindow *window;
  SluicePipeline *a, *b;
  AdwMessageDialog *dialog;
  gpointer weak;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "closing");
  file_a = g_build_filename (project, "pipelines", "customer_cleanup.json", NULL);
  file_b = g_build_filename (project, "pipelines", "top_products.json", NULL);
  code = g_build_filename (project, "code", "sql", "spark", "top_products.sql", NULL);
  window = open_window (project);
  a = sluice_project_find_pipeline (sluice_window_get_project (window), "customer_cleanup");
  b = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");
  g_assert_true (sluice_pipeline_set_label (a, sluice_gem_get_id (g_list_model_get_item (sluice_pipeline_get_gems (a), 0)),
                                            "Renamed source A", NULL));
  g_object_unref (g_list_model_get_item (sluice_pipeline_get_gems (a), 0));
  g_assert_true (sluice_pipeline_set_position (b, sluice_gem_get_id (g_list_model_get_item (sluice_pipeline_get_gems (b), 0)),
                                               7, 9, NULL));
  g_object_unref (g_list_model_get_item (sluice_pipeline_get_gems (b), 0));

  gtk_window_close (GTK_WINDOW (window));
  ui_test_spin_until (asks, window, 5);
  dialog = ADW_MESSAGE_DIALOG (sluice_window_get_unsaved_dialog (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save changes to 2 pipelines?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "customer_cleanup, top_products"));
  ui_test_spin_ms (300);
  ui_test_screenshot (GTK_WINDOW (dialog), "drafts-close-dialog.png");
  ui_test_respond (dialog, "cancel");
  ui_test_spin_ms (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (sluice_pipeline_get_dirty (a));
  g_assert_true (sluice_pipeline_get_dirty (b));
  g_assert_null (sluice_window_get_unsaved_dialog (window));

  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_unlink (code);
  gtk_window_close (GTK_WINDOW (window));
  ui_test_spin_until (asks, window, 5);
  ui_test_respond (ADW_MESSAGE_DIALOG (sluice_window_get_unsaved_dialog (window)), "save");
  ui_test_spin_until (is_null, &weak, 10);

  g_file_get_contents (file_a, &text_a, NULL, NULL);
  g_file_get_contents (file_b, &text_b, NULL, NULL);
  g_assert_nonnull (strstr (text_a, "Renamed source A"));
  g_assert_nonnull (strstr (text_b, "\"x\": 7, \"y\": 9"));
  g_assert_true (g_file_get_contents (code, &code_text, NULL, NULL)); /* its code came with it */
}

/* Closing the project (or opening another) asks too; Discard loses the
 * edits and their drafts. */
static void
test_closing_the_project_can_discard (void)
{
  g_autofree char *project = NULL;
  g_autofree char *file = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *draft = NULL;
  SluiceWindow *window;
  SluicePipeline *p;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "discarding");
  file = g_build_filename (project, "pipelines", "top_products.json", NULL);
  g_file_get_contents (file, &before, NULL, NULL);
  window = open_window (project);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", "Ten", 900, 40, NULL));
  draft = draft_file_of (window, "top_products");
  ui_test_spin_until (file_exists, draft, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL));
  ui_test_spin_until (asks, window, 5);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (sluice_window_get_unsaved_dialog (window))),
                   ==, "Save changes to 1 pipeline?");
  g_assert_nonnull (sluice_window_get_project (window)); /* not before the answer */
  ui_test_respond (ADW_MESSAGE_DIALOG (sluice_window_get_unsaved_dialog (window)), "discard");
  ui_test_spin_until (has_no_project, window, 5);
  g_assert_false (g_file_test (draft, G_FILE_TEST_EXISTS));
  g_file_get_contents (file, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, before);

  /* Reopened: nothing comes back. */
  {
    g_autoptr(GFile) dir = g_file_new_for_path (project);
    sluice_window_open_project (window, dir);
    ui_test_spin_until (has_project, window, 10);
    p = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");
    g_assert_false (sluice_pipeline_get_dirty (p));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-drafts-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  state = g_build_filename (tmp, "state", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    {
      g_autoptr(GError) error = NULL;

      adw_init ();
      app = sluice_application_new ();
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
      g_application_hold (G_APPLICATION (app));
    }
  g_test_add_func ("/sluice/ui/drafts/a-crash-keeps-the-unsaved-edit", test_a_crash_keeps_the_unsaved_edit);
  g_test_add_func ("/sluice/ui/drafts/a-draft-of-a-changed-file-is-kept-not-applied",
                   test_a_draft_of_a_changed_file_is_kept_not_applied);
  g_test_add_func ("/sluice/ui/drafts/closing-asks-and-cancel-keeps-and-save-saves-all",
                   test_closing_asks_cancel_then_save);
  g_test_add_func ("/sluice/ui/drafts/closing-the-project-can-discard", test_closing_the_project_can_discard);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
