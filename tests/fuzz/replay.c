/* Replays a fuzz corpus through a fuzz target, as a TAP test, so every CI
 * run (built with gcc, no libFuzzer) checks what fuzzing once found. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
compare (gconstpointer a,
         gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s CORPUS_DIR\n", argv[0]);
      return 2;
    }
  if (!(dir = g_dir_open (argv[1], 0, &error)))
    {
      printf ("1..0 # SKIP %s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (files, g_build_filename (argv[1], name, NULL));
  g_ptr_array_sort (files, compare);

  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *data = NULL;
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      gsize len;

      if (!g_file_get_contents (g_ptr_array_index (files, i), &data, &len, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, base, error->message);
          g_clear_error (&error);
          continue;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
      printf ("ok %u - %s\n", i + 1, base);
      fflush (stdout);
    }
  return 0;
}
