#define G_LOG_DOMAIN "sluice-code-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sluice-code-view.h"
#include "sluice-pyspark-generator.h"
#include "sluice-source-language.h"
#include "sluice-sql-generator.h"

#define N_DIALECTS 3
#define REGENERATE_DELAY_MS 150

static const char * const page_names[N_DIALECTS] = { "pyspark", "spark-sql", "snowflake-sql" };

struct _SluiceCodeView
{
  GtkWidget          parent_instance;

  AdwViewStack      *stack;
  GtkRevealer       *problems_revealer;
  GtkLabel          *problems_label;
  GtkSourceView     *views[N_DIALECTS];

  SluicePipeline    *pipeline;     /* owned, nullable */
  GListModel        *datasets;     /* owned, nullable */
  SluiceResolver    *resolver;     /* owned, nullable */
  gulong             changed_id;
  guint              regenerate_id;
  SluiceCodeDialect  dialect;
  gboolean           stale[N_DIALECTS];
  gboolean           languages_set;
  char              *problems[N_DIALECTS];   /* owned: "" when none */
};

G_DEFINE_FINAL_TYPE (SluiceCodeView, sluice_code_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_DIALECT, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The one place code is made, so an incremental cache can replace the
 * generators without touching the view. (transfer full) */
static char *
generate (SluiceCodeView    *self,
          SluiceCodeDialect  dialect,
          GPtrArray         *problems)
{
  if (dialect == SLUICE_CODE_DIALECT_PYSPARK)
    {
      g_autoptr(SluicePySparkPackage) files = sluice_pyspark_generate (self->pipeline, self->datasets, self->resolver, problems);
      GString *out = g_string_new (NULL);

      for (guint i = 0; i < sluice_pyspark_package_get_n_files (files); i++)
        g_string_append_printf (out, "%s# ── %s ──\n%s", i ? "\n" : "", sluice_pyspark_package_get_path (files, i),
                                sluice_pyspark_package_get_contents (files, i, NULL));
      return g_string_free (out, FALSE);
    }
  return sluice_sql_generate (self->pipeline, self->datasets, self->resolver,
                              dialect == SLUICE_CODE_DIALECT_SPARK_SQL ? SLUICE_DIALECT_SPARK : SLUICE_DIALECT_SNOWFLAKE,
                              problems);
}

static GtkTextBuffer *
buffer_of (SluiceCodeView    *self,
           SluiceCodeDialect  dialect)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->views[dialect]));
}

static void
show_problems (SluiceCodeView *self)
{
  const char *text = self->problems[self->dialect] ? self->problems[self->dialect] : "";

  gtk_label_set_text (self->problems_label, text);
  gtk_revealer_set_reveal_child (self->problems_revealer, *text != '\0');
}

static void
regenerate (SluiceCodeView    *self,
            SluiceCodeDialect  dialect)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = buffer_of (self, dialect);
  GtkTextIter iter;

  self->stale[dialect] = FALSE;
  text = self->pipeline ? generate (self, dialect, problems) : g_strdup ("");
  g_ptr_array_add (problems, NULL);
  g_free (self->problems[dialect]);
  self->problems[dialect] = g_strjoinv ("\n", (char **) problems->pdata);

  {
    GtkTextIter begin, end;
    g_autofree char *old = NULL;

    gtk_text_buffer_get_bounds (buffer, &begin, &end);
    old = gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
    /* Same code: keep the scroll position and the highlight. */
    if (g_strcmp0 (old, text) != 0)
      {
        gtk_text_buffer_set_text (buffer, text ? text : "", -1);
        gtk_text_buffer_get_start_iter (buffer, &iter);
        gtk_text_buffer_place_cursor (buffer, &iter);
      }
  }
  if (dialect == self->dialect)
    show_problems (self);
}

static void
ensure_current (SluiceCodeView *self)
{
  if (self->stale[self->dialect])
    regenerate (self, self->dialect);
}

static gboolean
regenerate_cb (gpointer data)
{
  SluiceCodeView *self = data;

  self->regenerate_id = 0;
  ensure_current (self);
  return G_SOURCE_REMOVE;
}

static void
mark_stale (SluiceCodeView *self)
{
  for (guint i = 0; i < N_DIALECTS; i++)
    self->stale[i] = TRUE;
  /* Debounced: a drag or a burst of typing regenerates once. */
  g_clear_handle_id (&self->regenerate_id, g_source_remove);
  self->regenerate_id = g_timeout_add (REGENERATE_DELAY_MS, regenerate_cb, self);
}

