#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SLUICE_TYPE_PREFERENCES_WINDOW (sluice_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SluicePreferencesWindow, sluice_preferences_window, SLUICE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @settings (nullable): without them the rows are shown but insensitive. */
SluicePreferencesWindow *sluice_preferences_window_new (GSettings *settings);

G_END_DECLS
