/* What the commands of sluice-cli share. */
#pragma once

#include "sluice-core.h"
#include "sluice-gem-result.h"

G_BEGIN_DECLS

enum {
  EXIT_VALID = 0,
  EXIT_PROBLEMS = 1,
  EXIT_USAGE = 2,
};

/* Paths as the user typed the folder, so editors can jump to them. */
char          *display_path (const char *dir_arg,
                             const char *file);
/* Loads a project as validate does; NULL after printing why (and *status). */
SluiceProject *load_project (const char *dir_arg,
                             int        *status);

int            cmd_run      (int         argc,
                             char      **argv);
int            cmd_dataset  (int         argc,
                             char      **argv);

/* Rows on stdout (sluice-cli-run.c): a table for people, CSV (RFC 4180,
 * CRLF) or JSON (an array of objects, typed) for programs. */
typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } Format;

/* table (also for NULL), csv or json; FALSE for anything else */
gboolean       parse_format (const char      *arg,
                             Format          *out);
void           print_table  (SluiceGemResult *r);
void           print_csv    (SluiceGemResult *r);
void           print_json   (SluiceGemResult *r);

G_END_DECLS
