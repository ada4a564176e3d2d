/* The git UI for real: the git panel on a temporary repository (commit,
 * semantic summaries), the branch switcher refusing to lose work, the
 * Clone dialog against a git smart-HTTP server on 127.0.0.1 with the right
 * and a wrong token (and the keyring), and the question a save asks before
 * overwriting generated code edited by hand. Runs under with-keyring.sh. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-branch-button.h"
#include "sluice-clone-dialog.h"
#include "sluice-code-writer.h"
#include "sluice-conflict-dialog.h"
#include "sluice-credential-store.h"
#include "sluice-git-credentials.h"
#include "sluice-gem-widget.h"
#include "sluice-git-panel.h"
#include "sluice-hand-edit-dialog.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"
#include "vcs-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

static gboolean
panel_idle (gpointer panel)
{
  return !sluice_git_panel_get_busy (panel) && sluice_git_panel_get_repository (panel) != NULL;
}

static void
wait_panel (SluiceGitPanel *panel)
{
  /* A hidden panel does not refresh: these tests look at it. */
  gtk_widget_set_visible (GTK_WIDGET (panel), TRUE);
  ui_test_spin_ms (50);
  ui_test_spin_until (panel_idle, panel, 20);
}

/* examples/retail, committed on main with a local author, pipelines
 * merged by Sluice (as sluice_repository_create sets up). */
static char *
committed_example (const char *name)
{
  g_autofree char *project = ui_test_copy_example (tmp, name);

  vcs_test_write (project, ".gitattributes", "pipelines/*.json merge=sluice\n");
  g_assert_cmpint (vcs_test_git (project, NULL, "init", "-q", "--initial-branch=main", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (project, NULL, "config", "user.name", "Ada Tester", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (project, NULL, "config", "user.email", "ada@example.com", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (project, NULL, "add", "-A", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (project, NULL, "commit", "-q", "-m", "The example", NULL), ==, 0);
  return g_steal_pointer (&project);
}

static void
replace_in_file (const char *project,
                 const char *rel,
                 const char *from,
                 const char *to)
{
  g_autofree char *path = g_build_filename (project, rel, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, from));
  parts = g_strsplit (text, from, 2);
  joined = g_strjoinv (to, parts);
  g_assert_true (g_file_set_contents (path, joined, -1, NULL));
}

static GtkListBoxRow *
row_of (SluiceGitPanel *panel,
        const char     *path)
{
  GtkListBox *list = sluice_git_panel_get_changes_list (panel);

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "path"), path) == 0)
        return row;
    }
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_check (GtkWidget     *widget,
          gconstpointer  unused)
{
  return GTK_IS_CHECK_BUTTON (widget);
}

/* Edit a pipeline and another file, stage only the pipeline with its check
 * box, type a message, Commit: git log has that commit with that file. */
