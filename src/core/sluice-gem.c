#define G_LOG_DOMAIN "sluice-gem"

#include "config.h"

#include <string.h>

#include "sluice-gem-private.h"
#include "sluice-gem-settings.h"
#include "sluice-gem-type.h"
#include "sluice-json-doc.h"
#include "sluice-port.h"

struct _SluiceGem
{
  GObject        parent_instance;
  char          *id;          /* owned */
  char          *type_name;   /* owned */
  SluiceGemType *gem_type;    /* borrowed from the catalog, nullable */
  char          *label;       /* owned */
  int            x, y;
  JsonObject    *config;      /* owned */
  SluiceGemSettings *settings; /* owned: @config's index, remade with it */
  gboolean       config_shared; /* also part of the loaded file's tree: copy before writing */
  JsonObject    *extra;       /* owned: unknown keys, kept for newer Sluices */
  gboolean       explicit_inputs;
  GStrv          input_names; /* owned */
  /* Port objects are made on first use: a large pipeline loads without them. */
  GListStore    *inputs;      /* owned, nullable, SluicePort */
  GListStore    *outputs;     /* owned, nullable, SluicePort */
  guint          version;     /* bumped by every change code generation reads */
};

G_DEFINE_FINAL_TYPE (SluiceGem, sluice_gem, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TYPE_NAME,
  PROP_LABEL,
  PROP_X,
  PROP_Y,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sluice_gem_dispose (GObject *object)
{
  SluiceGem *self = SLUICE_GEM (object);

  g_clear_object (&self->inputs);
  g_clear_object (&self->outputs);

  G_OBJECT_CLASS (sluice_gem_parent_class)->dispose (object);
}

static void
sluice_gem_finalize (GObject *object)
{
  SluiceGem *self = SLUICE_GEM (object);

  g_free (self->id);
  g_free (self->type_name);
  g_free (self->label);
  g_strfreev (self->input_names);
  g_clear_pointer (&self->settings, sluice_gem_settings_free);
  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sluice_gem_parent_class)->finalize (object);
}

