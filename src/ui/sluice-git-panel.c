#define G_LOG_DOMAIN "sluice-git-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sluice-conflict-dialog.h"
#include "sluice-core.h"
#include "sluice-git-credentials.h"
#include "sluice-git-panel.h"
#include "sluice-pipeline-diff.h"
#include "sluice-repository-ui-ops.h"

struct _SluiceGitPanel
{
  AdwBin                 parent_instance;

  /* template children */
  GtkStack              *stack;
  GtkRevealer           *error_revealer;
  GtkLabel              *error_label;
  GtkButton             *token_button;
  GtkRevealer           *progress_revealer;
  GtkProgressBar        *progress_bar;
  GtkLabel              *title_label;
  GtkListBox            *changes_list;
  GtkLabel              *semantic_label;
  GtkSourceView         *diff_view;
  gboolean               diff_language_set;
  GtkTextView           *message_view;

  char                  *directory;      /* owned, nullable: the project folder */
  SluiceRepository      *repository;     /* owned, nullable */
  SluiceCredentialStore *credentials;    /* owned, nullable */
  GSettings             *settings;       /* owned, nullable */
  GCancellable          *cancellable;    /* owned: status, diff, stage; cancelled on dispose */
  GCancellable          *remote_cancellable; /* owned, nullable: the pull or push running */
  char                  *selected;       /* owned, nullable: the path whose diff is shown */
  char                  *error;          /* owned, nullable: the sentence in the error bar */
  guint                  n_staged;
  guint                  pending;        /* operations in flight */
  gboolean               refresh_again;  /* asked while a refresh ran */
  gboolean               refreshing;
  gboolean               diff_all;       /* the diff asked is HEAD → working tree */
  gboolean               stale;          /* a refresh was skipped while hidden */
  GtkWidget             *conflict_dialog; /* weak, nullable: the one open */
};

G_DEFINE_FINAL_TYPE (SluiceGitPanel, sluice_git_panel, ADW_TYPE_BIN)

/* The diff view's highlighting, set with its first diff (or when it is
 * asked for): loading GtkSourceView's language definitions is a few per
 * cent of start-up, and the panel starts hidden. */
static void
ensure_diff_language (SluiceGitPanel *self)
{
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->diff_view)));
  GtkSourceLanguage *diff;

  if (self->diff_language_set)
    return;
  self->diff_language_set = TRUE;
  diff = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), "diff");
  if (diff)
    gtk_source_buffer_set_language (buffer, diff);
}

enum { PROP_0, PROP_REPOSITORY, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { WORKING_TREE_CHANGED, CHECK_UNSAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void refresh (SluiceGitPanel *self);

/* ---- small helpers ---- */

static void
update_actions (SluiceGitPanel *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean repo = self->repository != NULL;
  gboolean remote = self->remote_cancellable != NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->message_view);
  GtkTextIter start, end;
  g_autofree char *message = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  message = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  gtk_widget_action_set_enabled (w, "git.refresh", repo);
  gtk_widget_action_set_enabled (w, "git.commit", repo && !remote && self->n_staged > 0 && *message != '\0');
  gtk_widget_action_set_enabled (w, "git.pull", repo && !remote);
  gtk_widget_action_set_enabled (w, "git.push", repo && !remote);
  gtk_widget_action_set_enabled (w, "git.cancel", remote);
  gtk_widget_action_set_enabled (w, "git.init", !repo && self->directory != NULL);
  gtk_widget_action_set_enabled (w, "git.set-token", repo && self->credentials != NULL);
}

static void
begin (SluiceGitPanel *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end (SluiceGitPanel *self)
{
  g_assert (self->pending > 0);
  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_error (SluiceGitPanel *self,
            const char     *sentence)
{
  g_free (self->error);
  self->error = g_strdup (sentence);
  gtk_label_set_label (self->error_label, sentence ? sentence : "");
  gtk_revealer_set_reveal_child (self->error_revealer, sentence != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->token_button), FALSE);
}

static void
toast (SluiceGitPanel *self,
       const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
set_repository (SluiceGitPanel   *self,
                SluiceRepository *repository)
{
  if (!g_set_object (&self->repository, repository))
    return;
  gtk_stack_set_visible_child_name (self->stack, repository ? "repo" : "none");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPOSITORY]);
  update_actions (self);
}

/* ---- the semantic summary (worker thread) ---- */

typedef struct
{
  char    *path;
  char    *name;        /* nullable: the pipeline's, for pipeline files */
  char    *summary;     /* nullable: one line */
  char    *details;     /* nullable: one line per change */
  guint    n_conflicts; /* entries of merge_conflicts */
  SluiceVcsFileState staged;
  SluiceVcsFileState unstaged;
} Change;

static void
change_free (Change *c)
{
  g_free (c->path);
  g_free (c->name);
  g_free (c->summary);
  g_free (c->details);
  g_free (c);
}

static gboolean
is_pipeline_file (const char *path)
{
  return g_str_has_prefix (path, "pipelines/") && g_str_has_suffix (path, ".json")
         && strchr (path + strlen ("pipelines/"), '/') == NULL;
}

/* "config.condition" → "condition": what a reader calls the field. */
static const char *
field_of (const SluicePipelineChange *change)
{
  switch (change->kind)
    {
    case SLUICE_PIPELINE_CHANGE_GEM_MOVED:
      return _("position");
    case SLUICE_PIPELINE_CHANGE_GEM_RELABELLED:
      return _("label");
    default:
      if (change->path && g_str_has_prefix (change->path, "config."))
        return change->path + strlen ("config.");
      return change->path ? change->path : "";
    }
}

/* "orders_daily: 2 gems changed (filter_recent: condition), 1 added" */
static char *
summarize (const char *name,
           GPtrArray  *changes)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();       /* gem ids, borrowed, in order */
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint added = 0, removed = 0, wires_added = 0, wires_removed = 0, other = 0;
  g_autofree char *joined = NULL;

