/* sluice-core-types.h: forward declarations and enums of the core layer.
 *
 * Headers of the core include this instead of each other, so there are no
 * include cycles.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The file format this Sluice reads and writes. A file with a larger
 * format_version is refused (never rewritten), so an older Sluice cannot
 * destroy a newer one's data. */
#define SLUICE_FORMAT_VERSION 1

typedef struct _SluiceProject     SluiceProject;
typedef struct _SluiceDraftStore  SluiceDraftStore;
typedef struct _SluicePipeline    SluicePipeline;
typedef struct _SluiceGem         SluiceGem;
typedef struct _SluicePort        SluicePort;
typedef struct _SluiceEdge        SluiceEdge;
typedef struct _SluiceDataset     SluiceDataset;
typedef struct _SluiceJob         SluiceJob;
typedef struct _SluiceDiagnostic  SluiceDiagnostic;
typedef struct _SluiceGemType     SluiceGemType;
typedef struct _SluiceCommand     SluiceCommand;
typedef struct _SluiceUndoStack   SluiceUndoStack;
typedef struct _SluiceJsonDoc     SluiceJsonDoc;
typedef struct _SluiceSourceMap   SluiceSourceMap;

typedef enum {
  SLUICE_PORT_INPUT,
  SLUICE_PORT_OUTPUT,
} SluicePortDirection;

typedef enum {
  SLUICE_SEVERITY_ERROR,
  SLUICE_SEVERITY_WARNING,
} SluiceSeverity;

/* What a configuration field holds; the inspector builds its form from it. */
typedef enum {
  SLUICE_FIELD_STRING,       /* free text */
  SLUICE_FIELD_EXPRESSION,   /* a Spark SQL expression */
  SLUICE_FIELD_SQL,          /* a whole SQL statement */
  SLUICE_FIELD_CODE,         /* PySpark source */
  SLUICE_FIELD_DATASET,      /* name of a dataset of the project */
  SLUICE_FIELD_COLUMN,       /* a column of the input schema */
  SLUICE_FIELD_COLUMNS,      /* a list of columns of the input schema */
  SLUICE_FIELD_ENUM,         /* one of a fixed set of strings */
  SLUICE_FIELD_BOOLEAN,
  SLUICE_FIELD_INTEGER,
  SLUICE_FIELD_STRINGS,      /* a list of free strings */
  SLUICE_FIELD_RECORDS,      /* a list of records, each described by sub-fields */
  SLUICE_FIELD_SCHEMA,       /* a declared output schema: records of name + type */
  SLUICE_FIELD_TYPE,         /* a column type: string, bigint, decimal(10,2), … */
} SluiceFieldKind;

G_END_DECLS