static void
sluice_gem_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SluiceGem *self = SLUICE_GEM (object);

  switch (prop_id)
    {
    case PROP_ID:        g_value_set_string (value, self->id); break;
    case PROP_TYPE_NAME: g_value_set_string (value, self->type_name); break;
    case PROP_LABEL:     g_value_set_string (value, self->label); break;
    case PROP_X:         g_value_set_int (value, self->x); break;
    case PROP_Y:         g_value_set_int (value, self->y); break;
    case PROP_CONFIG:    g_value_set_boxed (value, self->config); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_gem_class_init (SluiceGemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_gem_dispose;
  object_class->finalize = sluice_gem_finalize;
  object_class->get_property = sluice_gem_get_property;

  /* Read-only to the outside: edits go through the pipeline's commands. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TYPE_NAME] =
    g_param_spec_string ("type-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_X] =
    g_param_spec_int ("x", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_Y] =
    g_param_spec_int ("y", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONFIG] =
    g_param_spec_boxed ("config", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_gem_init (SluiceGem *self)
{
}

static void
replace_ports (GListStore          *store,
               SluicePortDirection  direction,
               const char * const  *names)
{
  guint n = names ? g_strv_length ((char **) names) : 0;
  g_autoptr(GPtrArray) ports = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ports, sluice_port_new (direction, names[i], i));
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       ports->pdata, ports->len);
}

static GStrv
implied_names (const char *prefix,
               guint       n)
{
  GStrv names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    names[i] = n == 1 && g_str_equal (prefix, "out") ? g_strdup ("out") : g_strdup_printf ("%s%u", prefix, i);
  return names;
}

static guint
n_outputs (SluiceGem *self)
{
  /* A gem of an unknown type keeps one output so its edges stay drawable. */
  return self->gem_type ? sluice_gem_type_get_n_outputs (self->gem_type) : 1;
}

static GListStore *
ensure_ports (SluiceGem           *self,
              SluicePortDirection  direction)
{
  if (direction == SLUICE_PORT_INPUT)
    {
      if (self->inputs == NULL)
        {
          self->inputs = g_list_store_new (SLUICE_TYPE_PORT);
          replace_ports (self->inputs, SLUICE_PORT_INPUT, (const char * const *) self->input_names);
        }
      return self->inputs;
    }
  if (self->outputs == NULL)
    {
      g_auto(GStrv) names = implied_names ("out", n_outputs (self));
      self->outputs = g_list_store_new (SLUICE_TYPE_PORT);
      replace_ports (self->outputs, SLUICE_PORT_OUTPUT, (const char * const *) names);
    }
  return self->outputs;
}

SluiceGem *
_sluice_gem_new_take (const char         *id,
                      const char         *type_name,
                      const char         *label,
                      int                 x,
                      int                 y,
                      JsonObject         *config,
                      const char * const *input_names,
                      JsonObject         *extra)
{
  SluiceGem *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (type_name != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_GEM, NULL);
  self->id = g_strdup (id);
  self->type_name = g_strdup (type_name);
  self->gem_type = sluice_gem_type_lookup (type_name);
  self->label = g_strdup (label ? label : id);
  self->x = x;
  self->y = y;
  self->config = config ? config : json_object_new ();
  self->settings = sluice_gem_settings_new (self->config);
  self->extra = extra;

  if (input_names != NULL)
    {
      self->explicit_inputs = TRUE;
      self->input_names = g_strdupv ((char **) input_names);
    }
  else if (self->gem_type != NULL)
    {
      guint min = sluice_gem_type_get_min_inputs (self->gem_type);

      self->explicit_inputs = min != sluice_gem_type_get_max_inputs (self->gem_type) ||
                              sluice_gem_type_has_named_inputs (self->gem_type);
      self->input_names = implied_names ("in", min);
    }
  else
    self->input_names = g_new0 (char *, 1);

  return self;
}

SluiceGem *
_sluice_gem_new (const char         *id,
                 const char         *type_name,
                 const char         *label,
                 int                 x,
                 int                 y,
                 JsonObject         *config,
                 const char * const *input_names,
                 JsonObject         *extra)
{
  JsonObject *config_copy = NULL, *extra_copy = NULL;

  if (config != NULL)
    {
      g_autoptr(JsonNode) wrap = json_node_init_object (json_node_alloc (), config);
      g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (wrap);
      config_copy = json_object_ref (json_node_get_object (copy));
    }
  if (extra != NULL)
    {
      g_autoptr(JsonNode) wrap = json_node_init_object (json_node_alloc (), extra);
      g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (wrap);
      extra_copy = json_object_ref (json_node_get_object (copy));
    }
  return _sluice_gem_new_take (id, type_name, label, x, y, config_copy, input_names, extra_copy);
}

SluiceGem *
_sluice_gem_copy (SluiceGem  *self,
                  const char *id,
                  int         x,
                  int         y)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);

  return _sluice_gem_new (id, self->type_name, self->label, x, y, self->config,
                          self->explicit_inputs ? (const char * const *) self->input_names : NULL,
                          self->extra);
}

const char *
sluice_gem_get_id (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return self->id;
}

const char *
sluice_gem_get_type_name (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return self->type_name;
}

SluiceGemType *
sluice_gem_get_gem_type (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return self->gem_type;
}

const char *
sluice_gem_get_label (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return self->label;
}

int
sluice_gem_get_x (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), 0);
  return self->x;
}

int
sluice_gem_get_y (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), 0);
  return self->y;
}

GListModel *
sluice_gem_get_inputs (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return G_LIST_MODEL (ensure_ports (self, SLUICE_PORT_INPUT));
}

const char * const *
sluice_gem_peek_input_names (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return (const char * const *) self->input_names;
}

GListModel *
sluice_gem_get_outputs (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return G_LIST_MODEL (ensure_ports (self, SLUICE_PORT_OUTPUT));
}