  for (guint i = 0; i < changes->len; i++)
    {
      SluicePipelineChange *c = g_ptr_array_index (changes, i);
      GPtrArray *list;

      switch (c->kind)
        {
        case SLUICE_PIPELINE_CHANGE_GEM_ADDED:
          added++;
          break;
        case SLUICE_PIPELINE_CHANGE_GEM_REMOVED:
          removed++;
          break;
        case SLUICE_PIPELINE_CHANGE_EDGE_ADDED:
          wires_added++;
          break;
        case SLUICE_PIPELINE_CHANGE_EDGE_REMOVED:
          wires_removed++;
          break;
        case SLUICE_PIPELINE_CHANGE_PIPELINE_CHANGED:
          other++;
          break;
        default:
          if (!(list = g_hash_table_lookup (fields, c->gem_id)))
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (fields, c->gem_id, list);
              g_ptr_array_add (changed, c->gem_id);
            }
          if (!g_ptr_array_find_with_equal_func (list, field_of (c), g_str_equal, NULL))
            g_ptr_array_add (list, (gpointer) field_of (c));
          break;
        }
    }

  if (changed->len > 0)
    {
      g_autoptr(GString) which = g_string_new (NULL);

      for (guint i = 0; i < changed->len; i++)
        {
          GPtrArray *list = g_hash_table_lookup (fields, g_ptr_array_index (changed, i));

          g_string_append_printf (which, "%s%s: ", i ? "; " : "", (char *) g_ptr_array_index (changed, i));
          for (guint j = 0; j < list->len; j++)
            g_string_append_printf (which, "%s%s", j ? ", " : "", (char *) g_ptr_array_index (list, j));
        }
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u gem changed (%s)",
                                                            "%u gems changed (%s)", changed->len),
                                               changed->len, which->str));
    }
  if (added > 0)
    g_ptr_array_add (parts, parts->len
                     ? g_strdup_printf (_("%u added"), added)
                     : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u gem added", "%u gems added", added), added));
  if (removed > 0)
    g_ptr_array_add (parts, parts->len
                     ? g_strdup_printf (_("%u removed"), removed)
                     : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u gem removed", "%u gems removed", removed),
                                        removed));
  if (wires_added > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u wire added", "%u wires added",
                                                          wires_added), wires_added));
  if (wires_removed > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u wire removed", "%u wires removed",
                                                          wires_removed), wires_removed));
  if (other > 0)
    g_ptr_array_add (parts, g_strdup (_("pipeline settings changed")));
  if (parts->len == 0)
    g_ptr_array_add (parts, g_strdup (_("formatting only")));
  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (", ", (char **) parts->pdata);
  return g_strdup_printf ("%s: %s", name, joined);
}

static guint
count_conflicts (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;

  if (bytes == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
      || !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "merge_conflicts")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "merge_conflicts")))
    return 0;
  return json_array_get_length (json_object_get_array_member (object, "merge_conflicts"));
}

typedef struct
{
  char       *workdir;
  GPtrArray  *changes;   /* Change */
  GHashTable *head;      /* path → GBytes */
} SummaryJob;

static void
summary_job_free (SummaryJob *job)
{
  g_free (job->workdir);
  g_ptr_array_unref (job->changes);
  g_clear_pointer (&job->head, g_hash_table_unref);
  g_free (job);
}

