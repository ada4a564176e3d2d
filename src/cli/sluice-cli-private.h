/* What the commands of sluice-cli share. */
#pragma once

#include "sluice-core.h"

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
int            cmd_merge_driver  (int    argc,
                                  char **argv);
int            cmd_diff_pipeline (int    argc,
                                  char **argv);

G_END_DECLS