gboolean
sluice_gem_has_port (SluiceGem           *self,
                     SluicePortDirection  direction,
                     const char          *name)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), FALSE);

  if (name == NULL)
    return FALSE;
  if (direction == SLUICE_PORT_INPUT)
    return g_strv_contains ((const char * const *) self->input_names, name);
  if (n_outputs (self) == 1)
    return g_str_equal (name, "out");
  for (guint i = 0; i < n_outputs (self); i++)
    {
      g_autofree char *candidate = g_strdup_printf ("out%u", i);
      if (g_str_equal (candidate, name))
        return TRUE;
    }
  return FALSE;
}

SluicePort *
sluice_gem_find_port (SluiceGem           *self,
                      SluicePortDirection  direction,
                      const char          *name)
{
  GListModel *ports;
  guint n;

  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);

  ports = G_LIST_MODEL (ensure_ports (self, direction));
  n = g_list_model_get_n_items (ports);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluicePort) port = g_list_model_get_item (ports, i);
      if (g_strcmp0 (sluice_port_get_name (port), name) == 0)
        return port; /* the store keeps it alive */
    }
  return NULL;
}

JsonNode *
sluice_gem_get_config (SluiceGem  *self,
                       const char *key)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return sluice_gem_settings_get_node (self->settings, key);
}

guint
sluice_gem_get_version (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), 0);
  return self->version;
}

JsonObject *
sluice_gem_get_config_object (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return self->config;
}

const char *
sluice_gem_get_config_string (SluiceGem  *self,
                              const char *key)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return sluice_gem_settings_get_string (self->settings, key);
}

const SluiceGemSettings *
sluice_gem_peek_settings (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), NULL);
  return self->settings;
}

gboolean
sluice_gem_id_is_valid (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > SLUICE_GEM_ID_MAX)
    return FALSE;
  if (!(g_ascii_islower (*id) || *id == '_'))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

char *
sluice_gem_id_from_label (const char *label)
{
  g_autoptr(GString) id = g_string_new (NULL);
  g_autofree char *ascii = NULL;
  gboolean underscore = FALSE;

  /* "Zoë's orders" → "zoe_s_orders": transliterate, then keep [a-z0-9]. */
  ascii = label ? g_str_to_ascii (label, "C") : g_strdup ("");
  for (const char *p = ascii; *p && id->len < SLUICE_GEM_ID_MAX; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (underscore && id->len > 0)
            g_string_append_c (id, '_');
          underscore = FALSE;
          g_string_append_c (id, g_ascii_tolower (*p));
        }
      else
        underscore = TRUE;
    }
  if (id->len == 0)
    g_string_append (id, "gem");
  if (g_ascii_isdigit (id->str[0]))
    g_string_prepend_c (id, '_');
  if (id->len > SLUICE_GEM_ID_MAX)
    g_string_truncate (id, SLUICE_GEM_ID_MAX);
  return g_string_free (g_steal_pointer (&id), FALSE);
}

