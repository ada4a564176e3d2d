/* The gem palette: every gem by category, search, what a drag carries, and
 * choosing a gem from the keyboard. */
#include "config.h"

#include "sluice-core.h"
#include "sluice-palette.h"
#include "ui-test-util.h"

static gboolean have_display;

static void
chosen (SluicePalette *palette,
        const char    *type_name,
        GString       *log)
{
  g_string_append_printf (log, "%s;", type_name);
}

static void
test_lists_every_gem_and_searches (void)
{
  GtkWidget *window;
  SluicePalette *palette;
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) joins = NULL;
  g_auto(GStrv) by_description = NULL;
  g_auto(GStrv) none = NULL;
  GListModel *types = sluice_gem_type_list ();

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  window = gtk_window_new ();
  palette = SLUICE_PALETTE (sluice_palette_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (palette));
  gtk_window_present (GTK_WINDOW (window));

  /* Every gem, each category together (so one heading each). */
  all = sluice_palette_get_shown_types (palette);
  g_assert_cmpuint (g_strv_length (all), ==, g_list_model_get_n_items (types));
  {
    g_autoptr(GHashTable) closed = g_hash_table_new (g_str_hash, g_str_equal);
    const char *current = NULL;

    for (guint i = 0; all[i]; i++)
      {
        const char *category = sluice_gem_type_get_category (sluice_gem_type_lookup (all[i]));
        if (g_strcmp0 (category, current) != 0)
          {
            g_assert_false (g_hash_table_contains (closed, category));
            if (current)
              g_hash_table_add (closed, (gpointer) current);
            current = category;
          }
      }
    g_assert_cmpstr (all[0], ==, "Source");
  }

  /* Case does not matter; titles, categories and descriptions are searched. */
  sluice_palette_set_filter_text (palette, "JOIN");
  joins = sluice_palette_get_shown_types (palette);
  g_assert_cmpstrv (joins, ((const char * const[]) { "Join", "SetOperation", NULL }));
  sluice_palette_set_filter_text (palette, "zzz-nothing");
  none = sluice_palette_get_shown_types (palette);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  sluice_palette_set_filter_text (palette, "pyspark");
  by_description = sluice_palette_get_shown_types (palette);
  g_assert_true (g_strv_contains ((const char * const *) by_description, "Script"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_a_drag_carries_the_gem_type (void)
{
  g_autoptr(SluicePalette) palette = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  palette = g_object_ref_sink (SLUICE_PALETTE (sluice_palette_new ()));
  content = sluice_palette_get_drag_content (palette, "Filter");
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, "sluice-gem:Filter");
  g_assert_cmpstr (sluice_palette_parse_drop (g_value_get_string (&value)), ==, "Filter");

  /* Anything else dropped is not a gem. */
  g_assert_null (sluice_palette_parse_drop ("Filter"));
  g_assert_null (sluice_palette_parse_drop ("sluice-gem:Nope"));
  g_assert_null (sluice_palette_parse_drop (NULL));
  g_assert_null (sluice_palette_get_drag_content (palette, "Nope"));
}

static void
test_enter_chooses_the_only_match (void)
{
  GtkWidget *window;
  SluicePalette *palette;
  g_autoptr(GString) log = g_string_new (NULL);
  GtkWidget *entry;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  window = gtk_window_new ();
  palette = SLUICE_PALETTE (sluice_palette_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (palette));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (palette, "gem-chosen", G_CALLBACK (chosen), log);

  entry = gtk_widget_get_first_child (GTK_WIDGET (palette));
  g_assert_true (GTK_IS_SEARCH_ENTRY (entry));
  /* Several matches: Enter chooses nothing. */
  sluice_palette_set_filter_text (palette, "rows");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (log->str, ==, "");
  sluice_palette_set_filter_text (palette, "dedup");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (log->str, ==, "Deduplicate;");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    {
      /* The template is in the app's resources, linked into this test. */
      g_type_ensure (SLUICE_TYPE_PALETTE);
    }
  g_test_add_func ("/sluice/ui/palette/lists-every-gem-and-searches", test_lists_every_gem_and_searches);
  g_test_add_func ("/sluice/ui/palette/a-drag-carries-the-gem-type", test_a_drag_carries_the_gem_type);
  g_test_add_func ("/sluice/ui/palette/enter-chooses-the-only-match", test_enter_chooses_the_only_match);
  return g_test_run ();
}
