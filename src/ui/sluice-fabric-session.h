#pragma once

#include <gio/gio.h>

#include "sluice-credential-store.h"
#include "sluice-engine.h"
#include "sluice-fabric-store.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC_SESSION (sluice_fabric_session_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricSession, sluice_fabric_session, SLUICE, FABRIC_SESSION, GObject)

/* Where the fabric store (settings, engines layer) and the credential store
 * (secrets, keyring) meet, for the windows of one application: which fabric
 * is selected, one engine per fabric, and the edits that touch both stores
 * (save with secrets, delete and undo, test a connection). GTK-free.
 *
 * Properties: selected (SluiceFabric, never NULL: Local until another is
 * chosen, and again when that one goes); engine (SluiceEngine, nullable: the
 * selected fabric's, what pipelines run on; Local's at once, a remote
 * fabric's once its secrets are looked up in the keyring, and again after
 * its settings or secrets change). */

SluiceFabricSession   *sluice_fabric_session_new             (SluiceFabricStore     *fabrics,
                                                              SluiceCredentialStore *credentials,
                                                              const char            *cache_dir);
/* (transfer none) */
SluiceFabricStore     *sluice_fabric_session_get_fabrics     (SluiceFabricSession   *self);
SluiceCredentialStore *sluice_fabric_session_get_credentials (SluiceFabricSession   *self);
SluiceFabric          *sluice_fabric_session_get_selected    (SluiceFabricSession   *self);
/* Selects @fabric and tests its connection. */
void                   sluice_fabric_session_select          (SluiceFabricSession   *self,
                                                              SluiceFabric          *fabric);
/* (transfer none) (nullable): the engine @fabric runs on if it is made:
 * Local's always (made on first use, no secrets), a remote fabric's once
 * sluice_fabric_session_load_engine_async() made it. */
SluiceEngine          *sluice_fabric_session_get_engine      (SluiceFabricSession   *self,
                                                              SluiceFabric          *fabric);
/* (transfer none) (nullable): the engine property */
SluiceEngine          *sluice_fabric_session_get_selected_engine (SluiceFabricSession *self);

/* Makes @fabric's engine (once, until its settings or secrets change) with
 * its secrets from the keyring. A secret the keyring cannot give is left
 * out: the engine says what it lacks when used, and the fabric's test says
 * why. (transfer full) */
void                   sluice_fabric_session_load_engine_async  (SluiceFabricSession  *self,
                                                                 SluiceFabric         *fabric,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
SluiceEngine          *sluice_fabric_session_load_engine_finish (SluiceFabricSession  *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

/* What makes engines: sluice_engine_new_for_fabric() unless a test puts a
 * recorder in its place (NULL: back to it). Drops the engines made so far.
 * An engine to use gets the table of secrets (maybe empty); a throwaway one,
 * only asked what its kind can do, gets NULL. */
typedef SluiceEngine *(*SluiceFabricSessionEngineFactory) (SluiceFabric *fabric,
                                                           const char   *cache_dir,
                                                           GHashTable   *secrets);
void                   sluice_fabric_session_set_engine_factory (SluiceFabricSession              *self,
                                                                 SluiceFabricSessionEngineFactory  factory);

/* Loads fabrics.json and asks whether the keyring answers; then selects
 * the fabric named @selected_name (nullable; Local if it is gone). Fails
 * with the file's problem, which also stays the store's load-error. */
void      sluice_fabric_session_start_async   (SluiceFabricSession  *self,
                                               const char           *selected_name,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean  sluice_fabric_session_start_finish  (SluiceFabricSession  *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Tests @fabric's connection: its secrets from the keyring, then its
 * engine. Sets the fabric's state and state-message as it goes (READY,
 * FAILED, or UNAVAILABLE for a kind this build cannot connect to); fails
 * with the same message, redacted. */
void      sluice_fabric_session_test_async    (SluiceFabricSession  *self,
                                               SluiceFabric         *fabric,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean  sluice_fabric_session_test_finish   (SluiceFabricSession  *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Checks @edited (a copy, or a new fabric), puts it in the store (updating
 * the fabric with its id, or adding it), writes fabrics.json, then stores
 * @secrets (field → new value; fields left out keep what the keyring has)
 * in the keyring. Fails before writing anything when a setting is wrong;
 * when only the keyring fails, the settings are saved and the error says
 * the secret was not. */
void      sluice_fabric_session_save_async    (SluiceFabricSession  *self,
                                               SluiceFabric         *edited,
                                               GHashTable           *secrets,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean  sluice_fabric_session_save_finish   (SluiceFabricSession  *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* What an undo of a delete needs: the fabric, where it was, its secrets
 * (wiped when this is freed). */
typedef struct _SluiceFabricRemoval SluiceFabricRemoval;

void                 sluice_fabric_removal_free      (SluiceFabricRemoval *removal);
/* (transfer none) */
SluiceFabric        *sluice_fabric_removal_get_fabric (SluiceFabricRemoval *removal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceFabricRemoval, sluice_fabric_removal_free)

/* Deletes @fabric: its secrets from the keyring (kept in memory for an
 * undo), its settings from fabrics.json. */
void                 sluice_fabric_session_delete_async   (SluiceFabricSession  *self,
                                                           SluiceFabric         *fabric,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* (transfer full) */
SluiceFabricRemoval *sluice_fabric_session_delete_finish  (SluiceFabricSession  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Puts a deleted fabric back where it was, settings and secrets. */
void                 sluice_fabric_session_restore_async  (SluiceFabricSession  *self,
                                                           SluiceFabricRemoval  *removal,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean             sluice_fabric_session_restore_finish (SluiceFabricSession  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

/* The keyring label of @fabric's @field ("Sluice: token of fabric “Prod”"). */
char                *sluice_fabric_session_label         (SluiceFabric         *fabric,
                                                          const char           *field);

G_END_DECLS