void
_sluice_gem_set_id (SluiceGem  *self,
                    const char *id)
{
  g_return_if_fail (SLUICE_IS_GEM (self));

  if (g_strcmp0 (self->id, id) == 0)
    return;
  g_free (self->id);
  self->id = g_strdup (id);
  self->version++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
_sluice_gem_set_label (SluiceGem  *self,
                       const char *label)
{
  g_return_if_fail (SLUICE_IS_GEM (self));

  if (g_strcmp0 (self->label, label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label);
  self->version++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

void
_sluice_gem_set_position (SluiceGem *self,
                          int        x,
                          int        y)
{
  g_return_if_fail (SLUICE_IS_GEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->x != x)
    {
      self->x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X]);
    }
  if (self->y != y)
    {
      self->y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
_sluice_gem_set_config (SluiceGem  *self,
                        const char *key,
                        JsonNode   *value)
{
  JsonNode *old;

  g_return_if_fail (SLUICE_IS_GEM (self));
  g_return_if_fail (key != NULL);

  old = json_object_get_member (self->config, key);
  if (old == NULL && value == NULL)
    return;
  if (old != NULL && value != NULL && json_node_equal (old, value))
    return;

  /* The source map still reads the file's tree: never write into it. */
  if (self->config_shared)
    {
      g_autoptr(JsonNode) wrap = json_node_init_object (json_node_alloc (), self->config);
      g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (wrap);

      json_object_unref (self->config);
      self->config = json_object_ref (json_node_get_object (copy));
      self->config_shared = FALSE;
    }

  if (value == NULL)
    json_object_remove_member (self->config, key);
  else
    json_object_set_member (self->config, key, sluice_json_node_deep_copy (value));
  sluice_gem_settings_free (self->settings);
  self->settings = sluice_gem_settings_new (self->config);
  self->version++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
}

void
_sluice_gem_set_inputs (SluiceGem          *self,
                        const char * const *names)
{
  g_return_if_fail (SLUICE_IS_GEM (self));

  self->explicit_inputs = TRUE;
  self->version++;
  if (self->input_names != (GStrv) names)
    {
      GStrv copy = g_strdupv ((char **) names);
      g_strfreev (self->input_names);
      self->input_names = copy;
    }
  if (self->inputs != NULL)
    replace_ports (self->inputs, SLUICE_PORT_INPUT, names);
}

const char * const *
_sluice_gem_peek_inputs (SluiceGem *self)
{
  return (const char * const *) self->input_names;
}

void
_sluice_gem_mark_config_shared (SluiceGem *self)
{
  self->config_shared = TRUE;
}

GStrv
_sluice_gem_dup_inputs (SluiceGem *self)
{
  return g_strdupv (self->input_names);
}

gboolean
_sluice_gem_has_explicit_inputs (SluiceGem *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM (self), FALSE);
  return self->explicit_inputs;
}

/* Whether @node's keys (and its records' keys) already come in the
 * catalog's order, so saving can share it instead of copying it. */
static gboolean
is_ordered (JsonNode                *node,
            const SluiceConfigField *fields)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  const SluiceConfigField *f = fields;
  gboolean unknown_seen = FALSE;

  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      const SluiceConfigField *match = NULL;

      for (const SluiceConfigField *g = f; g->name; g++)
        if (g_str_equal (g->name, key))
          {
            match = g;
            break;
          }
      if (match == NULL)
        {
          /* An unknown key, or a known one out of order. */
          for (const SluiceConfigField *g = fields; g->name; g++)
            if (g_str_equal (g->name, key))
              return FALSE;
          unknown_seen = TRUE;
          continue;
        }
      if (unknown_seen)
        return FALSE;
      f = match + 1;
      if (match->fields != NULL && JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);
          for (guint i = 0; i < json_array_get_length (array); i++)
            if (!is_ordered (json_array_get_element (array, i), match->fields))
              return FALSE;
        }
    }
  return TRUE;
}

/* Configuration keys in the catalog's order, then unknown keys in theirs,
 * recursively inside records, so the file never depends on edit order. */
static JsonNode *
ordered_copy (JsonNode                *node,
              const SluiceConfigField *fields)
{
  g_autoptr(JsonObject) out = NULL;
  JsonObject *in;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return sluice_json_node_deep_copy (node);

  in = json_node_get_object (node);
  out = json_object_new ();

  for (const SluiceConfigField *f = fields; f->name; f++)
    {
      JsonNode *member = json_object_get_member (in, f->name);

      if (member == NULL)
        continue;
      if (f->fields != NULL && JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *array = json_node_get_array (member);
          guint n = json_array_get_length (array);
          g_autoptr(JsonArray) records = json_array_sized_new (n);

          for (guint i = 0; i < n; i++)
            json_array_add_element (records, ordered_copy (json_array_get_element (array, i), f->fields));
          json_object_set_member (out, f->name, json_node_init_array (json_node_alloc (), records));
        }
      else
        json_object_set_member (out, f->name, sluice_json_node_deep_copy (member));
    }

  json_object_iter_init_ordered (&iter, in);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    if (!json_object_has_member (out, key))
      json_object_set_member (out, key, sluice_json_node_deep_copy (value));

  return json_node_init_object (json_node_alloc (), out);
}

