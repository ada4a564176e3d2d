#define G_LOG_DOMAIN "sluice-diagnostic"

#include "config.h"

#include "sluice-diagnostic.h"

struct _SluiceDiagnostic
{
  GObject         parent_instance;
  SluiceSeverity  severity;
  char           *file;      /* owned, project-relative */
  guint           line;
  guint           column;
  char           *message;   /* owned */
  char           *gem_id;    /* owned, nullable */
  char           *field;     /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceDiagnostic, sluice_diagnostic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEVERITY,
  PROP_FILE,
  PROP_LINE,
  PROP_COLUMN,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sluice_diagnostic_finalize (GObject *object)
{
  SluiceDiagnostic *self = SLUICE_DIAGNOSTIC (object);

  g_free (self->file);
  g_free (self->message);
  g_free (self->gem_id);
  g_free (self->field);

  G_OBJECT_CLASS (sluice_diagnostic_parent_class)->finalize (object);
}

static void
sluice_diagnostic_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SluiceDiagnostic *self = SLUICE_DIAGNOSTIC (object);

  switch (prop_id)
    {
    case PROP_SEVERITY: g_value_set_int (value, self->severity); break;
    case PROP_FILE:     g_value_set_string (value, self->file); break;
    case PROP_LINE:     g_value_set_uint (value, self->line); break;
    case PROP_COLUMN:   g_value_set_uint (value, self->column); break;
    case PROP_MESSAGE:  g_value_set_string (value, self->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_diagnostic_class_init (SluiceDiagnosticClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sluice_diagnostic_finalize;
  object_class->get_property = sluice_diagnostic_get_property;

  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL, SLUICE_SEVERITY_ERROR, SLUICE_SEVERITY_WARNING,
                      SLUICE_SEVERITY_ERROR, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_string ("file", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN] =
    g_param_spec_uint ("column", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_diagnostic_init (SluiceDiagnostic *self)
{
}

SluiceDiagnostic *
sluice_diagnostic_new (SluiceSeverity  severity,
                       const char     *file,
                       guint           line,
                       guint           column,
                       const char     *message)
{
  SluiceDiagnostic *self;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_DIAGNOSTIC, NULL);
  self->severity = severity;
  self->file = g_strdup (file ? file : "");
  self->line = line;
  self->column = line ? column : 0;
  self->message = g_strdup (message);
  return self;
}

SluiceSeverity
sluice_diagnostic_get_severity (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), SLUICE_SEVERITY_ERROR);
  return self->severity;
}

const char *
sluice_diagnostic_get_file (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), NULL);
  return self->file;
}

guint
sluice_diagnostic_get_line (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), 0);
  return self->line;
}

guint
sluice_diagnostic_get_column (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), 0);
  return self->column;
}

const char *
sluice_diagnostic_get_message (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), NULL);
  return self->message;
}

const char *
sluice_diagnostic_get_gem_id (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), NULL);
  return self->gem_id;
}

const char *
sluice_diagnostic_get_field (SluiceDiagnostic *self)
{
  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), NULL);
  return self->field;
}

void
sluice_diagnostic_set_subject (SluiceDiagnostic *self,
                               const char       *gem_id,
                               const char       *field)
{
  g_return_if_fail (SLUICE_IS_DIAGNOSTIC (self));

  g_free (self->gem_id);
  self->gem_id = g_strdup (gem_id);
  g_free (self->field);
  self->field = g_strdup (field);
}

char *
sluice_diagnostic_to_string (SluiceDiagnostic *self)
{
  const char *severity;

  g_return_val_if_fail (SLUICE_IS_DIAGNOSTIC (self), NULL);

  severity = self->severity == SLUICE_SEVERITY_ERROR ? "error" : "warning";
  if (self->line > 0)
    return g_strdup_printf ("%s:%u:%u: %s: %s", self->file, self->line, self->column,
                            severity, self->message);
  return g_strdup_printf ("%s: %s: %s", self->file, severity, self->message);
}

int
sluice_diagnostic_compare (gconstpointer a,
                           gconstpointer b)
{
  SluiceDiagnostic *x = *(SluiceDiagnostic **) a;
  SluiceDiagnostic *y = *(SluiceDiagnostic **) b;
  int r;

  if ((r = g_strcmp0 (x->file, y->file)) != 0)
    return r;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return g_strcmp0 (x->message, y->message);
}
