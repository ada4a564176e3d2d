#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SLUICE_TYPE_WELCOME_PAGE (sluice_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (SluiceWelcomePage, sluice_welcome_page, SLUICE, WELCOME_PAGE, AdwBin)

/* Signal: open-recent (const char *path) when a recent project is chosen. */
void sluice_welcome_page_set_settings (SluiceWelcomePage *self,
                                       GSettings         *settings);
/* Re-reads the recent projects (and whether their folders still exist). */
void sluice_welcome_page_reload       (SluiceWelcomePage *self);
/* (transfer none): the recent projects' rows, for tests */
GtkListBox *sluice_welcome_page_get_recent_list (SluiceWelcomePage *self);

G_END_DECLS