JsonNode *
_sluice_gem_to_json (SluiceGem *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) position = json_object_new ();
  g_autoptr(JsonNode) config_node = NULL;

  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "type", self->type_name);
  json_object_set_string_member (object, "label", self->label);
  json_object_set_int_member (position, "x", self->x);
  json_object_set_int_member (position, "y", self->y);
  json_object_set_object_member (object, "position", g_steal_pointer (&position));

  if (self->explicit_inputs)
    {
      g_auto(GStrv) names = _sluice_gem_dup_inputs (self);
      g_autoptr(JsonArray) inputs = json_array_new ();

      for (guint i = 0; names[i]; i++)
        json_array_add_string_element (inputs, names[i]);
      json_object_set_array_member (object, "inputs", g_steal_pointer (&inputs));
    }

  config_node = json_node_init_object (json_node_alloc (), self->config);
  if (is_ordered (config_node, self->gem_type ? sluice_gem_type_get_fields (self->gem_type) : NULL))
    json_object_set_member (object, "config", json_node_ref (config_node)); /* shared, only read */
  else
    json_object_set_member (object, "config",
                            ordered_copy (config_node,
                                          self->gem_type ? sluice_gem_type_get_fields (self->gem_type) : NULL));

  sluice_json_object_append (object, self->extra);

  return json_node_init_object (json_node_alloc (), object);
}

void
_sluice_gem_write (SluiceGem        *self,
                   SluiceJsonWriter *w)
{
  const SluiceConfigField *fields = self->gem_type ? sluice_gem_type_get_fields (self->gem_type) : NULL;
  g_autoptr(JsonNode) config_node = json_node_init_object (json_node_alloc (), self->config);

  sluice_json_writer_begin_object (w, FALSE);
  sluice_json_writer_key (w, "id");
  sluice_json_writer_string (w, self->id);
  sluice_json_writer_key (w, "type");
  sluice_json_writer_string (w, self->type_name);
  sluice_json_writer_key (w, "label");
  sluice_json_writer_string (w, self->label);
  sluice_json_writer_key (w, "position");
  sluice_json_writer_begin_object (w, TRUE);
  sluice_json_writer_key (w, "x");
  sluice_json_writer_int (w, self->x);
  sluice_json_writer_key (w, "y");
  sluice_json_writer_int (w, self->y);
  sluice_json_writer_end_object (w);

  if (self->explicit_inputs)
    {
      sluice_json_writer_key (w, "inputs");
      if (self->input_names[0] == NULL)
        {
          g_autoptr(JsonArray) empty = json_array_new ();
          g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), empty);
          sluice_json_writer_node (w, node, "inputs");
        }
      else
        {
          /* Scalars only: one line, as the canonical rules say. */
          g_autoptr(JsonArray) names = json_array_new ();
          g_autoptr(JsonNode) node = NULL;

          for (guint i = 0; self->input_names[i]; i++)
            json_array_add_string_element (names, self->input_names[i]);
          node = json_node_init_array (json_node_alloc (), names);
          sluice_json_writer_node (w, node, "inputs");
        }
    }

  sluice_json_writer_key (w, "config");
  if (is_ordered (config_node, fields))
    sluice_json_writer_node (w, config_node, "config");
  else
    {
      g_autoptr(JsonNode) ordered = ordered_copy (config_node, fields);
      sluice_json_writer_node (w, ordered, "config");
    }

  if (self->extra != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, self->extra);
      while (json_object_iter_next_ordered (&iter, &key, &value))
        {
          sluice_json_writer_key (w, key);
          sluice_json_writer_node (w, value, key);
        }
    }
  sluice_json_writer_end_object (w);
}
