#pragma once

#include <gio/gio.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* One field of a gem's configuration. The catalog is static data, so these
 * are plain const structs; the inspector walks them to build its forms. */
typedef struct _SluiceConfigField SluiceConfigField;
struct _SluiceConfigField
{
  const char               *name;        /* key in the file */
  const char               *title;       /* translatable label */
  SluiceFieldKind           kind;
  gboolean                  required;
  const char * const       *choices;     /* SLUICE_FIELD_ENUM: NULL-terminated */
  const char               *default_value; /* ENUM/STRING/BOOLEAN ("true"/"false")/INTEGER, or NULL */
  const SluiceConfigField  *fields;      /* SLUICE_FIELD_RECORDS: sub-fields, ended by a {NULL} entry */
  const char * const       *choice_titles; /* ENUM: translatable titles, parallel to choices */
};

#define SLUICE_TYPE_GEM_TYPE (sluice_gem_type_get_type ())
G_DECLARE_FINAL_TYPE (SluiceGemType, sluice_gem_type, SLUICE, GEM_TYPE, GObject)

/* The gem catalog: built-in, immutable, looked up by the name used in files. */
SluiceGemType           *sluice_gem_type_lookup          (const char    *name);
/* (transfer none): every gem type, in palette order */
GListModel              *sluice_gem_type_list            (void);

const char              *sluice_gem_type_get_name        (SluiceGemType *self);
const char              *sluice_gem_type_get_title       (SluiceGemType *self);
const char              *sluice_gem_type_get_category    (SluiceGemType *self);
const char              *sluice_gem_type_get_description (SluiceGemType *self);
const char              *sluice_gem_type_get_icon_name   (SluiceGemType *self);
guint                    sluice_gem_type_get_min_inputs  (SluiceGemType *self);
/* G_MAXUINT when a gem of this type takes any number of inputs */
guint                    sluice_gem_type_get_max_inputs  (SluiceGemType *self);
guint                    sluice_gem_type_get_n_outputs   (SluiceGemType *self);
/* Whether the inputs are user-named (SQLStatement) rather than in0, in1, … */
gboolean                 sluice_gem_type_has_named_inputs (SluiceGemType *self);
/* Ended by an entry whose name is NULL. */
const SluiceConfigField *sluice_gem_type_get_fields      (SluiceGemType *self);
const SluiceConfigField *sluice_gem_type_find_field      (SluiceGemType *self,
                                                          const char    *name);

/* The translated title of one of an ENUM field's choices (the choice itself
 * when the catalog gives none or it is not one of the choices). */
const char              *sluice_config_field_get_choice_title (const SluiceConfigField *field,
                                                               const char              *choice);

G_END_DECLS
