#pragma once

#include <adwaita.h>

#include "sluice-core.h"
#include "sluice-project-page.h"

G_BEGIN_DECLS

typedef struct _SluiceApplication SluiceApplication;

#define SLUICE_TYPE_WINDOW (sluice_window_get_type ())
G_DECLARE_FINAL_TYPE (SluiceWindow, sluice_window, SLUICE, WINDOW, AdwApplicationWindow)

SluiceWindow  *sluice_window_new          (SluiceApplication *app);
/* Loads the project in the background; problems opening it become a toast. */
void           sluice_window_open_project (SluiceWindow      *self,
                                           GFile             *directory);
/* (transfer none) (nullable) */
SluiceProject *sluice_window_get_project  (SluiceWindow      *self);
void           sluice_window_show_toast   (SluiceWindow      *self,
                                           const char        *message);
/* (transfer none): for tests */
typedef struct _SluiceWelcomePage SluiceWelcomePage;
SluiceWelcomePage *sluice_window_get_welcome_page (SluiceWindow *self);
/* (transfer none) */
SluiceProjectPage *sluice_window_get_project_page (SluiceWindow *self);
/* (transfer none) (nullable): the AdwMessageDialog asking whether to save
 * unsaved pipelines before closing the window or the project, or opening
 * another one */
GtkWidget         *sluice_window_get_unsaved_dialog (SluiceWindow *self);
/* (transfer none): the header bar's fabric selector and the banner under it */
typedef struct _SluiceFabricButton SluiceFabricButton;
typedef struct _SluiceFabricBanner SluiceFabricBanner;
SluiceFabricButton *sluice_window_get_fabric_button (SluiceWindow *self);
SluiceFabricBanner *sluice_window_get_fabric_banner (SluiceWindow *self);

G_END_DECLS
