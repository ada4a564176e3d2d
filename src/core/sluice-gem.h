#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-core-types.h"
#include "sluice-gem-settings.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_GEM (sluice_gem_get_type ())
G_DECLARE_FINAL_TYPE (SluiceGem, sluice_gem, SLUICE, GEM, GObject)

/* A gem is read-only to everyone but its pipeline's commands: edit it through
 * sluice_pipeline_*() so every change is undoable. */
const char    *sluice_gem_get_id          (SluiceGem  *self);
const char    *sluice_gem_get_type_name   (SluiceGem  *self);
/* (nullable): NULL when the type is not in the catalog (a validation error) */
SluiceGemType *sluice_gem_get_gem_type    (SluiceGem  *self);
const char    *sluice_gem_get_label       (SluiceGem  *self);
int            sluice_gem_get_x           (SluiceGem  *self);
int            sluice_gem_get_y           (SluiceGem  *self);

/* (transfer none): the input port names, NULL-terminated, in port order:
 * what sluice_gem_get_inputs() lists, without making the port objects. */
const char * const *sluice_gem_peek_input_names (SluiceGem *self);
/* (transfer none): a GListModel of SluicePort; it changes when inputs are added */
GListModel    *sluice_gem_get_inputs      (SluiceGem  *self);
GListModel    *sluice_gem_get_outputs     (SluiceGem  *self);
/* Cheap check, without making port objects. */
gboolean       sluice_gem_has_port        (SluiceGem           *self,
                                           SluicePortDirection  direction,
                                           const char          *name);
SluicePort    *sluice_gem_find_port       (SluiceGem           *self,
                                           SluicePortDirection  direction,
                                           const char          *name);

/* (transfer none) (nullable): the configuration value stored under @key */
JsonNode      *sluice_gem_get_config      (SluiceGem  *self,
                                           const char *key);
/* Changes whenever the id, label, configuration or inputs change (not the
 * position): what generated code depends on, for caches of it. */
guint          sluice_gem_get_version       (SluiceGem *self);
/* (transfer none): the whole configuration object; do not modify */
JsonObject    *sluice_gem_get_config_object (SluiceGem *self);
const char    *sluice_gem_get_config_string (SluiceGem  *self,
                                             const char *key);
/* (transfer none): the configuration's index, for reading many gems fast;
 * it is remade (and this one freed) by any change to the configuration */
const SluiceGemSettings *sluice_gem_peek_settings (SluiceGem *self);

/* Ids: lower-case letters, digits and underscores, starting with a letter or
 * underscore, at most SLUICE_GEM_ID_MAX bytes. They come from labels and are
 * renamed only on request, so diffs stay stable. */
#define SLUICE_GEM_ID_MAX 64
gboolean       sluice_gem_id_is_valid     (const char *id);
/* A valid id derived from @label ("Recent orders" → "recent_orders"). */
char          *sluice_gem_id_from_label   (const char *label);

G_END_DECLS