static void
summary_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SummaryJob *job = task_data;

  for (guint i = 0; i < job->changes->len; i++)
    {
      Change *c = g_ptr_array_index (job->changes, i);
      g_autofree char *full = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) now = NULL;
      g_autoptr(GPtrArray) diff = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) details = NULL;
      gsize length;

      if (c->name == NULL)
        continue;
      full = g_build_filename (job->workdir, c->path, NULL);
      if (g_file_get_contents (full, &contents, &length, NULL))
        now = g_bytes_new_take (g_steal_pointer (&contents), length);
      c->n_conflicts = count_conflicts (now);
      if (c->n_conflicts > 0)
        {
          c->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u merge conflict to resolve",
                                                     "%s: %u merge conflicts to resolve", c->n_conflicts),
                                        c->name, c->n_conflicts);
          continue;
        }
      diff = sluice_pipeline_diff (c->path, g_hash_table_lookup (job->head, c->path), c->path, now, &error);
      if (diff == NULL)
        {
          c->summary = g_strdup (error->message);
          continue;
        }
      c->summary = summarize (c->name, diff);
      details = g_string_new (NULL);
      for (guint j = 0; j < diff->len; j++)
        {
          g_autofree char *line = sluice_pipeline_change_describe (g_ptr_array_index (diff, j));
          g_string_append_printf (details, "%s%s", j ? "\n" : "", line);
        }
      c->details = g_string_free (g_steal_pointer (&details), FALSE);
    }
  g_task_return_boolean (task, TRUE);
}

/* ---- the list ---- */

static const char *
state_letter (SluiceVcsFileState state)
{
  switch (state)
    {
    case SLUICE_VCS_FILE_ADDED:        return "A";
    case SLUICE_VCS_FILE_MODIFIED:     return "M";
    case SLUICE_VCS_FILE_DELETED:      return "D";
    case SLUICE_VCS_FILE_TYPE_CHANGED: return "T";
    case SLUICE_VCS_FILE_CONFLICTED:   return "U";
    case SLUICE_VCS_FILE_UNCHANGED:
    default:                           return "";
    }
}

static void
stage_toggled_cb (GtkCheckButton *check,
                  SluiceGitPanel *self)
{
  const char *path = g_object_get_data (G_OBJECT (check), "path");

  sluice_git_panel_set_staged (self, path, gtk_check_button_get_active (check));
}

static GtkWidget *
make_row (SluiceGitPanel *self,
          Change         *c)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *title = gtk_label_new (c->path);
  GtkWidget *letter;
  gboolean staged = c->staged != SLUICE_VCS_FILE_UNCHANGED && c->staged != SLUICE_VCS_FILE_CONFLICTED;
  gboolean partly = staged && c->unstaged != SLUICE_VCS_FILE_UNCHANGED;
  g_autofree char *check_label = g_strdup_printf (_("Stage %s"), c->path);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), staged);
  gtk_check_button_set_inconsistent (GTK_CHECK_BUTTON (check), partly);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, staged ? _("Staged: will be committed") : _("Not staged"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label, -1);
  g_object_set_data_full (G_OBJECT (check), "path", g_strdup (c->path), g_free);
  g_signal_connect_object (check, "toggled", G_CALLBACK (stage_toggled_cb), self, 0);
  gtk_box_append (GTK_BOX (box), check);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (texts), title);
  if (c->summary)
    {
      GtkWidget *summary = gtk_label_new (c->summary);

      gtk_label_set_xalign (GTK_LABEL (summary), 0);
      gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (summary), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (summary, "caption");
      if (c->n_conflicts == 0)
        gtk_widget_add_css_class (summary, "dim-label");
      else
        gtk_widget_add_css_class (summary, "error");
      gtk_box_append (GTK_BOX (texts), summary);
    }
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);

  letter = gtk_label_new (state_letter (c->unstaged != SLUICE_VCS_FILE_UNCHANGED ? c->unstaged : c->staged));
  gtk_widget_add_css_class (letter, "monospace");
  gtk_widget_add_css_class (letter, "dim-label");
  gtk_box_append (GTK_BOX (box), letter);

  if (c->n_conflicts > 0)
    {
      GtkWidget *resolve = gtk_button_new_with_mnemonic (_("_Resolve…"));

      gtk_widget_set_valign (resolve, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (resolve), "git.resolve");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (resolve), "s", c->path);
      gtk_box_append (GTK_BOX (box), resolve);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (c->path), g_free);
  g_object_set_data_full (G_OBJECT (row), "details", g_strdup (c->details), g_free);
  g_object_set_data (G_OBJECT (row), "pipeline", GINT_TO_POINTER (c->name != NULL));
  return row;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  gboolean pipeline = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "pipeline"));
  GtkWidget *header;

  if (before && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "pipeline")) == pipeline)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (pipeline ? _("Pipelines") : _("Other Files"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "caption-heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 6);
  gtk_list_box_row_set_header (row, header);
}

static void
fill_list (SluiceGitPanel *self,
           GPtrArray      *changes)
{
  GtkListBoxRow *row, *to_select = NULL;
  guint n = 0;
  g_autofree char *title = NULL;

  /* Rows only: the placeholder is a child too. */
  while ((row = gtk_list_box_get_row_at_index (self->changes_list, 0)))
    gtk_list_box_remove (self->changes_list, GTK_WIDGET (row));
  self->n_staged = 0;
  /* Pipelines first, then the other files, each by path. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < changes->len; i++)
      {
        Change *c = g_ptr_array_index (changes, i);
        GtkWidget *made;

        if ((c->name != NULL) != (pass == 0))
          continue;
        made = make_row (self, c);
        gtk_list_box_append (self->changes_list, made);
        if (c->staged != SLUICE_VCS_FILE_UNCHANGED && c->staged != SLUICE_VCS_FILE_CONFLICTED)
          self->n_staged++;
        if (self->selected && g_str_equal (self->selected, c->path))
          to_select = GTK_LIST_BOX_ROW (made);
        n++;
      }
  title = n ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Change", "%u Changes", n), n)
            : g_strdup (_("No Changes"));
  gtk_label_set_label (self->title_label, title);
  if (to_select)
    gtk_list_box_select_row (self->changes_list, to_select);
  else
    {
      g_clear_pointer (&self->selected, g_free);
      gtk_list_box_unselect_all (self->changes_list);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->diff_view)), "", -1);
      gtk_widget_set_visible (GTK_WIDGET (self->semantic_label), FALSE);
    }
  update_actions (self);
}

/* ---- refresh: status → HEAD's pipelines → summaries → the list ---- */

static void
refresh_done (SluiceGitPanel *self)
{
  self->refreshing = FALSE;
  end (self);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      refresh (self);
    }
}

static void
summaries_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  SummaryJob *job = g_task_get_task_data (G_TASK (result));

  /* Not the list of a project since closed. */
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    fill_list (self, job->changes);
  refresh_done (self);
}