static void
sluice_code_view_page_changed_cb (SluiceCodeView *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < N_DIALECTS; i++)
    if (g_strcmp0 (name, page_names[i]) == 0 && self->dialect != i)
      {
        self->dialect = i;
        ensure_current (self);
        show_problems (self);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);
      }
}

/* ---- finding a gem's code ---- */

static char *
line_text (GtkTextBuffer *buffer,
           int            line)
{
  GtkTextIter begin, end;

  gtk_text_buffer_get_iter_at_line (buffer, &begin, line);
  end = begin;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  return gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
}

/* "WITH `orders` AS (" or "\"ORDERS\" AS (" names gem "orders". */
static gboolean
is_cte_of (const char *line,
           const char *folded_id)
{
  g_autoptr(GString) name = g_string_new (line);
  g_autofree char *folded = NULL;

  if (!g_str_has_suffix (line, " AS ("))
    return FALSE;
  g_string_truncate (name, name->len - strlen (" AS ("));
  if (g_str_has_prefix (name->str, "WITH "))
    g_string_erase (name, 0, strlen ("WITH "));
  if (name->len >= 2 && (name->str[0] == '`' || name->str[0] == '"'))
    {
      g_string_erase (name, 0, 1);
      g_string_truncate (name, name->len - 1);
    }
  folded = g_utf8_casefold (name->str, -1);
  return g_str_equal (folded, folded_id);
}

static gboolean
find_gem (SluiceCodeView *self,
          const char     *gem_id,
          int            *first,
          int            *last)
{
  GtkTextBuffer *buffer = buffer_of (self, self->dialect);
  int n = gtk_text_buffer_get_line_count (buffer);
  g_autofree char *folded_id = g_utf8_casefold (gem_id, -1);
  g_autofree char *target = g_strdup_printf ("-- %s: ", gem_id);
  g_autofree char *module = g_strdup_printf ("# Gem %s: ", gem_id);

  *first = -1;
  for (int i = 0; i < n && *first < 0; i++)
    {
      g_autofree char *text = line_text (buffer, i);

      if (self->dialect == SLUICE_CODE_DIALECT_PYSPARK)
        {
          /* The module starts at its "# ── path ──" line, above its header. */
          if (g_str_has_prefix (text, module))
            {
              *first = i;
              while (*first > 0)
                {
                  g_autofree char *above = line_text (buffer, *first);
                  if (g_str_has_prefix (above, "# ── "))
                    break;
                  (*first)--;
                }
            }
        }
      else if (is_cte_of (text, folded_id) || g_str_has_prefix (text, target))
        *first = i;
    }
  if (*first < 0)
    return FALSE;

  for (*last = *first + 1; *last < n; (*last)++)
    {
      g_autofree char *text = line_text (buffer, *last);

      if (self->dialect == SLUICE_CODE_DIALECT_PYSPARK ? g_str_has_prefix (text, "# ── ")
                                                       : (*text == '\0' || g_str_has_prefix (text, ")")))
        {
          /* A CTE ends with its parenthesis; a file before the next one. */
          if (self->dialect != SLUICE_CODE_DIALECT_PYSPARK && *text == ')')
            return TRUE;
          (*last)--;
          return TRUE;
        }
    }
  *last = n - 1;
  return TRUE;
}

static GtkTextTag *
highlight_tag (GtkTextBuffer *buffer)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "sluice-highlight");

  if (tag == NULL)
    tag = gtk_text_buffer_create_tag (buffer, "sluice-highlight",
                                      "paragraph-background", "rgba(53,132,228,0.16)", NULL);
  return tag;
}

static void
scroll_to_cursor (GtkSourceView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  /* Near the top, with the lines before it for context. */
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (view), gtk_text_buffer_get_insert (buffer), 0.0, TRUE, 0.0, 0.1);
}

static gboolean
cursor_visible (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, location;
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_iter_location (view, &iter, &location);
  return visible.height > 0 && location.y >= visible.y && location.y + location.height <= visible.y + visible.height;
}

/* Asks again, frame after frame, until the line is on screen: before the
 * lines above it are measured, a scroll lands short of it. Gives up after
 * about two seconds of frames. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  guint tries = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "sluice-scroll-tries"));

  if (gtk_widget_get_height (widget) > 0 && cursor_visible (GTK_TEXT_VIEW (widget)))
    return G_SOURCE_REMOVE;
  if (tries > 120)
    return G_SOURCE_REMOVE;
  g_object_set_data (G_OBJECT (widget), "sluice-scroll-tries", GUINT_TO_POINTER (tries + 1));
  if (tries % 10 == 0)
    scroll_to_cursor (GTK_SOURCE_VIEW (widget));
  return G_SOURCE_CONTINUE;
}

/* ---- GObject ---- */

