/* sluice-cli merge-driver and diff-pipeline: git's side of pipeline files.
 *
 * .gitattributes:  a line "pipelines/<star>.json merge=sluice"
 * .git/config:     [merge "sluice"] driver = sluice-cli merge-driver %O %A %B
 *
 * git calls the driver with three temporary files: the common ancestor
 * (%O), ours (%A, where the result goes) and theirs (%B). */
#define G_LOG_DOMAIN "sluice-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-atomic-file.h"
#include "sluice-cli-private.h"
#include "sluice-pipeline-diff.h"
#include "sluice-pipeline-merge.h"

static GBytes *
read_file (const char  *path,
           gboolean     missing_ok,
           GError     **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  /* git passes an empty %O when the file did not exist in the ancestor. */
  if (len == 0 && missing_ok)
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&text), len);
}

int
cmd_merge_driver (int    argc,
                  char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) base = NULL;
  g_autoptr(GBytes) ours = NULL;
  g_autoptr(GBytes) theirs = NULL;
  g_autoptr(GBytes) merged = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  const char *label;

  if (argc < 4 || argc > 5)
    {
      g_printerr ("usage: sluice-cli merge-driver BASE OURS THEIRS [PATH]\n");
      return EXIT_USAGE;
    }
  label = argc == 5 ? argv[4] : argv[2];

  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    base = NULL;
  else if (!(base = read_file (argv[1], TRUE, &error)) && error != NULL)
    goto fail;
  if (!(ours = read_file (argv[2], FALSE, &error)) || !(theirs = read_file (argv[3], FALSE, &error)))
    goto fail;

  merged = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, &error);
  if (merged == NULL)
    goto fail;
  if (!sluice_atomic_write (argv[2], merged, NULL, &error))
    goto fail;

  if (conflicts->len == 0)
    return EXIT_VALID;
  for (guint i = 0; i < conflicts->len; i++)
    {
      g_autofree char *line = sluice_pipeline_conflict_describe (g_ptr_array_index (conflicts, i));
      g_printerr ("%s: conflict: %s\n", label, line);
    }
  g_printerr (_("%s: %u conflicts; ours kept, both sides listed under “merge_conflicts” in the file\n"),
              label, conflicts->len);
  return EXIT_PROBLEMS;

fail:
  /* Ours is left as it was; git reports the file as conflicted. */
  g_printerr ("%s: %s\n", label, error->message);
  return EXIT_USAGE;
}

int
cmd_diff_pipeline (int    argc,
                   char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) old_bytes = NULL;
  g_autoptr(GBytes) new_bytes = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  if (argc != 3)
    {
      g_printerr ("usage: sluice-cli diff-pipeline OLD NEW\n");
      return EXIT_USAGE;
    }
  if (!(old_bytes = read_file (argv[1], FALSE, &error)) || !(new_bytes = read_file (argv[2], FALSE, &error))
      || !(changes = sluice_pipeline_diff (argv[1], old_bytes, argv[2], new_bytes, &error)))
    {
      g_printerr ("sluice-cli: %s\n", error->message);
      return EXIT_USAGE;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *line = sluice_pipeline_change_describe (g_ptr_array_index (changes, i));
      g_print ("%s\n", line);
    }
  return changes->len ? EXIT_PROBLEMS : EXIT_VALID;
}
