#define G_LOG_DOMAIN "sluice-datetime"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sluice-datetime-private.h"

static const char * const month_short[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char * const month_long[] = {
  "January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"
};
static const char * const day_short[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char * const day_long[] = {
  "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

int
_sluice_days_in_month (int year,
                       int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

/* Howard Hinnant's days_from_civil. */
gint64
_sluice_days_from_civil (int year,
                         int month,
                         int day)
{
  gint64 y = month <= 2 ? year - 1 : year;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

void
_sluice_civil_from_days (gint64          z,
                         SluiceDateTime *out)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  out->day = doy - (153 * mp + 2) / 5 + 1;
  out->month = mp < 10 ? mp + 3 : mp - 9;
  out->year = yoe + era * 400 + (out->month <= 2);
}

int
_sluice_iso_weekday (const SluiceDateTime *dt)
{
  gint64 days = _sluice_days_from_civil (dt->year, dt->month, dt->day);

  /* 1970-01-01 was a Thursday (4). */
  return (int) (((days % 7) + 7 + 3) % 7) + 1;
}

int
_sluice_day_of_year (const SluiceDateTime *dt)
{
  return (int) (_sluice_days_from_civil (dt->year, dt->month, dt->day)
                - _sluice_days_from_civil (dt->year, 1, 1)) + 1;
}

static int
iso_weeks_in_year (int year)
{
  SluiceDateTime dec28 = { year, 12, 28 };

  /* The week of 28 December is always the year's last ISO week. */
  int wd = _sluice_iso_weekday (&dec28);
  int doy = _sluice_day_of_year (&dec28);
  return (doy - wd + 10) / 7;
}

int
_sluice_iso_week (const SluiceDateTime *dt)
{
  int week = (_sluice_day_of_year (dt) - _sluice_iso_weekday (dt) + 10) / 7;

  if (week < 1)
    return iso_weeks_in_year (dt->year - 1);
  if (week > iso_weeks_in_year (dt->year))
    return 1;
  return week;
}

static gboolean
digits (const char *s,
        gsize       n,
        int        *value)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *value = v;
  return TRUE;
}

static gboolean
valid (const SluiceDateTime *dt)
{
  return dt->year >= 1 && dt->year <= 9999 && dt->month >= 1 && dt->month <= 12
         && dt->day >= 1 && dt->day <= _sluice_days_in_month (dt->year, dt->month)
         && dt->hour >= 0 && dt->hour <= 23 && dt->minute >= 0 && dt->minute <= 59
         && dt->second >= 0 && dt->second <= 59;
}

/* Up to nine digits of a fraction of a second, kept to microseconds. */
static gsize
fraction (const char *s,
          gsize       len,
          int        *micro)
{
  gsize n = 0;
  int v = 0;

  while (n < len && n < 9 && s[n] >= '0' && s[n] <= '9')
    {
      if (n < 6)
        v = v * 10 + (s[n] - '0');
      n++;
    }
  for (gsize i = n; i < 6; i++)
    v *= 10;
  *micro = v;
  return n;
}

gboolean
_sluice_datetime_parse (const char     *s,
                        gsize           len,
                        SluiceDateTime *out)
{
  memset (out, 0, sizeof *out);
  if (len < 10 || s[4] != '-' || s[7] != '-'
      || !digits (s, 4, &out->year) || !digits (s + 5, 2, &out->month) || !digits (s + 8, 2, &out->day))
    return FALSE;
  if (len > 10)
    {
      if ((s[10] != ' ' && s[10] != 'T') || len < 16 || s[13] != ':'
          || !digits (s + 11, 2, &out->hour) || !digits (s + 14, 2, &out->minute))
        return FALSE;
      out->has_time = TRUE;
      if (len > 16)
        {
          if (len < 19 || s[16] != ':' || !digits (s + 17, 2, &out->second))
            return FALSE;
          if (len > 19)
            {
              gsize n;

              if (s[19] != '.')
                return FALSE;
              n = fraction (s + 20, len - 20, &out->micro);
              if (n == 0 || 20 + n != len)
                return FALSE;
            }
        }
    }
  return valid (out);
}

/* Calls @token for every run of one pattern letter and @literal for
 * everything else ('quoted text', '' for a quote). */
typedef gboolean (*TokenFunc) (char letter, guint count, const char *lit, gsize lit_len, gpointer data);

static gboolean
tokenize (const char *p,
          TokenFunc   func,
          gpointer    data)
{
  while (*p)
    {
      if (g_ascii_isalpha (*p))
        {
          guint n = 1;
          while (p[n] == p[0])
            n++;
          if (!func (p[0], n, NULL, 0, data))
            return FALSE;
          p += n;
        }
      else if (*p == '\'')
        {
          if (p[1] == '\'')
            {
              if (!func (0, 0, "'", 1, data))
                return FALSE;
              p += 2;
              continue;
            }
          p++;
          while (*p)
            {
              if (p[0] == '\'' && p[1] == '\'')
                {
                  if (!func (0, 0, "'", 1, data))
                    return FALSE;
                  p += 2;
                }
              else if (p[0] == '\'')
                {
                  p++;
                  break;
                }
              else
                {
                  if (!func (0, 0, p, 1, data))
                    return FALSE;
                  p++;
                }
            }
        }
      else
        {
          if (!func (0, 0, p, 1, data))
            return FALSE;
          p++;
        }
    }
  return TRUE;
}

typedef struct
{
  const SluiceDateTime *dt;
  GString              *out;
  char                  bad;
} Render;

static void
number (GString *out,
        int      value,
        guint    width)
{
  g_string_append_printf (out, "%0*d", (int) width, value);
}

static gboolean
render_token (char        letter,
              guint       n,
              const char *lit,
              gsize       lit_len,
              gpointer    data)
{
  Render *r = data;
  const SluiceDateTime *dt = r->dt;

  if (letter == 0)
    {
      g_string_append_len (r->out, lit, lit_len);
      return TRUE;
    }
  switch (letter)
    {
    case 'y':
    case 'u':
      if (n == 2)
        number (r->out, dt->year % 100, 2);
      else
        number (r->out, dt->year, n);
      break;
    case 'M':
    case 'L':
      if (n >= 4)
        g_string_append (r->out, month_long[dt->month - 1]);
      else if (n == 3)
        g_string_append (r->out, month_short[dt->month - 1]);
      else
        number (r->out, dt->month, n);
      break;
    case 'd': number (r->out, dt->day, n); break;
    case 'D': number (r->out, _sluice_day_of_year (dt), n); break;
    case 'H': number (r->out, dt->hour, n); break;
    case 'k': number (r->out, dt->hour == 0 ? 24 : dt->hour, n); break;
    case 'K': number (r->out, dt->hour % 12, n); break;
    case 'h': number (r->out, dt->hour % 12 == 0 ? 12 : dt->hour % 12, n); break;
    case 'm': number (r->out, dt->minute, n); break;
    case 's': number (r->out, dt->second, n); break;
    case 'S':
      {
        char frac[7];
        g_snprintf (frac, sizeof frac, "%06d", dt->micro);
        for (guint i = 0; i < n; i++)
          g_string_append_c (r->out, i < 6 ? frac[i] : '0');
      }
      break;
    case 'a': g_string_append (r->out, dt->hour < 12 ? "AM" : "PM"); break;
    case 'E':
      {
        int wd = _sluice_iso_weekday (dt) - 1;
        g_string_append (r->out, n >= 4 ? day_long[wd] : day_short[wd]);
      }
      break;
    case 'Q':
    case 'q':
      if (n >= 3)
        g_string_append_printf (r->out, "Q%d", (dt->month + 2) / 3);
      else
        number (r->out, (dt->month + 2) / 3, n);
      break;
    default:
      r->bad = letter;
      return FALSE;
    }
  return TRUE;
}

gboolean
_sluice_datetime_render_pattern (const SluiceDateTime *dt,
                                 const char           *pattern,
                                 GString              *out,
                                 char                 *bad_letter)
{
  Render r = { dt, out, 0 };

  if (!tokenize (pattern, render_token, &r))
    {
      *bad_letter = r.bad;
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char     *s;
  gsize           len;
  gsize           pos;
  SluiceDateTime *dt;
  int             pm;   /* -1 none, 0 AM, 1 PM */
} Parse;

/* A number of exactly @n digits when the pattern letter is doubled or more,
 * else one or two digits (Spark's 'M', 'd', 'H'…). */
static gboolean
parse_number (Parse *p,
              guint  n,
              guint  max_loose,
              int   *value)
{
  gsize avail = p->len - p->pos;
  gsize take;

  if (n >= 2)
    take = n;
  else
    {
      take = 0;
      while (take < avail && take < max_loose && g_ascii_isdigit (p->s[p->pos + take]))
        take++;
    }
  if (take == 0 || take > avail || !digits (p->s + p->pos, take, value))
    return FALSE;
  p->pos += take;
  return TRUE;
}

static gboolean
parse_name (Parse              *p,
            const char * const *names,
            guint               n_names,
            int                *value)
{
  for (guint i = 0; i < n_names; i++)
    {
      gsize l = strlen (names[i]);
      if (p->len - p->pos >= l && g_ascii_strncasecmp (p->s + p->pos, names[i], l) == 0)
        {
          *value = i + 1;
          p->pos += l;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_token (char        letter,
             guint       n,
             const char *lit,
             gsize       lit_len,
             gpointer    data)
{
  Parse *p = data;
  SluiceDateTime *dt = p->dt;
  int ignored;

  if (letter == 0)
    {
      if (p->len - p->pos < lit_len || memcmp (p->s + p->pos, lit, lit_len) != 0)
        return FALSE;
      p->pos += lit_len;
      return TRUE;
    }
  switch (letter)
    {
    case 'y':
    case 'u':
      if (n == 2)
        {
          if (!parse_number (p, 2, 2, &dt->year))
            return FALSE;
          dt->year += 2000;
          return TRUE;
        }
      return parse_number (p, n == 1 ? 4 : n, 4, &dt->year);
    case 'M':
    case 'L':
      if (n >= 4)
        return parse_name (p, month_long, 12, &dt->month);
      if (n == 3)
        return parse_name (p, month_short, 12, &dt->month);
      return parse_number (p, n, 2, &dt->month);
    case 'd': return parse_number (p, n, 2, &dt->day);
    case 'H': dt->has_time = TRUE; return parse_number (p, n, 2, &dt->hour);
    case 'h': dt->has_time = TRUE; return parse_number (p, n, 2, &dt->hour);
    case 'm': dt->has_time = TRUE; return parse_number (p, n, 2, &dt->minute);
    case 's': dt->has_time = TRUE; return parse_number (p, n, 2, &dt->second);
    case 'S':
      {
        gsize got = fraction (p->s + p->pos, MIN (p->len - p->pos, n), &dt->micro);
        if (got != n)
          return FALSE;
        p->pos += got;
        return TRUE;
      }
    case 'a':
      {
        static const char * const ampm[] = { "AM", "PM" };
        int v;
        if (!parse_name (p, ampm, 2, &v))
          return FALSE;
        p->pm = v - 1;
        return TRUE;
      }
    case 'E':
      return n >= 4 ? parse_name (p, day_long, 7, &ignored) : parse_name (p, day_short, 7, &ignored);
    default:
      return FALSE;
    }
}

gboolean
_sluice_datetime_parse_pattern (const char     *s,
                                gsize           len,
                                const char     *pattern,
                                SluiceDateTime *out)
{
  Parse p = { s, len, 0, out, -1 };

  memset (out, 0, sizeof *out);
  out->year = 1970;
  out->month = 1;
  out->day = 1;
  if (!tokenize (pattern, parse_token, &p) || p.pos != len)
    return FALSE;
  if (p.pm >= 0)
    {
      if (out->hour < 1 || out->hour > 12)
        return FALSE;
      out->hour = out->hour % 12 + (p.pm ? 12 : 0);
    }
  return valid (out);
}

gsize
_sluice_datetime_format_date (const SluiceDateTime *dt,
                              char                 *buf)
{
  return g_snprintf (buf, 11, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
}

gsize
_sluice_datetime_format_timestamp (const SluiceDateTime *dt,
                                   char                 *buf)
{
  gsize n = g_snprintf (buf, 20, "%04d-%02d-%02d %02d:%02d:%02d",
                        dt->year, dt->month, dt->day, dt->hour, dt->minute, dt->second);

  if (dt->micro != 0)
    {
      n += g_snprintf (buf + n, 8, ".%06d", dt->micro);
      while (buf[n - 1] == '0')
        buf[--n] = '\0';
    }
  return n;
}