static void
sluice_code_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SluiceCodeView *self = SLUICE_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_DIALECT:
      g_value_set_uint (value, self->dialect);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_code_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SluiceCodeView *self = SLUICE_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_DIALECT:
      sluice_code_view_set_dialect (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_code_view_dispose (GObject *object)
{
  SluiceCodeView *self = SLUICE_CODE_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->regenerate_id, g_source_remove);
  if (self->pipeline)
    g_clear_signal_handler (&self->changed_id, self->pipeline);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->datasets);
  g_clear_object (&self->resolver);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_CODE_VIEW);
  /* The template's outer box has no id, so disposing the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sluice_code_view_parent_class)->dispose (object);
}

static void
sluice_code_view_finalize (GObject *object)
{
  SluiceCodeView *self = SLUICE_CODE_VIEW (object);

  for (guint i = 0; i < N_DIALECTS; i++)
    g_free (self->problems[i]);
  G_OBJECT_CLASS (sluice_code_view_parent_class)->finalize (object);
}

/* Loading GtkSourceView's language definitions and style scheme (XML,
 * regular expressions) is some 15 % of the instructions before the first
 * frame, and the code view starts hidden (its revealer is closed): done
 * when it is first shown, or handed out. */
static void
ensure_languages (SluiceCodeView *self)
{
  if (self->languages_set)
    return;
  self->languages_set = TRUE;
  for (guint i = 0; i < N_DIALECTS; i++)
    {
      GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (buffer_of (self, i));

      gtk_source_buffer_set_language (buffer, i == SLUICE_CODE_DIALECT_PYSPARK
                                              ? sluice_source_language_get ("python3")
                                              : sluice_source_language_get_sparksql ());
      sluice_source_language_style_buffer (buffer);
    }
}

static void
sluice_code_view_map (GtkWidget *widget)
{
  ensure_languages (SLUICE_CODE_VIEW (widget));
  GTK_WIDGET_CLASS (sluice_code_view_parent_class)->map (widget);
}

static void
sluice_code_view_class_init (SluiceCodeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sluice_code_view_get_property;
  object_class->set_property = sluice_code_view_set_property;
  object_class->dispose = sluice_code_view_dispose;
  object_class->finalize = sluice_code_view_finalize;
  widget_class->map = sluice_code_view_map;

  properties[PROP_DIALECT] = g_param_spec_uint ("dialect", NULL, NULL, 0, N_DIALECTS - 1, 0,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/sluice/Sluice/ui/sluice-code-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceCodeView, stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceCodeView, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceCodeView, problems_label);
  gtk_widget_class_bind_template_child_full (widget_class, "pyspark_view", FALSE,
                                             G_STRUCT_OFFSET (SluiceCodeView, views[SLUICE_CODE_DIALECT_PYSPARK]));
  gtk_widget_class_bind_template_child_full (widget_class, "spark_view", FALSE,
                                             G_STRUCT_OFFSET (SluiceCodeView, views[SLUICE_CODE_DIALECT_SPARK_SQL]));
  gtk_widget_class_bind_template_child_full (widget_class, "snowflake_view", FALSE,
                                             G_STRUCT_OFFSET (SluiceCodeView, views[SLUICE_CODE_DIALECT_SNOWFLAKE_SQL]));
  gtk_widget_class_bind_template_callback (widget_class, sluice_code_view_page_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sluice-code-view");
}

static void
sluice_code_view_init (SluiceCodeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < N_DIALECTS; i++)
    self->stale[i] = TRUE;
}

GtkWidget *
sluice_code_view_new (void)
{
  return g_object_new (SLUICE_TYPE_CODE_VIEW, NULL);
}