static void
head_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceGitPanel *self = g_task_get_source_object (task);
  SummaryJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->head = sluice_repository_read_head_finish (SLUICE_REPOSITORY (source), result, &error);
  if (job->head == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      job->head = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
    }
  g_task_run_in_thread (task, summary_thread);
}

static void
status_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sluice_repository_status_finish (SLUICE_REPOSITORY (source), result, &error);
  g_autoptr(GPtrArray) pipelines = g_ptr_array_new ();
  g_autoptr(GTask) task = NULL;
  SummaryJob *job;

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      refresh_done (self);
      return;
    }
  job = g_new0 (SummaryJob, 1);
  job->workdir = g_strdup (sluice_repository_get_workdir (SLUICE_REPOSITORY (source)));
  job->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  for (guint i = 0; i < entries->len; i++)
    {
      SluiceVcsStatusEntry *e = g_ptr_array_index (entries, i);
      Change *c = g_new0 (Change, 1);

      c->path = g_strdup (e->path);
      c->staged = e->staged;
      c->unstaged = e->unstaged;
      if (is_pipeline_file (e->path))
        {
          const char *base = e->path + strlen ("pipelines/");
          c->name = g_strndup (base, strlen (base) - strlen (".json"));
          g_ptr_array_add (pipelines, c->path);
        }
      g_ptr_array_add (job->changes, c);
    }
  g_ptr_array_add (pipelines, NULL);

  task = g_task_new (self, self->cancellable, summaries_cb, g_object_ref (self));
  g_task_set_source_tag (task, status_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) summary_job_free);
  sluice_repository_read_head_async (SLUICE_REPOSITORY (source), (const char * const *) pipelines->pdata,
                                     self->cancellable, head_read_cb, g_steal_pointer (&task));
}

static void
refresh (SluiceGitPanel *self)
{
  if (self->repository == NULL)
    return;
  /* Hidden, a status of a big repository is wasted: done when shown. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->refreshing = TRUE;
  begin (self);
  sluice_repository_status_async (self->repository, self->cancellable, status_cb, g_object_ref (self));
}

void
sluice_git_panel_refresh (SluiceGitPanel *self)
{
  g_return_if_fail (SLUICE_IS_GIT_PANEL (self));
  refresh (self);
}

/* ---- the diff of the selected file ---- */

static void
diff_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) diffs = sluice_repository_diff_finish (SLUICE_REPOSITORY (source), result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean all = self->diff_all;

  end (self);
  if (diffs == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < diffs->len; i++)
    {
      SluiceVcsFileDiff *d = g_ptr_array_index (diffs, i);

      /* The reply of an earlier selection: a newer one is on its way. */
      if (self->selected == NULL || !g_str_equal (d->path, self->selected))
        return;
      g_string_append (text, d->patch);
    }
  /* An untracked file is not in HEAD → working tree: ask the index's side. */
  if (diffs->len == 0 && all && self->selected && self->repository)
    {
      const char *paths[2] = { self->selected, NULL };

      self->diff_all = FALSE;
      begin (self);
      sluice_repository_diff_async (self->repository, SLUICE_VCS_DIFF_UNSTAGED, paths, self->cancellable, diff_cb,
                                    g_object_ref (self));
      return;
    }
  ensure_diff_language (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->diff_view)), text->str, -1);
}

