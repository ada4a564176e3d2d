/* What the UI tests share: waiting on the main loop, real input through
 * xdotool, coordinates inside the X window, screenshots. */
#pragma once

#include <gtk/gtk.h>

#include "sluice-application.h"
#include "sluice-project-page.h"
#include "sluice-window.h"

G_BEGIN_DECLS

/* gtk_init_check(), tried a few times: a loaded X server can refuse a
 * connection for a moment. Under tests/run-headless.sh (which provides the
 * display) failing is a test failure, not a skip. */
gboolean   ui_test_init_display   (void);
/* Runs the main loop for @ms milliseconds. */
void       ui_test_spin_ms        (guint        ms);
/* Runs the main loop until @done (@data), failing after @seconds. */
void       ui_test_spin_until     (gboolean   (*done) (gpointer),
                                   gpointer     data,
                                   guint        seconds);
/* Runs `xdotool SCRIPT` with the main loop running, so GTK handles the
 * events as they arrive, then lets the last frame settle. */
void       ui_test_xdotool        (const char  *script);
gulong     ui_test_window_xid     (GtkWindow   *window);
/* A point of @widget → coordinates inside its window's X surface. */
void       ui_test_to_window      (GtkWidget   *widget,
                                   double       x,
                                   double       y,
                                   int         *wx,
                                   int         *wy);
/* Presses at @from's point, moves in steps to @to's point, releases. */
void       ui_test_real_drag      (GtkWidget   *from,
                                   double       x0,
                                   double       y0,
                                   GtkWidget   *to,
                                   double       x1,
                                   double       y1);
/* Keeps a screenshot of @window as _build/tests/ui/artifacts/NAME. */
void       ui_test_screenshot     (GtkWindow   *window,
                                   const char  *name);
/* The first widget under @root (depth first) that @match accepts. */
GtkWidget *ui_test_find           (GtkWidget   *root,
                                   gboolean   (*match) (GtkWidget *, gconstpointer),
                                   gconstpointer data);

/* Deletes @path and everything under it (symbolic links are not followed). */
void               ui_test_remove_tree      (const char        *path);
/* Copies examples/retail to @dir/@name, so that runs and saves stay out of
 * the source tree. (transfer full): the copy's path */
char              *ui_test_copy_example     (const char        *dir,
                                             const char        *name);
/* The one application of a test program, registered and held, so that its
 * startup (settings, actions) runs without a main loop. */
SluiceApplication *ui_test_app_new          (void);
/* A new window of @app on the project at @path, once it is loaded. */
SluiceWindow      *ui_test_open_project     (SluiceApplication *app,
                                             const char        *path);
SluiceProjectPage *ui_test_project_page     (SluiceWindow      *window);
/* What a click on a response button does: answer, then the dialog goes. */
void               ui_test_respond          (AdwMessageDialog  *dialog,
                                             const char        *response);
/* Waits for the latest run of @pipeline to end (and its controls to settle). */
void               ui_test_wait_for_run     (SluiceProjectPage *page,
                                             SluicePipeline    *pipeline);

G_END_DECLS
