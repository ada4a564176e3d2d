#define G_LOG_DOMAIN "sluice-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sluice-atomic-file.h"

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *what,
                 const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s: %s", path, what, g_strerror (saved_errno));
  return FALSE;
}

gboolean
sluice_atomic_write (const char    *path,
                     GBytes        *bytes,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  const guint8 *data;
  gsize len, done = 0;
  struct stat st;
  mode_t mode = 0644;
  int fd, dfd, saved;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  /* A dot-file in the same folder: same file system, so rename is atomic,
   * and ignored by Sluice's loader if a crash leaves it behind. */
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);

  if (stat (path, &st) == 0)
    mode = st.st_mode & 0777;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0)
    return set_errno_error (error, errno, _("cannot create a temporary file"), path);

  data = g_bytes_get_data (bytes, &len);
  while (done < len)
    {
      ssize_t w = write (fd, data + done, len - done);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          saved = errno;
          close (fd);
          g_unlink (tmp);
          return set_errno_error (error, saved, _("cannot write"), path);
        }
      done += w;
    }

  /* mkstemp applies 0600; keep the old file's permissions. */
  if (fchmod (fd, mode) != 0 || fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      g_unlink (tmp);
      return set_errno_error (error, saved, _("cannot write"), path);
    }
  if (close (fd) != 0)
    {
      saved = errno;
      g_unlink (tmp);
      return set_errno_error (error, saved, _("cannot write"), path);
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_unlink (tmp);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }

  if (g_rename (tmp, path) != 0)
    {
      saved = errno;
      g_unlink (tmp);
      return set_errno_error (error, saved, _("cannot replace the file"), path);
    }

  /* The rename itself is durable only once the folder is synced. */
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0)
    {
      fsync (dfd);
      close (dfd);
    }
  return TRUE;
}