static void
sluice_git_panel_row_selected_cb (SluiceGitPanel *self,
                                  GtkListBoxRow  *row)
{
  const char *path = row ? g_object_get_data (G_OBJECT (row), "path") : NULL;
  const char *details = row ? g_object_get_data (G_OBJECT (row), "details") : NULL;
  const char *paths[2] = { path, NULL };

  if (path == NULL)
    return;
  if (g_strcmp0 (self->selected, path) != 0)
    {
      g_free (self->selected);
      self->selected = g_strdup (path);
    }
  gtk_label_set_label (self->semantic_label, details ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->semantic_label), details != NULL && *details != '\0');
  self->diff_all = TRUE;
  begin (self);
  sluice_repository_diff_async (self->repository, SLUICE_VCS_DIFF_ALL, paths, self->cancellable, diff_cb,
                                g_object_ref (self));
}

/* ---- stage, unstage ---- */

static void
staged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean staged = g_task_get_source_tag (G_TASK (result)) == sluice_repository_stage_async;

  if (!(staged ? sluice_repository_stage_finish (SLUICE_REPOSITORY (source), result, &error)
               : sluice_repository_unstage_finish (SLUICE_REPOSITORY (source), result, &error))
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
  refresh (self);
  end (self);
}

void
sluice_git_panel_set_staged (SluiceGitPanel *self,
                             const char     *path,
                             gboolean        staged)
{
  const char *paths[2] = { path, NULL };

  g_return_if_fail (SLUICE_IS_GIT_PANEL (self));
  g_return_if_fail (path != NULL);

  if (self->repository == NULL)
    return;
  begin (self);
  if (staged)
    sluice_repository_stage_async (self->repository, paths, self->cancellable, staged_cb, g_object_ref (self));
  else
    sluice_repository_unstage_async (self->repository, paths, self->cancellable, staged_cb, g_object_ref (self));
}

/* ---- commit ---- */

static void
committed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sluice_repository_commit_finish (SLUICE_REPOSITORY (source), result, &error);

  if (id == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Committed %.7s"), id);

      show_error (self, NULL);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->message_view), "", -1);
      toast (self, text);
    }
  refresh (self);
  end (self);
}

static char *
setting (SluiceGitPanel *self,
         const char     *key)
{
  g_autofree char *value = self->settings ? g_settings_get_string (self->settings, key) : NULL;

  return value && *g_strstrip (value) ? g_steal_pointer (&value) : NULL;
}

static void
commit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->message_view);
  GtkTextIter start, end_iter;
  g_autofree char *message = NULL;
  g_autofree char *name = setting (self, "git-author-name");
  g_autofree char *email = setting (self, "git-author-email");

  gtk_text_buffer_get_bounds (buffer, &start, &end_iter);
  message = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end_iter, FALSE));
  if (self->repository == NULL || *message == '\0')
    return;
  begin (self);
  sluice_repository_commit_async (self->repository, message, name, email, self->cancellable, committed_cb,
                                  g_object_ref (self));
}

/* ---- pull, push ---- */

typedef enum { REMOTE_PULL, REMOTE_PUSH } RemoteKind;

typedef struct
{
  SluiceGitPanel *self;   /* owned */
  RemoteKind      kind;
  char           *host;   /* nullable */
  gboolean        had_token;
} RemoteOp;

static void
remote_op_free (RemoteOp *op)
{
  g_object_unref (op->self);
  g_free (op->host);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoteOp, remote_op_free)

static void
remote_over (RemoteOp     *op,
             const GError *error)
{
  SluiceGitPanel *self = op->self;

  g_clear_object (&self->remote_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *sentence = sluice_git_error_sentence (error, op->host, op->had_token);
      show_error (self, sentence);
      /* A refused or missing token: the way to give another. */
      gtk_widget_set_visible (GTK_WIDGET (self->token_button),
                              g_error_matches (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_AUTH)
                              && self->credentials != NULL);
    }
  else if (error)
    toast (self, op->kind == REMOTE_PULL ? _("Pull cancelled") : _("Push cancelled"));
  update_actions (self);
  refresh (self);
  end (self);
}

/* Progress may arrive after the operation's end: it holds its own data. */
typedef struct
{
  SluiceGitPanel *self;   /* owned */
  RemoteKind      kind;
} Progress;

static void
progress_free (Progress *p)
{
  g_object_unref (p->self);
  g_free (p);
}

static Progress *
progress_new (RemoteOp *op)
{
  Progress *p = g_new0 (Progress, 1);

  p->self = g_object_ref (op->self);
  p->kind = op->kind;
  return p;
}