static void
test_commit_from_the_panel (void)
{
  g_autofree char *project = NULL;
  g_autofree char *log = NULL;
  g_autofree char *files = NULL;
  g_autofree char *status = NULL;
  SluiceWindow *window;
  SluiceGitPanel *panel;
  GtkListBoxRow *row;
  GtkWidget *check;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = committed_example ("commit");
  window = ui_test_open_project (app, project);
  panel = sluice_window_get_git_panel (window);
  /* The header bar's Changes toggle shows it (the setting may have it on). */
  if (!gtk_widget_get_visible (GTK_WIDGET (panel)))
    gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-git", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  wait_panel (panel);
  g_assert_null (gtk_list_box_get_row_at_index (sluice_git_panel_get_changes_list (panel), 0));

  replace_in_file (project, "pipelines/top_products.json", "\"label\": \"Orders\"", "\"label\": \"All orders\"");
  vcs_test_write (project, "notes.txt", "not for this commit\n");
  sluice_git_panel_refresh (panel);
  wait_panel (panel);

  /* The pipeline is listed with what changed in it, by meaning. */
  row = row_of (panel, "pipelines/top_products.json");
  g_assert_nonnull (row);
  g_assert_nonnull (ui_test_find (GTK_WIDGET (row), is_label_with, "top_products: 1 gem changed (orders: label)"));
  g_assert_nonnull (row_of (panel, "notes.txt"));

  /* An untracked file's diff is all of it. */
  gtk_list_box_select_row (sluice_git_panel_get_changes_list (panel), row_of (panel, "notes.txt"));
  wait_panel (panel);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (sluice_git_panel_get_diff_view (panel));
    GtkTextIter start, end;
    g_autofree char *diff = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    diff = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_nonnull (strstr (diff, "+not for this commit"));
  }

  /* A pipeline's diff, in the diff view. */
  gtk_list_box_select_row (sluice_git_panel_get_changes_list (panel), row);
  wait_panel (panel);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (sluice_git_panel_get_diff_view (panel));
    GtkTextIter start, end;
    g_autofree char *diff = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    diff = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_nonnull (strstr (diff, "+      \"label\": \"All orders\""));
  }

  check = ui_test_find (GTK_WIDGET (row), is_check, NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  wait_panel (panel);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (sluice_git_panel_get_message_view (panel)),
                            "Relabel the orders source", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.commit", NULL));
  wait_panel (panel);
  ui_test_screenshot (GTK_WINDOW (window), "git-panel-committed.png");

  g_assert_cmpint (vcs_test_git (project, &log, "log", "-1", "--format=%s|%an", NULL), ==, 0);
  g_assert_cmpstr (log, ==, "Relabel the orders source|Ada Tester\n");
  g_assert_cmpint (vcs_test_git (project, &files, "show", "--name-only", "--format=", "HEAD", NULL), ==, 0);
  g_assert_cmpstr (files, ==, "pipelines/top_products.json\n");
  g_assert_cmpint (vcs_test_git (project, &status, "status", "--porcelain", NULL), ==, 0);
  g_assert_cmpstr (status, ==, "?? notes.txt\n");
  /* The panel follows: the pipeline is committed, the note still listed. */
  g_assert_null (row_of (panel, "pipelines/top_products.json"));
  g_assert_nonnull (row_of (panel, "notes.txt"));
  g_assert_null (sluice_git_panel_get_error (panel));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static gboolean
window_has_repository (gpointer window)
{
  return sluice_window_get_project (window) != NULL
         && sluice_git_panel_get_repository (sluice_window_get_git_panel (window)) != NULL;
}

/* New Project makes a git working copy, set up for Sluice's merges. */
static void
test_a_new_project_is_a_repository (void)
{
  g_autofree char *folder = g_build_filename (tmp, "brand-new", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autofree char *attributes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *head = NULL;
  SluiceWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = sluice_window_new (app);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  gtk_window_present (GTK_WINDOW (window));
  sluice_window_create_project (window, file, "Brand new");
  ui_test_spin_until (window_has_repository, window, 10);
  path = g_build_filename (folder, ".gitattributes", NULL);
  g_assert_true (g_file_get_contents (path, &attributes, NULL, NULL));
  g_assert_nonnull (strstr (attributes, "pipelines/*.json merge=sluice"));
  g_assert_cmpint (vcs_test_git (folder, &head, "symbolic-ref", "HEAD", NULL), ==, 0);
  g_assert_cmpstr (head, ==, "refs/heads/main\n");
  wait_panel (sluice_window_get_git_panel (window));
  /* Nothing committed yet: sluice.json and the rest are listed. */
  g_assert_nonnull (row_of (sluice_window_get_git_panel (window), "sluice.json"));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

/* No author in git config: the one in Preferences signs the commit. */
static void
test_the_author_falls_back_to_preferences (void)
{
  g_autofree char *project = NULL;
  g_autofree char *log = NULL;
  GSettings *settings = sluice_application_get_settings (app);
  SluiceWindow *window;
  SluiceGitPanel *panel;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  g_assert_nonnull (settings);

  project = committed_example ("author");
  g_assert_cmpint (vcs_test_git (project, NULL, "config", "--unset", "user.name", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (project, NULL, "config", "--unset", "user.email", NULL), ==, 0);
  g_settings_set_string (settings, "git-author-name", "Grace Prefs");
  g_settings_set_string (settings, "git-author-email", "grace@example.org");
  vcs_test_write (project, "notes.txt", "signed by the preferences\n");

  window = ui_test_open_project (app, project);
  panel = sluice_window_get_git_panel (window);
  wait_panel (panel);
  sluice_git_panel_set_staged (panel, "notes.txt", TRUE);
  wait_panel (panel);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (sluice_git_panel_get_message_view (panel)), "A note", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.commit", NULL));
  wait_panel (panel);
  g_assert_null (sluice_git_panel_get_error (panel));
  g_assert_cmpint (vcs_test_git (project, &log, "log", "-1", "--format=%an <%ae>|%s", NULL), ==, 0);
  g_assert_cmpstr (log, ==, "Grace Prefs <grace@example.org>|A note\n");

  g_settings_reset (settings, "git-author-name");
  g_settings_reset (settings, "git-author-email");
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static gboolean
branch_settled (gpointer button)
{
  return !sluice_branch_button_get_busy (button) && sluice_branch_button_get_current (button) != NULL;
}

/* A branch that changes a file with uncommitted edits: the switch is
 * refused, names the file, and no byte of it changes. */
static void
test_a_refused_switch_names_the_file (void)
{
  g_autofree char *project = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *head = NULL;
  SluiceWindow *window;
  SluiceBranchButton *button;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = committed_example ("switch");
  g_assert_cmpint (vcs_test_git (project, NULL, "checkout", "-q", "-b", "other", NULL), ==, 0);
  replace_in_file (project, "pipelines/customer_cleanup.json", "\"description\": \"",
                   "\"description\": \"Other: ");
  g_assert_cmpint (vcs_test_git (project, NULL, "commit", "-q", "-am", "Other description", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (project, NULL, "checkout", "-q", "main", NULL), ==, 0);
  /* Uncommitted work on main, in the file the switch would replace. */
  replace_in_file (project, "pipelines/customer_cleanup.json", "\"description\": \"",
                   "\"description\": \"Mine, not committed: ");
  path = g_build_filename (project, "pipelines", "customer_cleanup.json", NULL);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  window = ui_test_open_project (app, project);
  button = sluice_window_get_branch_button (window);
  wait_panel (sluice_window_get_git_panel (window));
  ui_test_spin_until (branch_settled, button, 10);
  g_assert_cmpstr (sluice_branch_button_get_current (button), ==, "main");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  /* Both branches are offered. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (sluice_branch_button_get_list (button), 1));

  sluice_branch_button_switch (button, "other");
  ui_test_spin_until (branch_settled, button, 10);
  g_assert_nonnull (sluice_branch_button_get_error (button));
  g_assert_nonnull (strstr (sluice_branch_button_get_error (button), "pipelines/customer_cleanup.json"));
  g_assert_cmpstr (sluice_branch_button_get_current (button), ==, "main");
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (vcs_test_git (project, &head, "rev-parse", "--abbrev-ref", "HEAD", NULL), ==, 0);
  g_assert_cmpstr (head, ==, "main\n");

  /* Creating a branch switches to it, carrying the edit along. */
  sluice_branch_button_create (button, "feature");
  ui_test_spin_until (branch_settled, button, 10);
  ui_test_spin_ms (100);
  ui_test_spin_until (branch_settled, button, 10);
  g_assert_null (sluice_branch_button_get_error (button));
  g_assert_cmpstr (sluice_branch_button_get_current (button), ==, "feature");
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  /* Edits only in the editor stop a switch before git is asked. */
  ui_test_spin_ms (300); /* the project is read again after the switch */
  {
    SluicePipeline *p = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");

    g_assert_true (sluice_pipeline_set_label (p, "orders", "Edited, not saved", NULL));
    sluice_branch_button_switch (button, "main");
    g_assert_nonnull (sluice_branch_button_get_error (button));
    g_assert_nonnull (strstr (sluice_branch_button_get_error (button), "unsaved changes to top_products"));
    g_assert_cmpstr (sluice_branch_button_get_current (button), ==, "feature");
    g_assert_true (sluice_pipeline_undo (p));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

/* ---- clone ---- */

static gboolean
clone_over (gpointer dialog)
{
  return !sluice_clone_dialog_get_busy (dialog);
}

static void
cloned_cb (SluiceCloneDialog *dialog,
           const char        *path,
           const char        *warning,
           char             **out)
{
  *out = g_strdup (path);
  g_assert_null (warning);
}

static char *
keyring_lookup (SluiceCredentialStore *store,
                const char            *host,
                const char            *field)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  sluice_credential_store_lookup_async (store, "git", host, field, NULL, vcs_test_store_cb, &result);
  secret = sluice_credential_store_lookup_finish (store, vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  return secret;
}

/* Greps every file under @dir for @needle. */
static gboolean
tree_contains (const char *dir,
               const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          if (tree_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &text, &length, NULL)
               && g_strstr_len (text, length, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_clone_with_the_right_and_a_wrong_token (void)
{
  const char *repos[] = { "shop", NULL };
  const char *token = "glpat-UiCloneToken-7f3a9c";
  VcsTestServer *server;
  g_autofree char *source = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;
  g_autofree char *into = NULL;
  g_autofree char *cloned = NULL;
  g_autofree char *git_dir = NULL;
  g_autofree char *config = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *user = NULL;
  g_autoptr(SluiceCredentialStore) store = sluice_credential_store_new ();
  SluiceCloneDialog *dialog;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  server = vcs_test_server_start ("ada", token, repos);
  if (server == NULL)
    return;

  /* The server's repository holds a Sluice project. */
  source = committed_example ("clone-source");
  bare = g_build_filename (server->dir, "repos", "shop.git", NULL);
  g_assert_cmpint (vcs_test_git (source, NULL, "push", "-q", bare, "main", NULL), ==, 0);
  url = g_strconcat (server->base_url, "shop.git", NULL);
  host = g_strdup_printf ("127.0.0.1:%s", strrchr (server->base_url, ':') + 1);
  *strchr (host, '/') = '\0';
  into = vcs_test_tmpdir ("clones");

  /* A wrong token: one sentence naming the server; nothing left behind. */
  dialog = sluice_clone_dialog_new (NULL, store);
  sluice_clone_dialog_set_folder (dialog, into);
  sluice_clone_dialog_set_fields (dialog, url, "ada", "not-the-token", "wrong");
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "clone.clone", NULL));
  g_assert_true (sluice_clone_dialog_get_busy (dialog));
  ui_test_spin_until (clone_over, dialog, 30);
  g_assert_nonnull (sluice_clone_dialog_get_error (dialog));
  {
    g_autofree char *expected = g_strdup_printf ("The server refused the token for %s: ", host);
    g_assert_true (g_str_has_prefix (sluice_clone_dialog_get_error (dialog), expected));
  }
  g_assert_null (keyring_lookup (store, host, "token"));
  ui_test_screenshot (GTK_WINDOW (dialog), "clone-wrong-token.png");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A host that does not answer: said as such. */
  dialog = sluice_clone_dialog_new (NULL, store);
  sluice_clone_dialog_set_folder (dialog, into);
  sluice_clone_dialog_set_fields (dialog, "http://127.0.0.1:9/git/shop.git", NULL, NULL, "unreachable");
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "clone.clone", NULL));
  ui_test_spin_until (clone_over, dialog, 30);
  g_assert_cmpstr (sluice_clone_dialog_get_error (dialog), ==,
                   "127.0.0.1:9 could not be reached: check the address and your network connection.");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The right one: cloned, the token in the keyring and nowhere in .git. */
  dialog = sluice_clone_dialog_new (NULL, store);
  sluice_clone_dialog_set_folder (dialog, into);
  sluice_clone_dialog_set_fields (dialog, url, "ada", token, NULL);
  g_signal_connect (dialog, "cloned", G_CALLBACK (cloned_cb), &cloned);
  gtk_window_present (GTK_WINDOW (dialog));
  g_object_ref (dialog);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "clone.clone", NULL));
  ui_test_spin_until (clone_over, dialog, 30);
  g_assert_null (sluice_clone_dialog_get_error (dialog));
  ui_test_spin_ms (100);
  g_assert_nonnull (cloned);
  g_assert_true (g_str_has_suffix (cloned, "/shop")); /* the name from the URL */
  manifest = g_build_filename (cloned, "sluice.json", NULL);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  git_dir = g_build_filename (cloned, ".git", NULL);
  g_assert_false (tree_contains (git_dir, token));
  config = g_build_filename (git_dir, "config", NULL);
  g_assert_true (g_file_test (config, G_FILE_TEST_IS_REGULAR));
  stored = keyring_lookup (store, host, "token");
  g_assert_cmpstr (stored, ==, token);
  user = keyring_lookup (store, host, "user");
  g_assert_cmpstr (user, ==, "ada");
  g_object_unref (dialog);

  /* The clone's panel pushes with that token, found by host. */
  {
    SluiceWindow *window = ui_test_open_project (app, cloned);
    SluiceGitPanel *panel = sluice_window_get_git_panel (window);
    g_autofree char *remote_log = NULL;

    wait_panel (panel);
    g_assert_cmpint (vcs_test_git (cloned, NULL, "config", "user.name", "Ada Tester", NULL), ==, 0);
    g_assert_cmpint (vcs_test_git (cloned, NULL, "config", "user.email", "ada@example.com", NULL), ==, 0);
    vcs_test_write (cloned, "notes.txt", "pushed from the panel\n");
    g_assert_cmpint (vcs_test_git (cloned, NULL, "add", "notes.txt", NULL), ==, 0);
    g_assert_cmpint (vcs_test_git (cloned, NULL, "commit", "-q", "-m", "A note", NULL), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.push", NULL));
    wait_panel (panel);
    g_assert_null (sluice_git_panel_get_error (panel));
    g_assert_cmpint (vcs_test_git (bare, &remote_log, "log", "-1", "--format=%s", "main", NULL), ==, 0);
    g_assert_cmpstr (remote_log, ==, "A note\n");

    /* The token goes stale: the push says so, and Set Token… replaces it. */
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("The server refused the token for %s: check that it is valid "
                                                   "and allowed to use this repository.", host);
      g_autofree char *kept = NULL;
      GtkWidget *ask, *extra;

      sluice_git_credentials_store_async (store, url, "ada", "expired-token", NULL, vcs_test_store_cb, &result);
      g_assert_true (sluice_git_credentials_store_finish (vcs_test_wait (&result), &error));
      g_assert_no_error (error);
      vcs_test_write (cloned, "notes.txt", "pushed again\n");
      g_assert_cmpint (vcs_test_git (cloned, NULL, "commit", "-q", "-am", "Another note", NULL), ==, 0);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.push", NULL));
      wait_panel (panel);
      g_assert_cmpstr (sluice_git_panel_get_error (panel), ==, expected);

      ask = sluice_git_panel_ask_token (panel);
      extra = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (ask));
      gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (extra)), token);
      gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_last_child (extra)), "ada");
      ui_test_respond (ADW_MESSAGE_DIALOG (ask), "save");
      wait_panel (panel);
      g_assert_null (sluice_git_panel_get_error (panel));
      kept = keyring_lookup (store, host, "token");
      g_assert_cmpstr (kept, ==, token);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.push", NULL));
      wait_panel (panel);
      g_assert_null (sluice_git_panel_get_error (panel));
      g_clear_pointer (&remote_log, g_free);
      g_assert_cmpint (vcs_test_git (bare, &remote_log, "log", "-1", "--format=%s", "main", NULL), ==, 0);
      g_assert_cmpstr (remote_log, ==, "Another note\n");
    }
    gtk_window_destroy (GTK_WINDOW (window));
    ui_test_spin_ms (100);
  }

  vcs_test_server_stop (server);
}

