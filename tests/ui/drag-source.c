/* A stand-in for a file manager, for test-dataset-drop: one window, titled
 * "Sluice drag source", whose whole area drags the file given as argv[1]
 * (as a GdkFileList, which GTK offers over XDND as text/uri-list).
 *
 *   drag-source FILE
 *
 * Prints "ready" once the window is mapped and "dropped ACTION" when the
 * drag ends, and quits on that, or after 60 s. */
#include "config.h"

#include <gtk/gtk.h>

static GFile *file;

static GdkContentProvider *
prepare_cb (GtkDragSource *source,
            double         x,
            double         y,
            gpointer       user_data)
{
  GSList *files = g_slist_prepend (NULL, g_object_ref (file));
  GdkFileList *list = gdk_file_list_new_from_list (files);
  GdkContentProvider *provider = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, list);

  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  g_slist_free_full (files, g_object_unref);
  return provider;
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             GtkWindow     *window)
{
  g_print ("dropped %d\n", gdk_drag_get_selected_action (drag));
  gtk_window_destroy (window);
}

static void
mapped_cb (GtkWidget *window)
{
  g_print ("ready\n");
}

static gboolean
give_up (gpointer window)
{
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window, *label;
  GtkDragSource *source;

  if (argc != 2)
    {
      g_printerr ("usage: drag-source FILE\n");
      return 2;
    }
  gtk_init ();
  file = g_file_new_for_commandline_arg (argv[1]);

  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Sluice drag source");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 220, 120);
  label = gtk_label_new (g_file_peek_path (file));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_window_set_child (GTK_WINDOW (window), label);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (prepare_cb), NULL);
  g_signal_connect (source, "drag-end", G_CALLBACK (drag_end_cb), window);
  gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (source));
  g_signal_connect (window, "map", G_CALLBACK (mapped_cb), NULL);
  g_timeout_add_seconds (60, give_up, window);

  gtk_window_present (GTK_WINDOW (window));
  while (g_list_model_get_n_items (gtk_window_get_toplevels ()) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (file);
  return 0;
}
