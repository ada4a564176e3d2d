#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A gem's configuration as resolving and code generation read it, in one
 * block: each member's key, its node, and, for strings and lists of
 * records, the strings themselves. The JSON tree stays the truth (saving,
 * the inspector); this is its index, made when the configuration is set,
 * while the tree is still in the cache. Reading a Reformat gem's four
 * columns through the tree touches some 45 separate allocations, and over a
 * 10,000-gem pipeline nearly every one is a cache miss.
 *
 * Immutable once made, so threads may read it at once. */
typedef struct _SluiceGemSettings SluiceGemSettings;

/* @config (transfer none): its nodes are borrowed; keep it alive as long */
SluiceGemSettings *sluice_gem_settings_new     (JsonObject              *config);
void               sluice_gem_settings_free    (SluiceGemSettings       *self);

/* (transfer none) (nullable): the member @key */
JsonNode          *sluice_gem_settings_get_node   (const SluiceGemSettings *self,
                                                   const char              *key);
/* (nullable): the member @key if it is a string */
const char        *sluice_gem_settings_get_string (const SluiceGemSettings *self,
                                                   const char              *key);
/* Whether the member @key is an array; its length into @length (0 if not). */
gboolean           sluice_gem_settings_get_length (const SluiceGemSettings *self,
                                                   const char              *key,
                                                   guint                   *length);
/* (nullable): element @index of the array @key if it is a string */
const char        *sluice_gem_settings_get_item_string (const SluiceGemSettings *self,
                                                        const char              *key,
                                                        guint                    index);
/* (transfer none) (nullable): element @index of the array @key if it is an object */
JsonObject        *sluice_gem_settings_get_record (const SluiceGemSettings *self,
                                                   const char              *key,
                                                   guint                    index);
/* (nullable): the string member @field of element @index of the array @key,
 * if that element is an object and the member a string */
const char        *sluice_gem_settings_get_record_string (const SluiceGemSettings *self,
                                                          const char              *key,
                                                          guint                    index,
                                                          const char              *field);
/* The string members @a and @b of every element of the array @key, into
 * @a_out[i] and @b_out[i] (NULL where an element is not an object or the
 * member not a string), for the first @n elements: the list read with one
 * lookup of @key, not two per element. */
void               sluice_gem_settings_get_record_pairs (const SluiceGemSettings *self,
                                                         const char              *key,
                                                         const char              *a,
                                                         const char              *b,
                                                         guint                    n,
                                                         const char             **a_out,
                                                         const char             **b_out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceGemSettings, sluice_gem_settings_free)

G_END_DECLS
