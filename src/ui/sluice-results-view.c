#define G_LOG_DOMAIN "sluice-results-view"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "sluice-results-view.h"
#include "sluice-sample-row.h"

struct _SluiceResultsView
{
  GtkBox            parent_instance;

  GtkLabel         *title;
  GtkLabel         *summary;
  GtkStack         *stack;
  GtkColumnView    *column_view;
  GtkLabel         *error_label;

  SluiceGemResult  *result;   /* owned, nullable */
  GListStore       *rows;     /* owned: SluiceSampleRow */
  GtkSortListModel *sorted;   /* owned */
};

G_DEFINE_FINAL_TYPE (SluiceResultsView, sluice_results_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_RESULT, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Which column a factory or sorter is for. */
#define COLUMN_KEY "sluice-column"

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  SluiceSampleRow *row = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), COLUMN_KEY));
  const char *value = sluice_sample_row_get_value (row, column);

  /* NULL is not the text "NULL": it is shown dimmed. */
  gtk_label_set_text (GTK_LABEL (label), value ? value : "NULL");
  if (value)
    gtk_widget_remove_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "dim-label");
}

typedef struct
{
  guint    column;
  gboolean numeric;
} SortSpec;

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SortSpec *spec = user_data;
  const char *x = sluice_sample_row_get_value ((SluiceSampleRow *) a, spec->column);
  const char *y = sluice_sample_row_get_value ((SluiceSampleRow *) b, spec->column);

  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);
  if (spec->numeric)
    {
      double dx = g_ascii_strtod (x, NULL), dy = g_ascii_strtod (y, NULL);
      return dx < dy ? GTK_ORDERING_SMALLER : dx > dy ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
  {
    int c = g_utf8_collate (x, y);
    return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
  }
}

static void
clear_columns (SluiceResultsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, c);
    }
}

static void
show_result (SluiceResultsView *self)
{
  SluiceGemResult *r = self->result;
  const GError *error = r ? sluice_gem_result_get_error (r) : NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = NULL;
  guint n_cols, n_rows;

  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  g_list_store_remove_all (self->rows);
  clear_columns (self);
  gtk_label_set_text (self->title, r && sluice_gem_result_get_gem_id (r) ? sluice_gem_result_get_gem_id (r) : "");
  if (r == NULL)
    {
      gtk_label_set_text (self->summary, "");
      return;
    }
  if (error)
    {
      gtk_label_set_text (self->summary, _("failed"));
      gtk_label_set_text (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  n_cols = sluice_gem_result_get_n_columns (r);
  n_rows = sluice_gem_result_get_n_sample_rows (r);
  for (guint c = 0; c < n_cols; c++)
    {
      const SluiceColumn *col = sluice_gem_result_get_column (r, c);
      g_autofree char *type = col->type.kind == SLUICE_SQL_UNKNOWN ? NULL : sluice_sql_type_to_string (col->type);
      g_autofree char *title = type ? g_strdup_printf ("%s (%s)", col->name, type) : g_strdup (col->name);
      gboolean numeric = sluice_sql_type_is_numeric (col->type);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      SortSpec *spec = g_new (SortSpec, 1);
      g_autoptr(GtkSorter) sorter = NULL;

      g_object_set_data (G_OBJECT (factory), COLUMN_KEY, GUINT_TO_POINTER (c));
      g_object_set_data (G_OBJECT (factory), "numeric", GINT_TO_POINTER (numeric));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
      column = gtk_column_view_column_new (title, factory);
      spec->column = c;
      spec->numeric = numeric;
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, spec, g_free));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
  for (guint i = 0; i < n_rows; i++)
    g_ptr_array_add (rows, sluice_sample_row_new (r, i));
  g_list_store_splice (self->rows, 0, 0, rows->pdata, rows->len);

  {
    gint64 total = sluice_gem_result_get_n_rows (r);
    g_autofree char *count = sluice_format_row_count (total);
    if ((gint64) n_rows < total)
      summary = g_strdup_printf (_("%s, the first %u shown · %.1f ms"), count, n_rows, sluice_gem_result_get_elapsed (r));
    else
      summary = g_strdup_printf (_("%s · %.1f ms"), count, sluice_gem_result_get_elapsed (r));
  }
  if (sluice_gem_result_get_output (r))
    {
      g_autofree char *with_output = g_strdup_printf (_("%s · written to %s"), summary, sluice_gem_result_get_output (r));
      g_free (summary);
      summary = g_steal_pointer (&with_output);
    }
  gtk_label_set_text (self->summary, summary);
  gtk_stack_set_visible_child_name (self->stack, "table");
}

void
sluice_results_view_set_result (SluiceResultsView *self,
                                SluiceGemResult   *result)
{
  g_return_if_fail (SLUICE_IS_RESULTS_VIEW (self));
  g_return_if_fail (!result || SLUICE_IS_GEM_RESULT (result));

  if (self->result == result)
    return;
  g_set_object (&self->result, result);
  show_result (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

SluiceGemResult *
sluice_results_view_get_result (SluiceResultsView *self)
{
  g_return_val_if_fail (SLUICE_IS_RESULTS_VIEW (self), NULL);
  return self->result;
}

GListModel *
sluice_results_view_get_rows (SluiceResultsView *self)
{
  g_return_val_if_fail (SLUICE_IS_RESULTS_VIEW (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkColumnView *
sluice_results_view_get_column_view (SluiceResultsView *self)
{
  g_return_val_if_fail (SLUICE_IS_RESULTS_VIEW (self), NULL);
  return self->column_view;
}

static void
sluice_results_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SluiceResultsView *self = SLUICE_RESULTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_results_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_RESULT:
      sluice_results_view_set_result (SLUICE_RESULTS_VIEW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_results_view_dispose (GObject *object)
{
  SluiceResultsView *self = SLUICE_RESULTS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_RESULTS_VIEW);
  g_clear_object (&self->result);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (sluice_results_view_parent_class)->dispose (object);
}

static void
sluice_results_view_class_init (SluiceResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_results_view_dispose;
  object_class->get_property = sluice_results_view_get_property;
  object_class->set_property = sluice_results_view_set_property;

  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL, SLUICE_TYPE_GEM_RESULT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceResultsView, title);
  gtk_widget_class_bind_template_child (widget_class, SluiceResultsView, summary);
  gtk_widget_class_bind_template_child (widget_class, SluiceResultsView, stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceResultsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SluiceResultsView, error_label);
}

static void
sluice_results_view_init (SluiceResultsView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (SLUICE_TYPE_SAMPLE_ROW);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->rows)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}
