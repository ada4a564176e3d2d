#pragma once

#include <json-glib/json-glib.h>

#include "sluice-engines-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC (sluice_fabric_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabric, sluice_fabric, SLUICE, FABRIC, GObject)

/* An execution environment the user added once: its kind, a name (what
 * jobs' "fabric" refers to), a stable id (what its keyring items are filed
 * under, so a rename keeps them) and its non-secret settings, by key. Which
 * keys a kind has is data: sluice_fabric_kind_get_fields(). The secrets of a
 * fabric never live here; fields of type SECRET only say which there are.
 *
 * The connection state (state, state-message) is this session's last
 * answer, never saved.
 *
 * Properties: id, name, kind, state, state-message. Signal: changed (any
 * setting). */

typedef enum {
  SLUICE_FABRIC_FIELD_TEXT,
  SLUICE_FABRIC_FIELD_URL,      /* https (http only on loopback), normalised */
  SLUICE_FABRIC_FIELD_INT,
  SLUICE_FABRIC_FIELD_CHOICE,
  SLUICE_FABRIC_FIELD_SECRET,   /* kept in the keyring under this key as "field" */
} SluiceFabricFieldType;

typedef struct
{
  const char             *key;            /* in fabrics.json and the keyring */
  const char             *title;          /* translatable (N_) */
  SluiceFabricFieldType   type;
  gboolean                required;
  const char             *default_value;  /* nullable */
  const char * const     *choices;        /* CHOICE: the values… */
  const char * const     *choice_titles;  /* …and what they read as (N_) */
  int                     min, max;       /* INT */
  const char             *when_key;       /* nullable: the field applies only */
  const char             *when_value;     /* when when_key is when_value */
  const char             *hint;           /* nullable (N_): an example */
} SluiceFabricField;

/* "local", "databricks", "databricks-sql", "livy", "snowflake" */
const char              *sluice_fabric_kind_to_string (SluiceFabricKind kind);
gboolean                 sluice_fabric_kind_from_string (const char       *s,
                                                         SluiceFabricKind *kind);
/* What the kind reads as: "Databricks", "Databricks SQL"… */
const char              *sluice_fabric_kind_get_title  (SluiceFabricKind kind);
const SluiceFabricField *sluice_fabric_kind_get_fields (SluiceFabricKind kind,
                                                        guint           *n_fields);

/* A new fabric with a fresh id and every field's default. */
SluiceFabric     *sluice_fabric_new            (SluiceFabricKind  kind,
                                                const char       *name);
/* The built-in Local fabric (id and name "local" / "Local"). */
SluiceFabric     *sluice_fabric_new_local      (void);
/* (transfer full): same id, name, kind and settings; state not copied */
SluiceFabric     *sluice_fabric_copy           (SluiceFabric     *self);
/* Takes @other's name, former names and settings (same id); notifies and emits changed. */
void              sluice_fabric_update_from    (SluiceFabric     *self,
                                                SluiceFabric     *other);

const char       *sluice_fabric_get_id         (SluiceFabric     *self);
/* For the store when it reads a file: ids are otherwise made by _new(). */
void              sluice_fabric_set_id         (SluiceFabric     *self,
                                                const char       *id);
const char       *sluice_fabric_get_name       (SluiceFabric     *self);
void              sluice_fabric_set_name       (SluiceFabric     *self,
                                                const char       *name);
SluiceFabricKind  sluice_fabric_get_kind       (SluiceFabric     *self);
gboolean          sluice_fabric_is_local       (SluiceFabric     *self);
/* (nullable): the setting, or NULL when unset */
const char       *sluice_fabric_get_setting    (SluiceFabric     *self,
                                                const char       *key);
/* @value NULL or "" unsets. Not checked here: see sluice_fabric_check(). */
void              sluice_fabric_set_setting    (SluiceFabric     *self,
                                                const char       *key,
                                                const char       *value);
/* Whether @field applies given the other settings (a new cluster's fields
 * only when cluster is "new"…). */
gboolean          sluice_fabric_field_applies  (SluiceFabric            *self,
                                                const SluiceFabricField *field);
/* The names it had before the user renamed it, oldest first (never NULL;
 * maybe empty): a job in a project that was closed then still names one,
 * and its editor can say what the fabric is called now. */
const char * const *sluice_fabric_get_former_names (SluiceFabric *self);
void              sluice_fabric_set_former_names (SluiceFabric       *self,
                                                  const char * const *names);
/* Whether @name is one of them (in any case). */
gboolean          sluice_fabric_was_named      (SluiceFabric     *self,
                                                const char       *name);
/* The members not to lose: unknown keys a newer Sluice wrote, written back
 * after the known ones. (transfer none) (nullable) */
JsonObject       *sluice_fabric_get_extra      (SluiceFabric     *self);
void              sluice_fabric_set_extra      (SluiceFabric     *self,
                                                JsonObject       *extra);

/* Checks every setting that applies (required, URL, number, choice) and
 * normalises URLs in place. Fails with SLUICE_ENGINE_ERROR_FAILED and a
 * message naming the field: "Workspace URL: must start with https://". */
gboolean          sluice_fabric_check          (SluiceFabric     *self,
                                                GError          **error);

SluiceFabricState sluice_fabric_get_state      (SluiceFabric     *self);
/* (nullable): why it failed, or what it connected to */
const char       *sluice_fabric_get_state_message (SluiceFabric  *self);
void              sluice_fabric_set_state      (SluiceFabric     *self,
                                                SluiceFabricState state,
                                                const char       *message);

/* https://HOST[:PORT][/PATH] with the scheme and host in lower case, no
 * default port and no trailing slash. Plain http only for loopback hosts.
 * No user name or password, query or fragment. (transfer full) */
char             *sluice_fabric_normalize_url  (const char       *url,
                                                GError          **error);

G_END_DECLS