static void
progress_cb (const SluiceVcsProgress *progress,
             gpointer                 user_data)
{
  Progress *op = user_data;
  SluiceGitPanel *self = op->self;
  g_autofree char *text = NULL;

  if (self->remote_cancellable == NULL)
    return;
  if (progress->total_objects == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      return;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, (double) progress->received_objects / progress->total_objects);
  text = g_strdup_printf (op->kind == REMOTE_PULL ? _("Receiving objects: %u of %u") : _("Sending objects: %u of %u"),
                          progress->received_objects, progress->total_objects);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
pulled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  SluiceGitPanel *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceVcsPullResult) pull = sluice_repository_pull_finish (SLUICE_REPOSITORY (source), result, &error);

  if (pull)
    {
      show_error (self, NULL);
      switch (pull->outcome)
        {
        case SLUICE_VCS_PULL_UP_TO_DATE:
          toast (self, _("Already up to date"));
          break;
        case SLUICE_VCS_PULL_FAST_FORWARD:
          toast (self, _("Pulled the remote's commits"));
          break;
        case SLUICE_VCS_PULL_MERGED:
          toast (self, _("Pulled and merged the remote's commits"));
          break;
        case SLUICE_VCS_PULL_CONFLICTS:
          {
            g_autofree char *files = g_strjoinv (", ", pull->conflicts);
            g_autofree char *text = g_strdup_printf (_("The pull has conflicts in %s: resolve them, stage them "
                                                       "and commit to finish the merge."), files);
            show_error (self, text);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      if (pull->outcome != SLUICE_VCS_PULL_UP_TO_DATE)
        g_signal_emit (self, signals[WORKING_TREE_CHANGED], 0);
    }
  remote_over (op, error);
}

static void
pushed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  g_autoptr(GError) error = NULL;

  if (sluice_repository_push_finish (SLUICE_REPOSITORY (source), result, &error))
    {
      show_error (op->self, NULL);
      toast (op->self, _("Pushed this branch"));
    }
  remote_over (op, error);
}

static void
run_remote (RemoteOp             *op,
            SluiceVcsCredentials *credentials)
{
  SluiceGitPanel *self = op->self;
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;

  op->had_token = credentials != NULL;
  if (self->repository == NULL || g_cancellable_is_cancelled (self->remote_cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      remote_over (op, cancelled);
      remote_op_free (op);
      return;
    }
  if (op->kind == REMOTE_PULL)
    {
      name = setting (self, "git-author-name");
      email = setting (self, "git-author-email");
      sluice_repository_pull_async (self->repository, credentials, name, email, progress_cb, progress_new (op),
                                    (GDestroyNotify) progress_free, self->remote_cancellable, pulled_cb, op);
    }
  else
    sluice_repository_push_async (self->repository, credentials, progress_cb, progress_new (op),
                                  (GDestroyNotify) progress_free, self->remote_cancellable, pushed_cb, op);
}

static void
credentials_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RemoteOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceVcsCredentials) credentials = sluice_git_credentials_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      remote_over (op, error);
      remote_op_free (op);
      return;
    }
  /* No keyring: a public repository still works; one that asks says so. */
  if (error)
    g_debug ("no token for %s: %s", op->host ? op->host : "origin", error->message);
  run_remote (op, credentials);
}

static void
remote_url_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RemoteOp *op = user_data;
  SluiceGitPanel *self = op->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = sluice_repository_get_remote_url_finish (SLUICE_REPOSITORY (source), result, &error);

  if (url == NULL)
    {
      remote_over (op, error);
      remote_op_free (op);
      return;
    }
  op->host = sluice_vcs_host_of_url (url);
  /* No keyring: try without a token; a server that asks says so. */
  if (self->credentials == NULL)
    run_remote (op, NULL);
  else
    sluice_git_credentials_lookup_async (self->credentials, url, self->remote_cancellable, credentials_cb, op);
}

static void
start_remote (SluiceGitPanel *self,
              RemoteKind      kind)
{
  RemoteOp *op;

  if (self->repository == NULL || self->remote_cancellable)
    return;
  /* A pull rewrites files on disk: edits only in the editor would then
   * be saved over what came in. */
  if (kind == REMOTE_PULL)
    {
      g_autofree char *refusal = NULL;

      g_signal_emit (self, signals[CHECK_UNSAVED], 0, &refusal);
      if (refusal)
        {
          show_error (self, refusal);
          return;
        }
    }
  op = g_new0 (RemoteOp, 1);
  op->self = g_object_ref (self);
  op->kind = kind;
  self->remote_cancellable = g_cancellable_new ();
  begin (self);
  show_error (self, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, kind == REMOTE_PULL ? _("Pulling…") : _("Pushing…"));
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  update_actions (self);
  sluice_repository_get_remote_url_async (self->repository, self->remote_cancellable, remote_url_cb, op);
}

static void
pull_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  start_remote (SLUICE_GIT_PANEL (widget), REMOTE_PULL);
}

static void
push_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  start_remote (SLUICE_GIT_PANEL (widget), REMOTE_PUSH);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (widget);

  if (self->remote_cancellable)
    g_cancellable_cancel (self->remote_cancellable);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  refresh (SLUICE_GIT_PANEL (widget));
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  show_error (SLUICE_GIT_PANEL (widget), NULL);
}

/* ---- a token for the remote's server ---- */

