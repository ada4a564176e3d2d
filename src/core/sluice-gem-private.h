#pragma once

#include "sluice-gem.h"
#include "sluice-json-writer.h"

G_BEGIN_DECLS

/* Only the pipeline and its commands change gems. */

/* @config and @extra (nullable) are deep-copied. @input_names (nullable)
 * are the explicit inputs of a 2..N or named-input gem. */
SluiceGem *_sluice_gem_new            (const char         *id,
                                       const char         *type_name,
                                       const char         *label,
                                       int                 x,
                                       int                 y,
                                       JsonObject         *config,
                                       const char * const *input_names,
                                       JsonObject         *extra);
/* Like _sluice_gem_new() but takes @config and @extra (nullable) as they
 * are: the loader hands over freshly parsed objects, nothing to copy. */
SluiceGem *_sluice_gem_new_take       (const char         *id,
                                       const char         *type_name,
                                       const char         *label,
                                       int                 x,
                                       int                 y,
                                       JsonObject         *config,
                                       const char * const *input_names,
                                       JsonObject         *extra);
/* (transfer full): a deep copy of @self under another id and position, for a paste. */
SluiceGem *_sluice_gem_copy           (SluiceGem          *self,
                                       const char         *id,
                                       int                 x,
                                       int                 y);
/* The configuration object is also the loaded file's: copy it before an edit. */
void       _sluice_gem_mark_config_shared (SluiceGem     *self);
void       _sluice_gem_set_id         (SluiceGem          *self,
                                       const char         *id);
void       _sluice_gem_set_label      (SluiceGem          *self,
                                       const char         *label);
void       _sluice_gem_set_position   (SluiceGem          *self,
                                       int                 x,
                                       int                 y);
/* @value (transfer none) (nullable): deep-copied; NULL removes the key */
void       _sluice_gem_set_config     (SluiceGem          *self,
                                       const char         *key,
                                       JsonNode           *value);
void       _sluice_gem_set_inputs     (SluiceGem          *self,
                                       const char * const *names);
/* (transfer none): the current input names */
const char * const *_sluice_gem_peek_inputs (SluiceGem    *self);
/* (transfer full): the current input names */
GStrv      _sluice_gem_dup_inputs     (SluiceGem          *self);
/* Whether the file lists the inputs (2..N or named-input types). */
gboolean   _sluice_gem_has_explicit_inputs (SluiceGem     *self);
/* Writes the gem as its canonical JSON object. */
void       _sluice_gem_write          (SluiceGem          *self,
                                       SluiceJsonWriter   *writer);
/* (transfer full): the gem as its canonical JSON object */
JsonNode  *_sluice_gem_to_json        (SluiceGem          *self);

G_END_DECLS
