#define G_LOG_DOMAIN "sluice-gem"

#include "config.h"

#include <string.h>

#include "sluice-gem-settings.h"

/* Members, then the elements of array members, then the members of object
 * elements: one level of records is what gem configurations have. */
typedef struct
{
  const char *key;
  JsonNode   *node;
  const char *string;   /* nullable */
  guint       first;    /* of its elements in items[] */
  guint       n;
  gboolean    is_array;
} Member;

typedef struct
{
  JsonNode   *node;
  const char *string;   /* nullable */
  guint       first;    /* of its members in fields[] */
  guint       n;
  gboolean    is_object;
} Item;

typedef struct
{
  const char *key;
  JsonNode   *node;
  const char *string;   /* nullable */
} Field;

struct _SluiceGemSettings
{
  guint   n_members;
  Member *members;
  Item   *items;
  Field  *fields;
  /* the three arrays, then the strings */
};

static const char *
node_string (JsonNode *node)
{
  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* Copies @s into the block's string area. */
static const char *
keep (char      **at,
      const char *s)
{
  gsize n;
  char *copy;

  if (s == NULL)
    return NULL;
  n = strlen (s) + 1;
  copy = memcpy (*at, s, n);
  *at += n;
  return copy;
}

static gsize
string_size (const char *s)
{
  return s ? strlen (s) + 1 : 0;
}

SluiceGemSettings *
sluice_gem_settings_new (JsonObject *config)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  guint n_members = 0, n_items = 0, n_fields = 0;
  gsize strings = 0, head;
  SluiceGemSettings *self;
  char *at;
  guint m = 0, it = 0, f = 0;

  g_return_val_if_fail (config != NULL, NULL);

  /* Sizes first, so that everything lands in one allocation. */
  json_object_iter_init (&iter, config);
  while (json_object_iter_next (&iter, &key, &node))
    {
      n_members++;
      strings += string_size (key) + string_size (node_string (node));
      if (!JSON_NODE_HOLDS_ARRAY (node))
        continue;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);
          JsonObjectIter fields;
          const char *field;
          JsonNode *value;

          n_items++;
          strings += string_size (node_string (element));
          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          json_object_iter_init (&fields, json_node_get_object (element));
          while (json_object_iter_next (&fields, &field, &value))
            {
              n_fields++;
              strings += string_size (field) + string_size (node_string (value));
            }
        }
    }

  head = sizeof (SluiceGemSettings) + n_members * sizeof (Member) + n_items * sizeof (Item) + n_fields * sizeof (Field);
  self = g_malloc (head + strings);
  self->n_members = n_members;
  self->members = (Member *) (self + 1);
  self->items = (Item *) (self->members + n_members);
  self->fields = (Field *) (self->items + n_items);
  at = (char *) self + head;

  json_object_iter_init (&iter, config);
  while (json_object_iter_next (&iter, &key, &node))
    {
      Member *member = &self->members[m++];

      member->key = keep (&at, key);
      member->node = node;
      member->string = keep (&at, node_string (node));
      member->first = it;
      member->n = 0;
      member->is_array = JSON_NODE_HOLDS_ARRAY (node);
      if (!member->is_array)
        continue;
      member->n = json_array_get_length (json_node_get_array (node));
      for (guint i = 0; i < member->n; i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);
          Item *item = &self->items[it++];
          JsonObjectIter fields;
          const char *field;
          JsonNode *value;

          item->node = element;
          item->string = keep (&at, node_string (element));
          item->first = f;
          item->n = 0;
          item->is_object = JSON_NODE_HOLDS_OBJECT (element);
          if (!item->is_object)
            continue;
          json_object_iter_init (&fields, json_node_get_object (element));
          while (json_object_iter_next (&fields, &field, &value))
            {
              Field *into = &self->fields[f++];

              into->key = keep (&at, field);
              into->node = value;
              into->string = keep (&at, node_string (value));
              item->n++;
            }
        }
    }
  g_assert (m == n_members && it == n_items && f == n_fields && at == (char *) self + head + strings);
  return self;
}

void
sluice_gem_settings_free (SluiceGemSettings *self)
{
  g_free (self);
}

static const Member *
find_member (const SluiceGemSettings *self,
             const char              *key)
{
  for (guint i = 0; i < self->n_members; i++)
    if (self->members[i].key[0] == key[0] && strcmp (self->members[i].key, key) == 0)
      return &self->members[i];
  return NULL;
}

static const Item *
find_item (const SluiceGemSettings *self,
           const char              *key,
           guint                    index)
{
  const Member *member = find_member (self, key);

  return member && index < member->n ? &self->items[member->first + index] : NULL;
}

static const char *
field_string (const SluiceGemSettings *self,
              const Item              *item,
              const char              *field)
{
  for (guint i = 0; i < item->n; i++)
    {
      const Field *f = &self->fields[item->first + i];
      if (f->key[0] == field[0] && strcmp (f->key, field) == 0)
        return f->string;
    }
  return NULL;
}

JsonNode *
sluice_gem_settings_get_node (const SluiceGemSettings *self,
                              const char              *key)
{
  const Member *member = find_member (self, key);
  return member ? member->node : NULL;
}

const char *
sluice_gem_settings_get_string (const SluiceGemSettings *self,
                                const char              *key)
{
  const Member *member = find_member (self, key);
  return member ? member->string : NULL;
}

gboolean
sluice_gem_settings_get_length (const SluiceGemSettings *self,
                                const char              *key,
                                guint                   *length)
{
  const Member *member = find_member (self, key);

  *length = member ? member->n : 0;
  return member && member->is_array;
}

const char *
sluice_gem_settings_get_item_string (const SluiceGemSettings *self,
                                     const char              *key,
                                     guint                    index)
{
  const Item *item = find_item (self, key, index);
  return item ? item->string : NULL;
}

JsonObject *
sluice_gem_settings_get_record (const SluiceGemSettings *self,
                                const char              *key,
                                guint                    index)
{
  const Item *item = find_item (self, key, index);
  return item && item->is_object ? json_node_get_object (item->node) : NULL;
}

const char *
sluice_gem_settings_get_record_string (const SluiceGemSettings *self,
                                       const char              *key,
                                       guint                    index,
                                       const char              *field)
{
  const Item *item = find_item (self, key, index);

  return item ? field_string (self, item, field) : NULL;
}

void
sluice_gem_settings_get_record_pairs (const SluiceGemSettings *self,
                                      const char              *key,
                                      const char              *a,
                                      const char              *b,
                                      guint                    n,
                                      const char             **a_out,
                                      const char             **b_out)
{
  const Member *member = find_member (self, key);

  for (guint i = 0; i < n; i++)
    {
      const Item *item = member && i < member->n ? &self->items[member->first + i] : NULL;

      a_out[i] = item ? field_string (self, item, a) : NULL;
      b_out[i] = item ? field_string (self, item, b) : NULL;
    }
}
