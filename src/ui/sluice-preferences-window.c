#define G_LOG_DOMAIN "sluice-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-preferences-window.h"

struct _SluicePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *style_row;
  AdwComboRow          *dialect_row;
  AdwEntryRow          *author_name_row;
  AdwEntryRow          *author_email_row;

  GSettings            *settings;   /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluicePreferencesWindow, sluice_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const dialects[] = { "pyspark", "spark-sql", "snowflake-sql" };

/* The combo rows list positions; the settings hold an enum and a string. */
static gboolean
dialect_get (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  const char *dialect = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    if (g_str_equal (dialect, dialects[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
dialect_set (const GValue       *value,
             const GVariantType *type,
             gpointer            user_data)
{
  guint i = g_value_get_uint (value);
  return g_variant_new_string (dialects[MIN (i, G_N_ELEMENTS (dialects) - 1)]);
}

static gboolean
style_get (GValue   *value,
           GVariant *variant,
           gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);
  g_value_set_uint (value, g_str_equal (nick, "light") ? 1 : g_str_equal (nick, "dark") ? 2 : 0);
  return TRUE;
}

static GVariant *
style_set (const GValue       *value,
           const GVariantType *type,
           gpointer            user_data)
{
  static const char * const nicks[] = { "default", "light", "dark" };
  return g_variant_new_string (nicks[MIN (g_value_get_uint (value), 2u)]);
}

static void
sluice_preferences_window_dispose (GObject *object)
{
  SluicePreferencesWindow *self = SLUICE_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sluice_preferences_window_parent_class)->dispose (object);
}

static void
sluice_preferences_window_class_init (SluicePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SluicePreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SluicePreferencesWindow, dialect_row);
  gtk_widget_class_bind_template_child (widget_class, SluicePreferencesWindow, author_name_row);
  gtk_widget_class_bind_template_child (widget_class, SluicePreferencesWindow, author_email_row);
}

static void
sluice_preferences_window_init (SluicePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SluicePreferencesWindow *
sluice_preferences_window_new (GSettings *settings)
{
  SluicePreferencesWindow *self = g_object_new (SLUICE_TYPE_PREFERENCES_WINDOW, NULL);

  if (settings)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind_with_mapping (settings, "color-scheme", self->style_row, "selected",
                                    G_SETTINGS_BIND_DEFAULT, style_get, style_set, NULL, NULL);
      g_settings_bind_with_mapping (settings, "code-dialect", self->dialect_row, "selected",
                                    G_SETTINGS_BIND_DEFAULT, dialect_get, dialect_set, NULL, NULL);
      g_settings_bind (settings, "git-author-name", self->author_name_row, "text", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "git-author-email", self->author_email_row, "text", G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->author_name_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->author_email_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->dialect_row), FALSE);
    }
  return self;
}
