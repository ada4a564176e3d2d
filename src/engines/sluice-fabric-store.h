#pragma once

#include <gio/gio.h>

#include "sluice-engines-types.h"
#include "sluice-fabric.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC_STORE (sluice_fabric_store_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricStore, sluice_fabric_store, SLUICE, FABRIC_STORE, GObject)

/* The user's fabrics: a GListModel of SluiceFabric, the built-in Local
 * fabric first, then those of fabrics.json ($XDG_CONFIG_HOME/sluice/, the
 * format is in docs/file-format.md). Per user, never in a project; no
 * secrets (those are in the keyring, filed under each fabric's id).
 *
 * A file that cannot be read leaves the store with Local only and sets
 * load-error ("PATH:LINE:COL: problem"). While it is set, saving fails
 * rather than overwrite the file: sluice_fabric_store_set_aside() moves it
 * out of the way when the user says so. */

/* @path (nullable): the file; NULL for $XDG_CONFIG_HOME/sluice/fabrics.json */
SluiceFabricStore *sluice_fabric_store_new            (const char         *path);
const char        *sluice_fabric_store_get_path       (SluiceFabricStore  *self);
/* (transfer none) (nullable) */
const GError      *sluice_fabric_store_get_load_error (SluiceFabricStore  *self);
/* (transfer none): the built-in Local fabric */
SluiceFabric      *sluice_fabric_store_get_local      (SluiceFabricStore  *self);

/* Reads the file (a missing one is no fabrics). On failure the error is
 * also the store's load-error. The sync form is for the CLI and tests. */
gboolean  sluice_fabric_store_load         (SluiceFabricStore   *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
void      sluice_fabric_store_load_async   (SluiceFabricStore   *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  sluice_fabric_store_load_finish  (SluiceFabricStore   *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Writes the file atomically (the old or the new contents, never half). */
gboolean  sluice_fabric_store_save         (SluiceFabricStore   *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
void      sluice_fabric_store_save_async   (SluiceFabricStore   *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  sluice_fabric_store_save_finish  (SluiceFabricStore   *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Renames the unreadable file to PATH.broken (or .broken-2…), clears
 * load-error, so the next save starts a new file. (transfer full) (nullable):
 * the new name. */
char     *sluice_fabric_store_set_aside    (SluiceFabricStore   *self,
                                            GError             **error);

/* The canonical text of the store's fabrics, as save writes it. */
GBytes   *sluice_fabric_store_to_bytes     (SluiceFabricStore   *self);

/* (transfer none) (nullable) */
SluiceFabric *sluice_fabric_store_lookup         (SluiceFabricStore *self,
                                                  const char        *id);
SluiceFabric *sluice_fabric_store_lookup_by_name (SluiceFabricStore *self,
                                                  const char        *name);
/* (transfer none) (nullable): a fabric that was once called @name (in any
 * case; see sluice_fabric_get_former_names()) */
SluiceFabric *sluice_fabric_store_lookup_by_former_name (SluiceFabricStore *self,
                                                         const char        *name);
/* Fails when @name is empty or another fabric than @fabric (nullable) has it
 * (in any case: jobs name fabrics, and "prod" and "Prod" would confuse). */
gboolean      sluice_fabric_store_check_name     (SluiceFabricStore *self,
                                                  SluiceFabric      *fabric,
                                                  const char        *name,
                                                  GError           **error);
/* Adds @fabric at @position (-1: at the end; never before Local). */
void          sluice_fabric_store_insert         (SluiceFabricStore *self,
                                                  int                position,
                                                  SluiceFabric      *fabric);
/* Removes @fabric (not Local); returns where it was, for an undo. */
guint         sluice_fabric_store_remove         (SluiceFabricStore *self,
                                                  SluiceFabric      *fabric);

G_END_DECLS