/* ---- a pull with a conflict in a pipeline, resolved side by side ---- */

static gboolean
no_conflict_dialog (gpointer panel)
{
  return sluice_git_panel_get_conflict_dialog (panel) == NULL;
}

static gboolean
conflicts_loaded (gpointer dialog)
{
  return !sluice_conflict_dialog_get_busy (dialog);
}

static void
test_a_pulled_conflict_is_resolved_side_by_side (void)
{
  g_autofree char *source = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  g_autofree char *parents = NULL;
  g_autofree char *file = NULL;
  SluiceWindow *window;
  SluiceGitPanel *panel;
  SluiceConflictDialog *dialog;
  GtkListBoxRow *row;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  source = committed_example ("conflict-source");
  bare = g_build_filename (tmp, "conflict.git", NULL);
  a = g_build_filename (tmp, "conflict-a", NULL);
  b = g_build_filename (tmp, "conflict-b", NULL);
  g_assert_cmpint (vcs_test_git (tmp, NULL, "clone", "-q", "--bare", source, bare, NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (tmp, NULL, "clone", "-q", bare, a, NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (tmp, NULL, "clone", "-q", bare, b, NULL), ==, 0);
  for (int i = 0; i < 2; i++)
    {
      const char *dir = i ? b : a;
      g_assert_cmpint (vcs_test_git (dir, NULL, "config", "user.name", "Ada Tester", NULL), ==, 0);
      g_assert_cmpint (vcs_test_git (dir, NULL, "config", "user.email", "ada@example.com", NULL), ==, 0);
      replace_in_file (dir, "pipelines/top_products.json", "\"label\": \"Orders\"",
                       i ? "\"label\": \"Orders of B\"" : "\"label\": \"Orders of A\"");
      g_assert_cmpint (vcs_test_git (dir, NULL, "commit", "-q", "-am", i ? "B's label" : "A's label", NULL), ==, 0);
    }
  g_assert_cmpint (vcs_test_git (a, NULL, "push", "-q", "origin", "main", NULL), ==, 0);

  window = ui_test_open_project (app, b);
  panel = sluice_window_get_git_panel (window);
  wait_panel (panel);

  /* Pushing first is refused, and the panel says what to do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.push", NULL));
  wait_panel (panel);
  g_assert_cmpstr (sluice_git_panel_get_error (panel), ==,
                   "The remote has commits you don't have: pull first, then push again.");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.pull", NULL));
  wait_panel (panel);
  ui_test_spin_ms (300); /* the project is read again */
  wait_panel (panel);
  g_assert_nonnull (sluice_git_panel_get_error (panel));
  g_assert_nonnull (strstr (sluice_git_panel_get_error (panel), "conflicts in pipelines/top_products.json"));
  row = row_of (panel, "pipelines/top_products.json");
  g_assert_nonnull (row);
  g_assert_nonnull (ui_test_find (GTK_WIDGET (row), is_label_with, "top_products: 1 merge conflict to resolve"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.resolve", "s",
                                             "pipelines/top_products.json"));
  dialog = SLUICE_CONFLICT_DIALOG (sluice_git_panel_get_conflict_dialog (panel));
  g_assert_nonnull (dialog);
  ui_test_spin_until (conflicts_loaded, dialog, 10);
  g_assert_null (sluice_conflict_dialog_get_error (dialog));
  g_assert_cmpuint (sluice_conflict_dialog_get_n_conflicts (dialog), ==, 1);
  ui_test_spin_ms (200);
  ui_test_screenshot (GTK_WINDOW (dialog), "conflict-dialog.png");
  sluice_conflict_dialog_choose (dialog, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "conflict.resolve", NULL));
  ui_test_spin_until (no_conflict_dialog, panel, 10);
  wait_panel (panel);

  /* Theirs is in the file, the conflict list is gone, the file is staged. */
  file = g_build_filename (b, "pipelines", "top_products.json", NULL);
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"label\": \"Orders of A\""));
  g_assert_null (strstr (text, "Orders of B"));
  g_assert_null (strstr (text, "merge_conflicts"));
  g_assert_cmpint (vcs_test_git (b, &status, "status", "--porcelain", "pipelines/top_products.json", NULL), ==, 0);
  g_assert_cmpstr (status, ==, "M  pipelines/top_products.json\n");

  /* Committing from the panel concludes the merge. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (sluice_git_panel_get_message_view (panel)),
                            "Merge A's label", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "git.commit", NULL));
  wait_panel (panel);
  g_assert_cmpint (vcs_test_git (b, &parents, "log", "-1", "--format=%P", NULL), ==, 0);
  g_assert_nonnull (strchr (g_strstrip (parents), ' ')); /* two parents */

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

