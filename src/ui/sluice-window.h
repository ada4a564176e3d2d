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
/* What New Project does once the folder and name are chosen: sluice.json
 * and the folders, git init (sluice_repository_create_async), then the
 * project opens. Problems become a toast. */
void           sluice_window_create_project (SluiceWindow    *self,
                                             GFile           *folder,
                                             const char      *name);
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

/* (transfer none): the git panel beside the project and the header bar's
 * branch switcher */
typedef struct _SluiceGitPanel SluiceGitPanel;
typedef struct _SluiceBranchButton SluiceBranchButton;
SluiceGitPanel     *sluice_window_get_git_panel     (SluiceWindow *self);
SluiceBranchButton *sluice_window_get_branch_button (SluiceWindow *self);
/* What win.clone-project does: (transfer none) the Clone dialog, shown;
 * a successful clone opens its folder as the project. */
typedef struct _SluiceCloneDialog SluiceCloneDialog;
SluiceCloneDialog  *sluice_window_clone             (SluiceWindow *self);

G_END_DECLS