typedef struct
{
  SluiceGitPanel *self;    /* owned */
  GtkEditable    *user_entry;   /* borrowed: the dialog's, until it answers */
  GtkEditable    *token_entry;
  char           *user;
  char           *token;   /* wiped */
} TokenAsk;

static void
token_ask_free (TokenAsk *ask)
{
  g_object_unref (ask->self);
  g_free (ask->user);
  sluice_credential_free (ask->token);
  g_free (ask);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  end (self);
  if (!sluice_git_credentials_store_finish (result, &error))
    {
      g_autofree char *sentence = sluice_git_error_sentence (error, NULL, TRUE);
      show_error (self, sentence);
      return;
    }
  show_error (self, NULL);
  toast (self, _("Token kept in the keyring: pull and push use it"));
}

static void
token_url_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TokenAsk *ask = user_data;
  SluiceGitPanel *self = ask->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = sluice_repository_get_remote_url_finish (SLUICE_REPOSITORY (source), result, &error);

  if (url == NULL || self->credentials == NULL)
    {
      end (self);
      if (error)
        show_error (self, error->message);
      token_ask_free (ask);
      return;
    }
  sluice_git_credentials_store_async (self->credentials, url, ask->user, ask->token, NULL, token_stored_cb,
                                      g_object_ref (self));
  token_ask_free (ask);
}

static void
token_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   TokenAsk         *ask)
{
  SluiceGitPanel *self = ask->self;

  g_signal_handlers_disconnect_by_func (dialog, token_response_cb, ask);
  /* Read now: the dialog goes once it has answered. */
  ask->user = g_strstrip (g_strdup (gtk_editable_get_text (ask->user_entry)));
  ask->token = g_strdup (gtk_editable_get_text (ask->token_entry));
  /* libadwaita 1.2's entry rows follow the window's focus while it is torn
   * down: leave them out of it. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  if (!g_str_equal (response, "save") || self->repository == NULL || *ask->token == '\0')
    {
      token_ask_free (ask);
      return;
    }
  begin (self);
  sluice_repository_get_remote_url_async (self->repository, self->cancellable, token_url_cb, ask);
}

GtkWidget *
sluice_git_panel_ask_token (SluiceGitPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *box, *user, *token;
  TokenAsk *ask;

  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Token for the Remote"),
                                   _("A personal access token for the server of this repository's origin. "
                                     "It is kept in the keyring, never in the repository."));
  box = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (box, "boxed-list");
  token = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (token), _("Personal access token"));
  user = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (user), _("User name (only if the server asks for one)"));
  gtk_list_box_append (GTK_LIST_BOX (box), token);
  gtk_list_box_append (GTK_LIST_BOX (box), user);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Keep"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  ask = g_new0 (TokenAsk, 1);
  ask->self = g_object_ref (self);
  ask->user_entry = GTK_EDITABLE (user);
  ask->token_entry = GTK_EDITABLE (token);
  g_signal_connect (dialog, "response", G_CALLBACK (token_response_cb), ask);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
set_token_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  sluice_git_panel_ask_token (SLUICE_GIT_PANEL (widget));
}

/* ---- merge conflicts in pipelines ---- */

static void
resolved_cb (SluiceGitPanel *self,
             const char     *path)
{
  g_autofree char *text = g_strdup_printf (_("Resolved and staged %s"), path);

  toast (self, text);
  refresh (self);
  /* The canvas shows the file as it is now. */
  g_signal_emit (self, signals[WORKING_TREE_CHANGED], 0);
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SluiceConflictDialog *dialog;

  if (self->repository == NULL)
    return;
  dialog = sluice_conflict_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->repository,
                                       g_variant_get_string (param, NULL));
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (resolved_cb), self, G_CONNECT_SWAPPED);
  self->conflict_dialog = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->conflict_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- opening, git init ---- */

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SluiceGitPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean created = g_task_get_source_tag (G_TASK (result)) == sluice_repository_create_async;
  g_autoptr(SluiceRepository) repository = created ? sluice_repository_create_finish (result, &error)
                                                   : sluice_repository_open_finish (result, &error);

  end (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (repository == NULL && !g_error_matches (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_A_REPOSITORY))
    toast (self, error->message);
  set_repository (self, repository);
  refresh (self);
}

void
sluice_git_panel_set_directory (SluiceGitPanel *self,
                                const char     *directory)
{
  g_return_if_fail (SLUICE_IS_GIT_PANEL (self));

  if (g_strcmp0 (directory, self->directory) == 0)
    return;
  /* What was running was for the other project. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->remote_cancellable)
    g_cancellable_cancel (self->remote_cancellable);
  g_free (self->directory);
  self->directory = g_strdup (directory);
  g_clear_pointer (&self->selected, g_free);
  show_error (self, NULL);
  set_repository (self, NULL);
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    fill_list (self, none);
  }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->message_view), "", -1);
  if (directory)
    {
      begin (self);
      sluice_repository_open_async (directory, self->cancellable, opened_cb, g_object_ref (self));
    }
  update_actions (self);
}

static void
init_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (widget);

  if (self->directory == NULL || self->repository)
    return;
  begin (self);
  sluice_repository_create_async (self->directory, self->cancellable, opened_cb, g_object_ref (self));
}

/* ---- GObject ---- */

static void
message_changed_cb (SluiceGitPanel *self)
{
  update_actions (self);
}

static void
visible_cb (SluiceGitPanel *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self)) && self->stale)
    refresh (self);
}