/* ---- the canvas marks the gems changed since the last commit ---- */

typedef struct { SluiceCanvas *canvas; const char *id; } GemRef;

static gboolean
gem_marked (gpointer data)
{
  GemRef *ref = data;
  GtkWidget *card = sluice_canvas_get_gem_widget (ref->canvas, ref->id);

  return card && sluice_gem_widget_get_changed (SLUICE_GEM_WIDGET (card));
}

static void
test_changed_gems_are_marked_on_the_canvas (void)
{
  g_autofree char *project = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GemRef ref;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = committed_example ("highlight");
  window = ui_test_open_project (app, project);
  page = sluice_window_get_project_page (window);
  wait_panel (sluice_window_get_git_panel (window));
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  ui_test_spin_ms (200);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "top_products");
  canvas = sluice_pipeline_view_get_canvas (sluice_project_page_get_pipeline_view (page));
  g_assert_true (sluice_pipeline_set_label (p, "top_five", "Top five per category", NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.highlight-changes", NULL));
  ref.canvas = canvas;
  ref.id = "top_five";
  ui_test_spin_until (gem_marked, &ref, 10);
  g_assert_false (sluice_gem_widget_get_changed (SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (canvas, "orders"))));
  ui_test_screenshot (GTK_WINDOW (window), "git-changed-gems.png");

  /* Off again: no mark. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.highlight-changes", NULL));
  ui_test_spin_ms (100);
  g_assert_false (gem_marked (&ref));

  sluice_project_page_discard_unsaved (page);
  g_assert_true (sluice_pipeline_undo (p));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

/* ---- hand-edited generated code ---- */

static gboolean
has_dialog (gpointer page)
{
  return sluice_project_page_get_hand_edit_dialog (page) != NULL;
}

static gboolean
not_dirty (gpointer pipeline)
{
  return !sluice_pipeline_get_dirty (pipeline);
}

static guint saves;

static void
saved_cb (SluiceProjectPage *page,
          const char        *name)
{
  saves++;
}

static void
save_and_wait (SluiceProjectPage *page,
               SluicePipeline    *p)
{
  guint before = saves;

  sluice_project_page_save (page);
  ui_test_spin_until (not_dirty, p, 10);
  while (saves == before && !has_dialog (page))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
saved_since (gpointer before)
{
  return saves > GPOINTER_TO_UINT (before);
}

static void
test_hand_edits_are_asked_about (void)
{
  g_autofree char *project = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *after = NULL;
  g_autofree char *original = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluicePipeline *p;
  GtkWidget *dialog;
  guint before;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "hand-edit");
  sql = g_build_filename (project, "code", "sql", "spark", "customer_cleanup.sql", NULL);
  window = ui_test_open_project (app, project);
  page = sluice_window_get_project_page (window);
  g_signal_connect (page, "saved", G_CALLBACK (saved_cb), NULL);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/customer_cleanup.json"));
  ui_test_spin_ms (200);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "customer_cleanup");

  /* A first save writes the code as Sluice makes it now. */
  g_assert_true (sluice_pipeline_move_gems (p, (const char *[]) { sluice_gem_get_id (
                   g_ptr_array_index (sluice_pipeline_peek_gem_array (p), 0)), NULL }, 10, 0, NULL));
  save_and_wait (page, p);
  if (has_dialog (page))
    ui_test_respond (ADW_MESSAGE_DIALOG (sluice_project_page_get_hand_edit_dialog (page)), "overwrite");
  ui_test_spin_until (saved_since, GUINT_TO_POINTER (saves - 1), 10);
  g_assert_true (g_file_get_contents (sql, &original, NULL, NULL));
  g_assert_true (sluice_code_file_is_generated (sql));

  /* Someone edits the generated SQL, then the pipeline is saved again. */
  edited = g_strconcat (original, "-- tuned by hand\n", NULL);
  g_assert_true (g_file_set_contents (sql, edited, -1, NULL));
  g_assert_true (sluice_pipeline_move_gems (p, (const char *[]) { sluice_gem_get_id (
                   g_ptr_array_index (sluice_pipeline_peek_gem_array (p), 0)), NULL }, 10, 0, NULL));
  before = saves;
  sluice_project_page_save (page);
  ui_test_spin_until (has_dialog, page, 10);
  dialog = sluice_project_page_get_hand_edit_dialog (page);
  g_assert_true (SLUICE_IS_HAND_EDIT_DIALOG (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "code/sql/spark/customer_cleanup.sql"));
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (sluice_hand_edit_dialog_get_diff_view (
                                                        SLUICE_HAND_EDIT_DIALOG (dialog)));
    GtkTextIter start, end;
    g_autofree char *diff = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    diff = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_nonnull (strstr (diff, "--- a/code/sql/spark/customer_cleanup.sql"));
    g_assert_nonnull (strstr (diff, "--- tuned by hand"));
  }
  ui_test_screenshot (GTK_WINDOW (dialog), "hand-edit-dialog.png");
  g_assert_cmpuint (saves, ==, before); /* nothing written while it asks */

  /* Keep their edits: the file keeps every byte. */
  ui_test_respond (ADW_MESSAGE_DIALOG (dialog), "keep");
  ui_test_spin_until (saved_since, GUINT_TO_POINTER (before), 10);
  g_assert_true (g_file_get_contents (sql, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, edited);
  g_assert_false (sluice_pipeline_get_dirty (p));

  /* Overwrite: Sluice's text again. */
  g_assert_true (sluice_pipeline_move_gems (p, (const char *[]) { sluice_gem_get_id (
                   g_ptr_array_index (sluice_pipeline_peek_gem_array (p), 0)), NULL }, 10, 0, NULL));
  before = saves;
  sluice_project_page_save (page);
  ui_test_spin_until (has_dialog, page, 10);
  ui_test_respond (ADW_MESSAGE_DIALOG (sluice_project_page_get_hand_edit_dialog (page)), "overwrite");
  ui_test_spin_until (saved_since, GUINT_TO_POINTER (before), 10);
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (sql, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, original);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *state = NULL;
  int status;

  vcs_test_init_env ();
  tmp = g_dir_make_tmp ("sluice-test-git-XXXXXX", NULL);
  state = g_build_filename (tmp, "state", NULL);
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
  g_test_add_func ("/sluice/ui/git/commit-from-the-panel", test_commit_from_the_panel);
  g_test_add_func ("/sluice/ui/git/a-new-project-is-a-repository", test_a_new_project_is_a_repository);
  g_test_add_func ("/sluice/ui/git/the-author-falls-back-to-preferences", test_the_author_falls_back_to_preferences);
  g_test_add_func ("/sluice/ui/git/a-refused-switch-names-the-file", test_a_refused_switch_names_the_file);
  g_test_add_func ("/sluice/ui/git/clone-with-the-right-and-a-wrong-token", test_clone_with_the_right_and_a_wrong_token);
  g_test_add_func ("/sluice/ui/git/a-pulled-conflict-is-resolved-side-by-side",
                   test_a_pulled_conflict_is_resolved_side_by_side);
  g_test_add_func ("/sluice/ui/git/changed-gems-are-marked-on-the-canvas", test_changed_gems_are_marked_on_the_canvas);
  g_test_add_func ("/sluice/ui/git/hand-edits-are-asked-about", test_hand_edits_are_asked_about);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
