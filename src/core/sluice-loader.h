#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"
#include "sluice-json-doc.h"

G_BEGIN_DECLS

/* Reads one project file and checks its shape, collecting every problem as
 * a SluiceDiagnostic with the position of the value at fault. Shared by the
 * manifest, pipeline, dataset and job loaders. */
typedef struct _SluiceLoader SluiceLoader;

/* Parses @bytes. A syntax error is recorded and returns NULL with @error set. */
SluiceLoader *sluice_loader_new           (const char   *file,
                                           GBytes       *bytes,
                                           GPtrArray    *diagnostics,
                                           GError      **error);
void          sluice_loader_free          (SluiceLoader *self);
SluiceJsonDoc *sluice_loader_get_doc      (SluiceLoader *self);
const char   *sluice_loader_get_file      (SluiceLoader *self);
guint         sluice_loader_get_n_errors  (SluiceLoader *self);

void          sluice_loader_error         (SluiceLoader *self,
                                           JsonNode     *at,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (3, 4);

/* The root object, checking format_version: a newer file fails with
 * SLUICE_MODEL_ERROR_NEWER_FORMAT and is never rewritten. */
JsonObject   *sluice_loader_root          (SluiceLoader *self,
                                           GError      **error);

/* Typed member access. A missing required member is reported at @node (the
 * object); a member of the wrong type at the member. They return NULL/FALSE
 * when absent or wrong. @what names the object in messages ("gem “x”"). */
const char   *sluice_loader_string        (SluiceLoader *self,
                                           JsonNode     *node,
                                           const char   *what,
                                           const char   *key,
                                           gboolean      required);
gboolean      sluice_loader_int           (SluiceLoader *self,
                                           JsonNode     *node,
                                           const char   *what,
                                           const char   *key,
                                           gboolean      required,
                                           gint64       *value);
gboolean      sluice_loader_bool          (SluiceLoader *self,
                                           JsonNode     *node,
                                           const char   *what,
                                           const char   *key,
                                           gboolean      required,
                                           gboolean     *value);
JsonNode     *sluice_loader_array         (SluiceLoader *self,
                                           JsonNode     *node,
                                           const char   *what,
                                           const char   *key,
                                           gboolean      required);
JsonNode     *sluice_loader_object        (SluiceLoader *self,
                                           JsonNode     *node,
                                           const char   *what,
                                           const char   *key,
                                           gboolean      required);
/* (transfer full): an array member's strings, or NULL (reported) */
GStrv         sluice_loader_strings       (SluiceLoader *self,
                                           JsonNode     *node,
                                           const char   *what,
                                           const char   *key,
                                           gboolean      required);
/* (transfer full) (nullable): deep copy of the members not in @known */
JsonObject   *sluice_loader_extra         (JsonNode            *node,
                                           const char * const  *known);
/* Fails with SLUICE_MODEL_ERROR_PARSE, naming the first problem, if any
 * was recorded. */
gboolean      sluice_loader_check         (SluiceLoader *self,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceLoader, sluice_loader_free)

/* Whether @s is NULL, empty or only white space. */
gboolean      sluice_str_is_blank         (const char   *s);

/* A JSON node's type for messages: “a string”, “an integer”, … */
const char   *sluice_json_describe_type   (JsonNode     *node);

G_END_DECLS