void
sluice_code_view_set_pipeline (SluiceCodeView *self,
                               SluicePipeline *pipeline,
                               GListModel     *datasets,
                               SluiceResolver *resolver)
{
  g_return_if_fail (SLUICE_IS_CODE_VIEW (self));
  g_return_if_fail (pipeline == NULL || (G_IS_LIST_MODEL (datasets) && SLUICE_IS_RESOLVER (resolver)));

  if (self->pipeline)
    g_clear_signal_handler (&self->changed_id, self->pipeline);
  g_set_object (&self->pipeline, pipeline);
  if (pipeline == NULL)
    {
      datasets = NULL;
      resolver = NULL;
    }
  g_set_object (&self->datasets, datasets);
  g_set_object (&self->resolver, resolver);
  if (pipeline)
    self->changed_id = g_signal_connect_object (pipeline, "changed", G_CALLBACK (mark_stale), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < N_DIALECTS; i++)
    self->stale[i] = TRUE;
  g_clear_handle_id (&self->regenerate_id, g_source_remove);
  ensure_current (self);
}

void
sluice_code_view_set_dialect (SluiceCodeView    *self,
                              SluiceCodeDialect  dialect)
{
  g_return_if_fail (SLUICE_IS_CODE_VIEW (self));
  g_return_if_fail (dialect < N_DIALECTS);

  /* The page-changed handler does the rest and notifies. */
  adw_view_stack_set_visible_child_name (self->stack, page_names[dialect]);
}

SluiceCodeDialect
sluice_code_view_get_dialect (SluiceCodeView *self)
{
  g_return_val_if_fail (SLUICE_IS_CODE_VIEW (self), SLUICE_CODE_DIALECT_PYSPARK);
  return self->dialect;
}

void
sluice_code_view_flush (SluiceCodeView *self)
{
  g_return_if_fail (SLUICE_IS_CODE_VIEW (self));

  g_clear_handle_id (&self->regenerate_id, g_source_remove);
  ensure_current (self);
}

char *
sluice_code_view_get_text (SluiceCodeView *self)
{
  GtkTextIter begin, end;

  g_return_val_if_fail (SLUICE_IS_CODE_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (buffer_of (self, self->dialect), &begin, &end);
  return gtk_text_buffer_get_text (buffer_of (self, self->dialect), &begin, &end, FALSE);
}

const char *
sluice_code_view_get_problems (SluiceCodeView *self)
{
  g_return_val_if_fail (SLUICE_IS_CODE_VIEW (self), NULL);
  return self->problems[self->dialect] ? self->problems[self->dialect] : "";
}

gboolean
sluice_code_view_show_gem (SluiceCodeView *self,
                           const char     *gem_id)
{
  GtkTextBuffer *buffer;
  GtkTextIter begin, end;
  int first, last;

  g_return_val_if_fail (SLUICE_IS_CODE_VIEW (self), FALSE);
  g_return_val_if_fail (gem_id != NULL, FALSE);

  sluice_code_view_flush (self);
  buffer = buffer_of (self, self->dialect);
  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  gtk_text_buffer_remove_tag (buffer, highlight_tag (buffer), &begin, &end);
  if (!find_gem (self, gem_id, &first, &last))
    return FALSE;

  gtk_text_buffer_get_iter_at_line (buffer, &begin, first);
  gtk_text_buffer_get_iter_at_line (buffer, &end, last);
  gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_apply_tag (buffer, highlight_tag (buffer), &begin, &end);
  gtk_text_buffer_place_cursor (buffer, &begin);
  scroll_to_cursor (self->views[self->dialect]);
  /* A page just switched to is not laid out yet, and a scroll asked for
   * before that is lost: ask again on the next frame. */
  g_object_set_data (G_OBJECT (self->views[self->dialect]), "sluice-scroll-tries", NULL);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->views[self->dialect]), scroll_tick_cb, NULL, NULL);
  return TRUE;
}

gboolean
sluice_code_view_get_highlight (SluiceCodeView *self,
                                int            *first_line,
                                int            *last_line)
{
  GtkTextBuffer *buffer;
  GtkTextTag *tag;
  GtkTextIter iter;

  g_return_val_if_fail (SLUICE_IS_CODE_VIEW (self), FALSE);

  buffer = buffer_of (self, self->dialect);
  tag = highlight_tag (buffer);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (!gtk_text_iter_starts_tag (&iter, tag) && !gtk_text_iter_forward_to_tag_toggle (&iter, tag))
    return FALSE;
  *first_line = gtk_text_iter_get_line (&iter);
  gtk_text_iter_forward_to_tag_toggle (&iter, tag);
  *last_line = gtk_text_iter_get_line (&iter);
  return TRUE;
}

GtkSourceView *
sluice_code_view_get_source_view (SluiceCodeView *self)
{
  g_return_val_if_fail (SLUICE_IS_CODE_VIEW (self), NULL);
  ensure_languages (self);
  return self->views[self->dialect];
}