static void
sluice_git_panel_dispose (GObject *object)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->remote_cancellable)
    g_cancellable_cancel (self->remote_cancellable);
  if (self->conflict_dialog)
    g_object_remove_weak_pointer (G_OBJECT (self->conflict_dialog), (gpointer *) &self->conflict_dialog);
  self->conflict_dialog = NULL;
  g_clear_object (&self->repository);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sluice_git_panel_parent_class)->dispose (object);
}

static void
sluice_git_panel_finalize (GObject *object)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->remote_cancellable);
  g_free (self->directory);
  g_free (self->selected);
  g_free (self->error);

  G_OBJECT_CLASS (sluice_git_panel_parent_class)->finalize (object);
}

static void
sluice_git_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SluiceGitPanel *self = SLUICE_GIT_PANEL (object);

  switch (prop_id)
    {
    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_git_panel_class_init (SluiceGitPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_git_panel_dispose;
  object_class->finalize = sluice_git_panel_finalize;
  object_class->get_property = sluice_git_panel_get_property;

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL, SLUICE_TYPE_REPOSITORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[WORKING_TREE_CHANGED] =
    g_signal_new ("working-tree-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHECK_UNSAVED] =
    g_signal_new ("check-unsaved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL, G_TYPE_STRING, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-git-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, token_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, changes_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, semantic_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, diff_view);
  gtk_widget_class_bind_template_child (widget_class, SluiceGitPanel, message_view);
  gtk_widget_class_bind_template_callback (widget_class, sluice_git_panel_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "git.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "git.commit", NULL, commit_action);
  gtk_widget_class_install_action (widget_class, "git.pull", NULL, pull_action);
  gtk_widget_class_install_action (widget_class, "git.push", NULL, push_action);
  gtk_widget_class_install_action (widget_class, "git.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "git.init", NULL, init_action);
  gtk_widget_class_install_action (widget_class, "git.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "git.resolve", "s", resolve_action);
  gtk_widget_class_install_action (widget_class, "git.set-token", NULL, set_token_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "git.commit", NULL);
}

static void
sluice_git_panel_init (SluiceGitPanel *self)
{
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_header_func (self->changes_list, header_func, NULL, NULL);
  gtk_list_box_set_placeholder (self->changes_list, ({
    GtkWidget *none = gtk_label_new (_("Nothing to commit: the working tree matches the last commit."));
    gtk_label_set_wrap (GTK_LABEL (none), TRUE);
    gtk_widget_add_css_class (none, "dim-label");
    gtk_widget_set_margin_top (none, 12);
    gtk_widget_set_margin_bottom (none, 12);
    gtk_widget_set_margin_start (none, 12);
    gtk_widget_set_margin_end (none, 12);
    none;
  }));
  g_signal_connect_object (gtk_text_view_get_buffer (self->message_view), "changed",
                           G_CALLBACK (message_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::visible", G_CALLBACK (visible_cb), NULL);
  gtk_stack_set_visible_child_name (self->stack, "none");
  update_actions (self);
}

/* ---- public API ---- */

void
sluice_git_panel_set_credentials (SluiceGitPanel        *self,
                                  SluiceCredentialStore *store)
{
  g_return_if_fail (SLUICE_IS_GIT_PANEL (self));
  g_set_object (&self->credentials, store);
  update_actions (self);
}

void
sluice_git_panel_set_settings (SluiceGitPanel *self,
                               GSettings      *settings)
{
  g_return_if_fail (SLUICE_IS_GIT_PANEL (self));
  g_set_object (&self->settings, settings);
}

SluiceRepository *
sluice_git_panel_get_repository (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);
  return self->repository;
}

gboolean
sluice_git_panel_get_busy (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), FALSE);
  return self->pending > 0;
}

GtkTextView *
sluice_git_panel_get_message_view (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);
  return self->message_view;
}

GtkListBox *
sluice_git_panel_get_changes_list (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);
  return self->changes_list;
}

GtkTextView *
sluice_git_panel_get_diff_view (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);
  ensure_diff_language (self);
  return GTK_TEXT_VIEW (self->diff_view);
}

const char *
sluice_git_panel_get_error (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);
  return self->error;
}

GtkWidget *
sluice_git_panel_get_conflict_dialog (SluiceGitPanel *self)
{
  g_return_val_if_fail (SLUICE_IS_GIT_PANEL (self), NULL);
  return self->conflict_dialog;
}
