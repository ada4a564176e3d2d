#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates and timestamps as the local engine stores them (TEXT 'YYYY-MM-DD'
 * and 'YYYY-MM-DD HH:MM:SS[.ffffff]'), shared by the SQL functions and the
 * sample reader. Proleptic Gregorian calendar, years 0001..9999. */
typedef struct
{
  int      year, month, day;
  int      hour, minute, second;
  int      micro;        /* 0..999999 */
  gboolean has_time;
} SluiceDateTime;

/* 'YYYY-MM-DD', optionally followed by 'T' or ' ' and HH:MM[:SS[.f…]]
 * (up to nine fraction digits, kept to microseconds). @s need not be
 * NUL-terminated. FALSE unless the whole of @s is a real date. */
gboolean _sluice_datetime_parse          (const char           *s,
                                          gsize                 len,
                                          SluiceDateTime       *out);
/* The same with a Spark datetime pattern (yyyy, MM, dd, HH, mm, ss, SSS, a,
 * MMM, literals in quotes). */
gboolean _sluice_datetime_parse_pattern  (const char           *s,
                                          gsize                 len,
                                          const char           *pattern,
                                          SluiceDateTime       *out);
/* Writes @dt with a Spark pattern; FALSE and the offending letter in
 * *bad_letter for a pattern letter Sluice does not know. */
gboolean _sluice_datetime_render_pattern (const SluiceDateTime *dt,
                                          const char           *pattern,
                                          GString              *out,
                                          char                 *bad_letter);
/* NUL-terminated, returns the length: 'YYYY-MM-DD' (buf ≥ 11). */
gsize    _sluice_datetime_format_date    (const SluiceDateTime *dt,
                                          char                 *buf);
/* 'YYYY-MM-DD HH:MM:SS' plus the fraction without trailing zeros, as Spark
 * shows a timestamp (buf ≥ 27). */
gsize    _sluice_datetime_format_timestamp (const SluiceDateTime *dt,
                                            char                 *buf);
int      _sluice_days_in_month           (int                   year,
                                          int                   month);
/* Days since 1970-01-01. */
gint64   _sluice_days_from_civil         (int                   year,
                                          int                   month,
                                          int                   day);
void     _sluice_civil_from_days         (gint64                days,
                                          SluiceDateTime       *out);
/* 1 Monday … 7 Sunday */
int      _sluice_iso_weekday             (const SluiceDateTime *dt);
int      _sluice_iso_week                (const SluiceDateTime *dt);
int      _sluice_day_of_year             (const SluiceDateTime *dt);

G_END_DECLS
