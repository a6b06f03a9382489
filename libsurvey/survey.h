/*
 * survey.h — the one public header of libsurvey, the library behind the
 * survey toolkit (survey-import, survey-score, survey-nps,
 * survey-complaints, survey-chart).
 *
 * Conventions: every fallible function takes `struct sv_error *ERR` last
 * (ERR may be NULL); functions returning pointers return NULL on failure,
 * the others an enum sv_status.  The library never prints or exits.
 * Percentages are 0-100, proportions 0-1; a statistic that is undefined
 * (n = 0, too few periods, ...) is NaN and prints as an empty cell.
 * Every formula, its source and the function computing it are listed in
 * docs/metrics.md; the file formats in survey-stream(5) and
 * survey-codebook(5).  Only the functions marked SV_API are exported.
 */
#ifndef SURVEY_H
#define SURVEY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the library's API: the shared library exports nothing else. */
#if defined(__GNUC__)
#define SV_API __attribute__((visibility("default")))
#else
#define SV_API
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

enum sv_status {
    SV_OK = 0,
    SV_ERR_DATA,     /* bad input data: exit 1 */
    SV_ERR_IO,       /* read or write failure: exit 1 */
    SV_ERR_NOMEM,    /* out of memory: exit 1 */
    SV_ERR_USAGE,    /* bad option value: exit 2 */
    SV_ERR_LIMIT     /* a documented limit was exceeded: exit 1 */
};

#define SV_ERR_FILE_MAX 256
#define SV_ERR_COLUMN_MAX 128
#define SV_ERR_MSG_MAX 512

/*
 * What the caller may change to get past an error.  The library names the
 * condition in MSG and never an option or a program; a program words the
 * hint in its own terms (survey-import prints SV_HINT_ENCODING as "try
 * --encoding gb18030").
 */
enum sv_hint {
    SV_HINT_NONE = 0,
    SV_HINT_ENCODING,          /* the text may be GB18030, not UTF-8 */
    SV_HINT_UNKNOWN_COLUMN,    /* name the column in the codebook, or skip
                                  unknown columns */
    SV_HINT_RAW_QUESTIONNAIRE, /* a raw questionnaire: import it first */
    SV_HINT_RAW_REGISTER,      /* a raw complaint register: import it */
    SV_HINT_REGISTER,          /* register data: use the register tool */
    SV_HINT_QUESTIONNAIRE,     /* questionnaire data: use the score tools */
    SV_HINT_ONE_GROUP,         /* several groups match: choose one */
    SV_HINT_NO_SITE_KEY,       /* the input was not counted by site */
    SV_HINT_PERIOD_COARSE      /* the cube's periods are coarser than asked */
};

/*
 * One error record, owned by the caller, fixed size so that out-of-memory
 * can still be reported.  LINE is the 1-based physical line where the bad
 * record starts (0 = unknown); COLUMN is the column's name ("" = unknown).
 * Every function that returns a status other than SV_OK (or NULL) has
 * filled it, whatever it held before.
 */
struct sv_error {
    enum sv_status code;
    char file[SV_ERR_FILE_MAX];
    unsigned long line;
    char column[SV_ERR_COLUMN_MAX];
    char msg[SV_ERR_MSG_MAX];
    enum sv_hint hint;
};

/* Returns a static description of CODE. */
SV_API const char *sv_strerror(enum sv_status code);

/*
 * Fills ERR (if not NULL) and returns CODE.  FILE and COLUMN may be NULL.
 * The message is printf-formatted and truncated to SV_ERR_MSG_MAX.
 */
SV_API enum sv_status sv_error_set(struct sv_error *err, enum sv_status code,
                            const char *file, unsigned long line,
                            const char *column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Clears ERR to SV_OK with empty fields.  ERR may be NULL. */
SV_API void sv_error_clear(struct sv_error *err);

/* Sets the hint of the error already in ERR (if not NULL). */
SV_API void sv_error_hint(struct sv_error *err, enum sv_hint hint);

/* ------------------------------------------------------------------ */
/* Small parsing and text helpers                                      */
/* ------------------------------------------------------------------ */

/* Parses all of S as a base-10 long in [MIN, MAX] into *OUT. */
SV_API enum sv_status sv_parse_long(const char *s, long min, long max, long *out);

/* Parses all of S as a finite double (C locale) into *OUT. */
SV_API enum sv_status sv_parse_double(const char *s, double *out);

/* True when A and B differ by at most 1e-9 relative (or absolute near 0). */
SV_API int sv_near(double a, double b);

/*
 * Normalises an answer or label: trims ASCII and full-width spaces,
 * folds full-width ASCII (U+FF01-U+FF5E) to half-width, and lower-cases
 * ASCII letters.  Writes at most CAP bytes including the NUL into OUT.
 * Returns the length, or (size_t)-1 when OUT is too small.
 */
SV_API size_t sv_normalize_label(const char *s, size_t len, char *out, size_t cap);

/* True when S (already normalised) is a "no answer" token. */
SV_API int sv_is_no_answer(const char *norm);

/* Returns the number of terminal columns of UTF-8 text S (CJK = 2). */
SV_API size_t sv_display_width(const char *s);

/*
 * Compares names A and B in natural order (<0, 0, >0, as strcmp): runs of
 * ASCII digits by their value (第2号 before 第12号, office2 before
 * office10), everything else byte by byte (UTF-8: code point order).
 * Runs of equal value but different width are ordered by the first such
 * pair, the narrower first ("1" before "01"), so that the order is total:
 * 0 only for equal strings.
 */
SV_API int sv_natural_cmp(const char *a, const char *b);

/* ------------------------------------------------------------------ */
/* Dates and periods                                                   */
/* ------------------------------------------------------------------ */

/* A calendar date with optional time of day. */
struct sv_date {
    int year, month, day;
    int hour, min, sec;
    int has_time;
};

/*
 * Parses the date forms of raw files: 2026-07-15, 2026/7/15,
 * 2026.7.15, 2026年7月15日, each optionally followed by a time
 * 10:23 or 10:23:45 (or a 'T').  Returns SV_ERR_DATA when S is no valid
 * date (month 1-12, day within the month, leap years).
 */
SV_API enum sv_status sv_date_parse(const char *s, struct sv_date *out);

/* Days since 1970-01-01 of D (its date part). */
SV_API long sv_date_days(const struct sv_date *d);

/* Seconds since 1970-01-01 00:00 of D (no time zone). */
SV_API long long sv_date_seconds(const struct sv_date *d);

/* Writes "YYYY-MM-DD" (or "YYYY-MM-DD HH:MM:SS" with a time) into BUF. */
SV_API void sv_date_format(const struct sv_date *d, char *buf, size_t cap);

enum sv_period {
    SV_PERIOD_NONE = 0,
    SV_PERIOD_MONTH,   /* 2026-07 */
    SV_PERIOD_QUARTER, /* 2026Q3 */
    SV_PERIOD_HALF,    /* 2026H2 */
    SV_PERIOD_YEAR     /* 2026 */
};

/* Parses "month", "quarter", "half", "year" into *OUT. */
SV_API enum sv_status sv_period_parse_kind(const char *s, enum sv_period *out);

/* Writes the period key of D at granularity P into BUF (cap >= 16). */
SV_API void sv_period_key(const struct sv_date *d, enum sv_period p, char *buf,
                   size_t cap);

/*
 * Re-keys the period key KEY to the coarser granularity P (2026-07 ->
 * 2026Q3 -> 2026H2 -> 2026).  Returns SV_ERR_DATA when KEY is not a period
 * key or is coarser than P.
 */
SV_API enum sv_status sv_period_rekey(const char *key, enum sv_period p, char *buf,
                               size_t cap);

/*
 * Returns the granularity of period key KEY (SV_PERIOD_NONE if invalid)
 * and stores a sortable ordinal (consecutive periods differ by 1) in *ORD.
 */
SV_API enum sv_period sv_period_ordinal(const char *key, long *ord);

/* ------------------------------------------------------------------ */
/* CSV reading (streaming, over libcsv)                                */
/* ------------------------------------------------------------------ */

struct sv_csv;

enum sv_encoding { SV_ENC_AUTO = 0, SV_ENC_UTF8, SV_ENC_GB18030 };

/* Parses "auto", "utf-8"/"utf8", "gb18030"/"gbk"/"gb2312" into *OUT. */
SV_API enum sv_status sv_encoding_parse(const char *s, enum sv_encoding *out);

struct sv_csv_options {
    int delimiter;             /* 0 = detect from the header line */
    enum sv_encoding encoding; /* SV_ENC_AUTO: UTF-8 if valid, else GB18030 */
    size_t max_field;          /* 0 = default limit (1 MiB) */
    size_t max_fields;         /* 0 = default limit (16384) */
};

/*
 * Opens PATH ("-" or NULL = stdin) for streaming CSV reading.  Caller
 * frees with sv_csv_free().  NAME is the name used in messages ("<stdin>"
 * for stdin when NULL).  OPTS may be NULL for defaults.
 */
SV_API struct sv_csv *sv_csv_open(const char *path, const char *name,
                           const struct sv_csv_options *opts,
                           struct sv_error *err);

/* Like sv_csv_open() on an already open stream FP (not closed by free). */
SV_API struct sv_csv *sv_csv_open_stream(FILE *fp, const char *name,
                                  const struct sv_csv_options *opts,
                                  struct sv_error *err);

/*
 * Like sv_csv_open() on the byte range [START, END) of the regular file
 * PATH, for reading one file in parallel: START must be the start of a
 * record.  Only the first range (START 0) detects the encoding and drops a
 * BOM; pass the encoding and delimiter it found in OPTS for the others.
 * Line numbers count from the range's start.  Caller frees with
 * sv_csv_free().
 */
SV_API struct sv_csv *sv_csv_open_range(const char *path,
                                 const struct sv_csv_options *opts,
                                 uint64_t start, uint64_t end,
                                 struct sv_error *err);

/* Returns the input's encoding (known once opened). */
SV_API enum sv_encoding sv_csv_encoding(const struct sv_csv *csv);

/*
 * Reads the next record.  Returns SV_OK and sets *NFIELDS (0 at end of
 * input, *NFIELDS > 0 otherwise), or an error.  Fields are UTF-8 and
 * borrowed: valid until the next call.  Blank lines are skipped.
 */
SV_API enum sv_status sv_csv_next(struct sv_csv *csv, size_t *nfields,
                           struct sv_error *err);

/*
 * True when the last error of sv_csv_next() concerned one record only (a
 * NUL byte, invalid UTF-8 or GB18030, a stray quote, a field or record
 * over the limit, too many fields): that record was read or skipped to
 * its end and the next call reads the record after it; sv_csv_nfields()
 * and sv_csv_field() give its fields (for a NUL byte or invalid text all
 * of them, raw bytes that may be invalid UTF-8 or hold a NUL, see
 * sv_csv_field_len(); after a limit those before the field at fault).
 * An unterminated quote at the end of the input and a read error end the
 * input (false).
 */
SV_API int sv_csv_resumable(const struct sv_csv *csv);

/* Returns field I of the current record (borrowed), or "" past the end. */
SV_API const char *sv_csv_field(const struct sv_csv *csv, size_t i);

/* Returns the byte length of field I of the current record. */
SV_API size_t sv_csv_field_len(const struct sv_csv *csv, size_t i);

/* Returns the number of fields of the current record. */
SV_API size_t sv_csv_nfields(const struct sv_csv *csv);

/* Returns the physical line where the current record starts (1-based). */
SV_API unsigned long sv_csv_line(const struct sv_csv *csv);

/* Returns the input's display name (borrowed). */
SV_API const char *sv_csv_name(const struct sv_csv *csv);

/* Returns the delimiter in use (known after the first record). */
SV_API int sv_csv_delimiter(const struct sv_csv *csv);

/* Bytes consumed so far and the input's size (0 if unknown). */
SV_API void sv_csv_progress(const struct sv_csv *csv, uint64_t *done,
                     uint64_t *total);

/* Closes the input.  CSV may be NULL. */
SV_API void sv_csv_free(struct sv_csv *csv);

/* Writes S as one CSV field (quoted when needed) to FP. */
SV_API void sv_csv_write_field(FILE *fp, const char *s);

/* ------------------------------------------------------------------ */
/* Record sources: raw files of any supported format (source.c)        */
/* ------------------------------------------------------------------ */

/*
 * A record source hands over the records of one raw input, whatever its
 * format: CSV (over sv_csv) and Excel workbooks (.xlsx).  The format is
 * found from the content, not the name.  Every record comes with its
 * location, which error messages and the rejects file use: the source's
 * name (sv_source_name: the file, or "file.xlsx:SHEET" for a worksheet)
 * and the line (CSV: the physical line where the record starts) or row
 * (.xlsx: the worksheet row) from sv_source_line().  The importer, the
 * template guesser and the raw-to-cube counter read sources only.
 */
struct sv_source;

enum sv_source_kind { SV_SOURCE_CSV = 1, SV_SOURCE_XLSX };

struct sv_source_options {
    struct sv_csv_options csv; /* CSV: delimiter, encoding, limits */
    const char *sheet; /* .xlsx: sheet name, or its 1-based number in
                          decimal; NULL = the first worksheet */
};

/*
 * Returns the kind of input whose first N bytes are HEAD: SV_SOURCE_XLSX
 * for a zip archive ("PK\3\4", as Office Open XML workbooks are) or a
 * compound file (D0 CF 11 E0: an encrypted workbook or an old .xls, which
 * the workbook reader refuses with a clear message), SV_SOURCE_CSV for
 * anything else (also for N < 4).
 */
SV_API enum sv_source_kind sv_source_sniff(const unsigned char *head, size_t n);

/*
 * Opens PATH ("-" or NULL = stdin) as a record source of the format its
 * content shows.  Caller frees with sv_source_free().  NAME is the name
 * used in messages (PATH, or "<stdin>" for stdin, when NULL).  OPTS may be
 * NULL for defaults.  Errors: SV_ERR_IO (cannot open, a directory), or
 * those of the format's reader (SV_ERR_DATA for a damaged file).
 */
SV_API struct sv_source *sv_source_open(const char *path, const char *name,
                                 const struct sv_source_options *opts,
                                 struct sv_error *err);

/*
 * Like sv_source_open() on the open stream FP (read from its current
 * position; not closed by sv_source_free()).  FP need not be seekable.
 */
SV_API struct sv_source *sv_source_open_stream(FILE *fp, const char *name,
                                        const struct sv_source_options *opts,
                                        struct sv_error *err);

/*
 * Like sv_csv_open_range() as a source: the byte range [START, END) of
 * the regular CSV file PATH.  Returns NULL with SV_ERR_USAGE when PATH is
 * not a CSV file (ranges of a workbook mean nothing).
 */
SV_API struct sv_source *sv_source_open_range(const char *path,
                                       const struct sv_source_options *opts,
                                       uint64_t start, uint64_t end,
                                       struct sv_error *err);

/*
 * Returns a source reading the records of CSV (borrowed: CSV must outlive
 * the source, and sv_source_free() leaves it open).  For callers that
 * opened the CSV themselves.
 */
SV_API struct sv_source *sv_source_from_csv(struct sv_csv *csv,
                                     struct sv_error *err);

/*
 * Reads the next record.  Returns SV_OK and sets *NFIELDS (0 at end of
 * input, > 0 otherwise), or an error naming file and line.  Fields are
 * UTF-8, NUL-terminated and borrowed: valid until the next call.  Blank
 * records (every cell empty) are skipped.
 */
SV_API enum sv_status sv_source_next(struct sv_source *src, size_t *nfields,
                              struct sv_error *err);

/*
 * True when the last error of sv_source_next() concerned one record only
 * (see sv_csv_resumable()): the caller may reject it and read on.  The
 * record's fields (as sv_csv_resumable() says) are then the source's
 * current fields.
 */
SV_API int sv_source_resumable(const struct sv_source *src);

/* Returns field I of the current record (borrowed), or "" past the end. */
SV_API const char *sv_source_field(const struct sv_source *src, size_t i);

/* Returns the byte length of field I of the current record (0 past it). */
SV_API size_t sv_source_field_len(const struct sv_source *src, size_t i);

/* Returns the number of fields of the current record. */
SV_API size_t sv_source_nfields(const struct sv_source *src);

/*
 * Returns where the current record starts: the 1-based physical line of a
 * CSV file, the 1-based row of a worksheet; 0 before the first record.
 */
SV_API unsigned long sv_source_line(const struct sv_source *src);

/*
 * Returns the name that messages use for the input (borrowed): the file
 * name, "<stdin>", or "file.xlsx:SHEET" for a worksheet.
 */
SV_API const char *sv_source_name(const struct sv_source *src);

/* Returns the format being read. */
SV_API enum sv_source_kind sv_source_kind(const struct sv_source *src);

/* Returns the text encoding of the input (SV_ENC_UTF8 for .xlsx). */
SV_API enum sv_encoding sv_source_encoding(const struct sv_source *src);

/* Returns the CSV delimiter in use, or 0 for a format without one. */
SV_API int sv_source_delimiter(const struct sv_source *src);

/* Bytes of the input consumed so far and its size (0 if unknown). */
SV_API void sv_source_progress(const struct sv_source *src, uint64_t *done,
                        uint64_t *total);

/* Closes the source (and the file it opened).  SRC may be NULL. */
SV_API void sv_source_free(struct sv_source *src);

/* ------------------------------------------------------------------ */
/* Scales and codebooks                                                */
/* ------------------------------------------------------------------ */

enum sv_role {
    SV_ROLE_NONE = 0,
    SV_ROLE_ID,
    SV_ROLE_DATE,
    SV_ROLE_SITE,
    SV_ROLE_GROUP,
    SV_ROLE_DIMENSION,
    SV_ROLE_OVERALL,
    SV_ROLE_NPS,
    SV_ROLE_COMPLAINT,
    SV_ROLE_REPEAT_COMPLAINT,
    SV_ROLE_COMMENT,
    SV_ROLE_MULTI, /* multi-select: options joined in one cell */
    SV_ROLE_PII,
    SV_ROLE_IGNORE,
    /* complaint register */
    SV_ROLE_RECEIVED,
    SV_ROLE_CLOSED,
    SV_ROLE_HOUSEHOLD,
    SV_ROLE_CATEGORY,
    SV_ROLE_URGENCY,
    SV_ROLE_STATUS,
    SV_ROLE_COUNT /* not a role: the number of roles, for arrays by role */
};

/* Returns the codebook name of ROLE ("dimension", ...). */
SV_API const char *sv_role_name(enum sv_role role);

/* Parses a role name into *OUT. */
SV_API enum sv_status sv_role_parse(const char *s, enum sv_role *out);

enum sv_scale_kind {
    SV_SCALE_ORDINAL, /* abc3, likert5, custom: levels 1..k, k = best */
    SV_SCALE_NPS,     /* nps11: integers 0-10 */
    SV_SCALE_YESNO    /* yesno: 1 = yes, 0 = no */
};

#define SV_SCALE_MAX_LEVELS 16

struct sv_scale;

/*
 * Returns a scale from a codebook `scale` cell: a built-in name (abc3,
 * likert5, nps11, yesno) or an inline custom scale
 * "levels=很好:100|好:80|一般:60|差:0;top=2".  Caller frees with
 * sv_scale_free().
 */
SV_API struct sv_scale *sv_scale_parse(const char *spec, struct sv_error *err);

SV_API void sv_scale_free(struct sv_scale *scale);

/* Returns the scale's name ("abc3", ..., or "custom"). Borrowed. */
SV_API const char *sv_scale_name(const struct sv_scale *scale);

SV_API enum sv_scale_kind sv_scale_kind(const struct sv_scale *scale);

/* Number of levels (ordinal: k; nps: 11; yesno: 2). */
SV_API int sv_scale_levels(const struct sv_scale *scale);

/* How many of the best levels count as satisfied (ordinal only). */
SV_API int sv_scale_top(const struct sv_scale *scale);

/*
 * Level code of an answer, or -1 when ANSWER is no answer, or -2 when it is
 * not a label of the scale.  Codes: ordinal 1..k with k = best (likert5
 * 非常满意 = 5, abc3 满意 = 3); nps 0..10; yesno 1 = yes, 0 = no.
 */
SV_API int sv_scale_code(const struct sv_scale *scale, const char *answer,
                  size_t len);

/* The canonical label of level CODE (borrowed; "" if out of range). */
SV_API const char *sv_scale_label(const struct sv_scale *scale, int code);

/* The score of level CODE: ordinal 0-100, nps 0-10, yesno 100 or 0. */
SV_API double sv_scale_score(const struct sv_scale *scale, int code);

/* 1 when level CODE is satisfied (ordinal top levels), else 0. */
SV_API int sv_scale_sat(const struct sv_scale *scale, int code);

/*
 * Writes the scale's spec into BUF (CAP bytes): the built-in name, or the
 * custom scale in full ("levels=很好:100|好:80|一般|差:0;top=2"), which
 * sv_scale_parse() reads back into the same levels, scores and top
 * (aliases are not kept).  Returns its length, or -1 when CAP is too small.
 */
SV_API int sv_scale_spec(const struct sv_scale *scale, char *buf, size_t cap);

struct sv_codebook;

/* One codebook entry: a raw column and what it means.  Borrowed. */
struct sv_column {
    const char *column;           /* raw header text */
    enum sv_role role;
    const struct sv_scale *scale; /* NULL unless the role takes a scale */
    const char *label;            /* display name (defaults to column) */
    const char *options;          /* multi: allowed options "a|b|c", or NULL
                                     (any option) */
};

/*
 * Loads a codebook CSV (header column,role,scale,label).  Caller frees
 * with sv_codebook_free().  Errors name the codebook's file, line and
 * column.
 */
SV_API struct sv_codebook *sv_codebook_load(const char *path, struct sv_error *err);

/* Called with each error of a file before the last; CTX is passed back. */
typedef void (*sv_error_cb)(void *ctx, const struct sv_error *e);

struct sv_codebook_options {
    enum sv_encoding encoding; /* SV_ENC_AUTO: UTF-8 if valid, else GB18030 */
    sv_error_cb on_error;      /* NULL: stop at the first error */
    void *ctx;
};

/*
 * Like sv_codebook_load() with OPTS (NULL: defaults).  With an ON_ERROR
 * callback every row is checked: each bad entry and each whole-codebook
 * rule broken is reported, all but the last through the callback and the
 * last in ERR, so that a wrong codebook is fixed in one round.
 */
SV_API struct sv_codebook *
sv_codebook_open(const char *path, const struct sv_codebook_options *opts,
                 struct sv_error *err);

SV_API void sv_codebook_free(struct sv_codebook *cb);

SV_API size_t sv_codebook_count(const struct sv_codebook *cb);

/* Entry I (borrowed). */
SV_API const struct sv_column *sv_codebook_entry(const struct sv_codebook *cb,
                                          size_t i);

/* Entry whose raw column is COLUMN, or NULL. */
SV_API const struct sv_column *sv_codebook_find(const struct sv_codebook *cb,
                                         const char *column);

/* True when the codebook describes a complaint register. */
SV_API int sv_codebook_is_register(const struct sv_codebook *cb);

/* ------------------------------------------------------------------ */
/* Import: raw rows validated against a codebook (import.c)            */
/* ------------------------------------------------------------------ */

struct sv_import;

enum sv_import_flags {
    SV_IMPORT_IGNORE_UNKNOWN = 1 << 0, /* raw columns not in the codebook */
    SV_IMPORT_NO_TEXT = 1 << 1 /* comments unread: REC->texts NULL but
                                  for multi-select answers */
};

/*
 * One validated raw row.  Borrowed: valid until the next
 * sv_import_row() or sv_import_free().  Item I is sv_import_item(IMP, I).
 */
struct sv_record {
    unsigned long line;          /* physical line where the row starts */
    int has_date;                /* questionnaire date / register received */
    struct sv_date date;
    int has_closed;              /* register: closed time present */
    struct sv_date closed;
    const char *site;            /* "" when the codebook has no site */
    const char *household;       /* register household ("" if none) */
    const char *category;        /* register category ("" if none) */
    int urgent;                  /* register: 1, 0, or -1 when unknown */
    const char *status;          /* register status text */
    const char *text;            /* register comment (result) text */
    const char *const *groups;   /* values of the group columns */
    size_t ngroups;
    const int *codes;            /* per item: level code, -1 = no answer */
    const char *const *texts;    /* per item: comment text, multi-select
                                    options joined by |, or NULL */
    size_t nitems;
};

/*
 * Returns an importer for codebook CB (borrowed: CB must outlive it).
 * Caller frees with sv_import_free().
 */
SV_API struct sv_import *sv_import_new(const struct sv_codebook *cb,
                                enum sv_import_flags flags,
                                struct sv_error *err);

SV_API void sv_import_free(struct sv_import *imp);

/*
 * Reads the header record of SRC and maps its columns to the codebook:
 * a codebook column missing from the header, a duplicate header, or (unless
 * SV_IMPORT_IGNORE_UNKNOWN) a header the codebook does not name is an
 * error.  Call once per input file, before its rows.
 */
SV_API enum sv_status sv_import_header(struct sv_import *imp, struct sv_source *src,
                                struct sv_error *err);

/*
 * Makes sv_import_header() check the whole header: every unknown and
 * every missing column is reported, all but the last through ON_ERROR
 * and the last in its ERR.
 */
SV_API void sv_import_set_error_cb(struct sv_import *imp,
                                   sv_error_cb on_error, void *ctx);

/*
 * Maps the columns as LIKE (an importer of the same codebook whose header
 * has been read) does: for reading further ranges of the same file.
 */
SV_API enum sv_status sv_import_header_like(struct sv_import *imp,
                                     const struct sv_import *like,
                                     struct sv_error *err);

/*
 * Validates the current record of SRC (after sv_source_next()) into *REC
 * (its strings are borrowed from SRC and IMP: valid until the next
 * record).  Returns SV_ERR_DATA with ERR naming file, line and column for
 * a bad row (the source stays usable: the caller may reject and go on).
 */
SV_API enum sv_status sv_import_row(struct sv_import *imp, struct sv_source *src,
                             struct sv_record *rec, struct sv_error *err);

/* True when the codebook describes a complaint register. */
SV_API int sv_import_is_register(const struct sv_import *imp);

/* Number of answer items (dimension, overall, nps, yes/no, comment). */
SV_API size_t sv_import_nitems(const struct sv_import *imp);

/* Codebook entry of item I (borrowed). */
SV_API const struct sv_column *sv_import_item(const struct sv_import *imp, size_t i);

/* Number of group columns and the label of group J (borrowed). */
SV_API size_t sv_import_ngroups(const struct sv_import *imp);
SV_API const char *sv_import_group_label(const struct sv_import *imp, size_t j);

/* True when the codebook column at raw field I of the current file is pii. */
SV_API int sv_import_field_is_pii(const struct sv_import *imp, size_t i);

/* ------------------------------------------------------------------ */
/* The normalised stream and its schema (stream.c)                     */
/* ------------------------------------------------------------------ */

/*
 * One definition of the columns that flow between the tools, used by the
 * writers and by every reader (survey-stream(5)).
 *
 * A questionnaire stream has one line per returned questionnaire:
 * the fixed columns date,month,quarter,half,year,site; then one column per
 * group, named by its label; then one column per item, named
 * LABEL{ROLE:SCALE} (LABEL{comment} for comments), SCALE being a built-in
 * name or a custom scale spelled in full ("levels=很好:100|好:80;top=1").
 * An item cell holds the level (ordinal 1..k with k = best, nps 0-10,
 * yes/no 1/0), the comment text, or nothing (no answer).
 */
enum sv_stream_col {
    SV_SCOL_DATE,
    SV_SCOL_MONTH,
    SV_SCOL_QUARTER,
    SV_SCOL_HALF,
    SV_SCOL_YEAR,
    SV_SCOL_SITE,
    SV_SCOL_NFIXED /* the group columns follow */
};

/*
 * A complaint-register stream: one line per complaint, the key columns
 * received..site, the group columns, then household..text.
 */
enum sv_reg_col {
    SV_RCOL_RECEIVED,
    SV_RCOL_CLOSED,
    SV_RCOL_MONTH,
    SV_RCOL_QUARTER,
    SV_RCOL_HALF,
    SV_RCOL_YEAR,
    SV_RCOL_SITE,
    SV_RCOL_HOUSEHOLD, /* after the group columns */
    SV_RCOL_CATEGORY,
    SV_RCOL_URGENT,
    SV_RCOL_STATUS,
    SV_RCOL_TEXT,
    SV_RCOL_N
};

/* The columns of a cube (survey-score --freq) after its key columns. */
enum sv_cube_col {
    SV_CCOL_ITEM,
    SV_CCOL_ROLE,
    SV_CCOL_SCALE,
    SV_CCOL_LEVEL,
    SV_CCOL_LABEL,
    SV_CCOL_SCORE,
    SV_CCOL_SAT,
    SV_CCOL_COUNT,
    SV_CCOL_PCT,
    SV_CCOL_N
};

/* Name of a fixed questionnaire-stream column (static; "" out of range). */
SV_API const char *sv_stream_col_name(enum sv_stream_col c);

/* Name of a register-stream column (static; "" out of range). */
SV_API const char *sv_reg_col_name(enum sv_reg_col c);

/* Name of a cube column (static; "" out of range). */
SV_API const char *sv_cube_col_name(enum sv_cube_col c);

/* The stream column holding the period keys of granularity P ("quarter"). */
SV_API const char *sv_stream_period_col(enum sv_period p);

/* True when NAME is a column name of the schema (not a group label). */
SV_API int sv_stream_reserved(const char *name);

/*
 * Parses the stream column name NAME: returns 1 for an item column
 * LABEL{ROLE:SCALE} or LABEL{comment}, setting *LABEL_LEN (the label is
 * the first *LABEL_LEN bytes of NAME), *ROLE and the scale spec *SPEC
 * (borrowed from NAME, *SPEC_LEN bytes; empty for a comment); returns 0
 * for any other column (fixed or group).
 */
SV_API int sv_stream_item_parse(const char *name, size_t *label_len,
                         enum sv_role *role, const char **spec,
                         size_t *spec_len);

/*
 * Marks a failed import: survey-import writes a record whose first field
 * starts with this text and holds its error message.  Readers turn it
 * into an error ("the input is incomplete: survey-import failed: ...").
 */
#define SV_STREAM_FAILED "survey-import failed: "

/* True when FIELD (the first field of a record) is a failure mark. */
SV_API int sv_stream_is_failure(const char *field);

/*
 * Writes the stream header for importer IMP to FP (questionnaire or
 * register columns, see above).
 */
SV_API void sv_stream_write_header(const struct sv_import *imp, FILE *fp);

/*
 * Writes the stream line of record REC to FP: one line per questionnaire
 * or per complaint.
 */
SV_API void sv_stream_write_record(const struct sv_import *imp,
                            const struct sv_record *rec, FILE *fp);

/*
 * Writes the failure mark with message MSG to FP, as wide as IMP's header
 * (IMP may be NULL when no header was written: a one-field record).
 */
SV_API void sv_stream_write_failure(const struct sv_import *imp, const char *msg,
                             FILE *fp);

/*
 * Sets ERR and returns SV_ERR_DATA when the current record of CSV is a
 * failure mark, else returns SV_OK.
 */
SV_API enum sv_status sv_stream_check_failure(struct sv_csv *csv,
                                       struct sv_error *err);

/* ------------------------------------------------------------------ */
/* The frequency cube (cube.c)                                         */
/* ------------------------------------------------------------------ */

/*
 * Per group: counts per item x level (every single-item metric), and the
 * mergeable multi-item sums of the dimension items (drivers, reliability):
 * for each dimension item, the co-moments of its score x with the
 * respondent's outcome score y (the form's one `overall` item, else the
 * mean score of the respondent's other answered dimension items) over the
 * respondents with both; and, over the respondents who answered every
 * dimension item of their form ("complete"), the moments of each item and
 * of their total.  Sums are exact integers (scores in units of
 * 1/SV_CUBE_SCORE_UNIT, 128-bit), so a cube is the same whichever path
 * or order filled it.  Groups are tuples of key values (dimensions such
 * as site, period or a group label); items are (label, role, scale).
 * Cubes add: reading several inputs into one cube merges them.
 */
struct sv_cube;

/* Highest level code a cube holds (ordinal 1..16, nps 0..10). */
#define SV_CUBE_MAX_CODE 16

/* Largest count a cube cell or response total holds (2^53). */
#define SV_CUBE_MAX_COUNT (UINT64_C(1) << 53)

/*
 * Returns an empty cube grouped by the NDIMS key names DIMS: "site",
 * "period" (at granularity PERIOD), or a group column's label.  Caller
 * frees with sv_cube_free().
 */
SV_API struct sv_cube *sv_cube_new(const char *const *dims, size_t ndims,
                            enum sv_period period, struct sv_error *err);

SV_API void sv_cube_free(struct sv_cube *cube);

/*
 * Sets the callback that gets every header error of a raw file but the
 * last (which the reading function returns), as sv_import_set_error_cb()
 * does for an importer: so that a wrong header is told in one run.
 */
SV_API void sv_cube_set_error_cb(struct sv_cube *cube, sv_error_cb on_error,
                                 void *ctx);

/*
 * Adds every row of CSV to CUBE.  With a codebook CB the input is a raw
 * questionnaire file (imported on the fly, IMPORT_FLAGS apply), as
 * sv_cube_read_raw() on sv_source_from_csv(CSV) reads it; without, the
 * header tells a normalised stream from a cube (--freq output).
 */
SV_API enum sv_status sv_cube_read(struct sv_cube *cube, struct sv_csv *csv,
                            const struct sv_codebook *cb,
                            enum sv_import_flags import_flags,
                            struct sv_error *err);

/*
 * Adds every record of the raw questionnaire source SRC (read with
 * codebook CB, IMPORT_FLAGS apply) to CUBE.  Stops at the first bad row
 * with ERR naming its file, line and column.  A header with several
 * errors (unknown and missing columns) hands all but the last to the
 * callback of sv_cube_set_error_cb(), when one is set.
 */
SV_API enum sv_status sv_cube_read_raw(struct sv_cube *cube, struct sv_source *src,
                                const struct sv_codebook *cb,
                                enum sv_import_flags import_flags,
                                struct sv_error *err);

/*
 * Adds the raw questionnaire file PATH (codebook CB) to CUBE, like
 * sv_cube_read_raw() on sv_source_open(PATH): with JOBS > 1 and a large
 * regular UTF-8 CSV file, JOBS threads count byte ranges cut at record
 * boundaries into their own cubes, which are then added up.  A cut that
 * turns out not to be a record boundary, and any error, makes it read the
 * file again in one thread, so results and messages are those of a
 * single-threaded read.
 */
SV_API enum sv_status sv_cube_read_file(struct sv_cube *cube, const char *path,
                                 const struct sv_source_options *opts,
                                 const struct sv_codebook *cb,
                                 enum sv_import_flags import_flags, int jobs,
                                 struct sv_error *err);

/*
 * From now on, sv_cube_read() adds only the questionnaires (stream lines)
 * and cube rows whose site is SITE (copied; NULL: every site again), for
 * one office's figures.  A cube file without a site key is then an error;
 * raw files are not filtered.  Returns SV_OK or SV_ERR_NOMEM.
 */
SV_API enum sv_status sv_cube_keep_site(struct sv_cube *cube, const char *site,
                                        struct sv_error *err);

/* Sorts the groups by key (periods in time order).  Call after reading. */
SV_API enum sv_status sv_cube_finish(struct sv_cube *cube, struct sv_error *err);

SV_API size_t sv_cube_ndims(const struct sv_cube *cube);
SV_API const char *sv_cube_dim(const struct sv_cube *cube, size_t d);
/* Index of dimension NAME, or -1. */
SV_API long sv_cube_dim_index(const struct sv_cube *cube, const char *name);

SV_API size_t sv_cube_ngroups(const struct sv_cube *cube);
/* Key value of group G in dimension D (borrowed). */
SV_API const char *sv_cube_key(const struct sv_cube *cube, size_t g, size_t d);
/* Group whose keys are KEYS[0..ndims-1], or -1. */
SV_API long sv_cube_lookup(const struct sv_cube *cube, const char *const *keys);
SV_API uint64_t sv_cube_responses(const struct sv_cube *cube, size_t g);

struct sv_cube_item {
    const char *label;
    enum sv_role role;
    const char *scale;
};

SV_API size_t sv_cube_nitems(const struct sv_cube *cube);
/* Item I (borrowed strings). */
SV_API struct sv_cube_item sv_cube_item(const struct sv_cube *cube, size_t i);

/* Count of level CODE (-1 = no answer) of item I in group G. */
SV_API uint64_t sv_cube_count(const struct sv_cube *cube, size_t g, size_t i,
                       int code);

/*
 * True when item I has a level CODE; sets its label (borrowed), score and
 * satisfied flag (any pointer may be NULL).
 */
SV_API int sv_cube_level(const struct sv_cube *cube, size_t i, int code,
                  const char **label, double *score, int *sat);

/*
 * Multi-select items (role multi) are kept apart from the items above:
 * per group, the respondents who chose each option and who answered the
 * question.  An item is (label, scale: "" or "options=A|B|..."); its
 * options are listed in the options= order, else in the byte order of
 * their labels, whichever input filled the cube.  At most 64 different
 * options per item without an options= list.
 */
SV_API size_t sv_cube_nmulti(const struct sv_cube *cube);
/* Multi-select item M (borrowed strings; role SV_ROLE_MULTI). */
SV_API struct sv_cube_item sv_cube_multi(const struct sv_cube *cube, size_t m);
SV_API size_t sv_cube_multi_noptions(const struct sv_cube *cube, size_t m);
/* Label of option O of multi item M (borrowed), "" when out of range. */
SV_API const char *sv_cube_multi_option(const struct sv_cube *cube, size_t m,
                                        size_t o);
/* Respondents of group G who chose option O of multi item M. */
SV_API uint64_t sv_cube_multi_count(const struct sv_cube *cube, size_t g,
                                    size_t m, size_t o);
/* Respondents of group G who answered multi item M (chose one or more). */
SV_API uint64_t sv_cube_multi_answered(const struct sv_cube *cube, size_t g,
                                       size_t m);

/* Scores are summed as integers: score s is held as round(s * this). */
#define SV_CUBE_SCORE_UNIT 1000000

/* Co-moments of a dimension item's score x and the outcome y (0-100). */
struct sv_cube_pair {
    uint64_t n;            /* respondents with both x and y (pairs) */
    double mean_x, mean_y; /* NaN when n = 0 */
    double sxx, syy, sxy;  /* sum (x-mx)^2, (y-my)^2, (x-mx)(y-my) */
};

/* Moments of a score over the complete respondents of a group. */
struct sv_cube_moments {
    uint64_t n;   /* complete respondents */
    double mean;  /* NaN when n = 0 */
    double ss;    /* sum (x - mean)^2 */
};

/*
 * Fills *OUT with the pairs of dimension item I in group G, for Pearson's
 * r = sxy / sqrt(sxx * syy) (importance, docs/metrics.md).  Computed
 * from the exact integer sums (no cancellation).  Returns 1, or 0 when
 * G or I is out of range or I is not a dimension item.
 */
SV_API int sv_cube_pair(const struct sv_cube *cube, size_t g, size_t i,
                 struct sv_cube_pair *out);

/*
 * Fills *OUT with the moments of dimension item I in group G over the
 * complete respondents (who answered every dimension item of their
 * form).  Returns 1, or 0 as sv_cube_pair().
 */
SV_API int sv_cube_alpha_item(const struct sv_cube *cube, size_t g, size_t i,
                       struct sv_cube_moments *out);

/*
 * Fills *OUT with the moments of the complete respondents' total (the sum
 * of their dimension scores) in group G.  Cronbach's alpha over the k
 * dimension items whose sv_cube_alpha_item() n equals this n is
 * k / (k - 1) * (1 - sum of the items' ss / the total's ss); an item with
 * a smaller n belongs to another form pooled into the group.  Returns 1,
 * or 0 when G is out of range.
 */
SV_API int sv_cube_alpha_total(const struct sv_cube *cube, size_t g,
                        struct sv_cube_moments *out);

/*
 * The frequency table (--freq): keys,item,role,scale,level,label,score,
 * sat,count,pct; per group a (responses) row, the level rows and a
 * (missing) row of each item, the option rows (count, and pct of the
 * respondents who answered) and the (answered) and (missing) rows of
 * each multi-select item, the sum rows of each dimension item and of
 * the (total); and a final (end) row whose count is the number of rows
 * before it (a cube without it was cut off).
 */
SV_API struct sv_table *sv_cube_freq_table(const struct sv_cube *cube,
                                    struct sv_error *err);

/* ------------------------------------------------------------------ */
/* Households per site (households.c)                                  */
/* ------------------------------------------------------------------ */

struct sv_households;

/* Loads a site,households CSV.  Caller frees with sv_households_free(). */
SV_API struct sv_households *sv_households_load(const char *path,
                                         struct sv_error *err);

SV_API void sv_households_free(struct sv_households *h);

/* Households of SITE, or -1 when the file does not list it. */
SV_API long sv_households_get(const struct sv_households *h, const char *site);

/* ------------------------------------------------------------------ */
/* Satisfaction metrics (score.c)                                      */
/* ------------------------------------------------------------------ */

#define SV_ITEM_ALL "(all)"
#define SV_ITEM_SITES "(sites)"

/* The longest site, group, household, category value, item label or
 * codebook name, in bytes: longer ones are an error, never truncated. */
#define SV_VALUE_MAX 200

/* The significance level of every test (two-sided p below it). */
#define SV_ALPHA 0.05
/* The default satisfaction target, sat_pct in percent (weak below it). */
#define SV_TARGET_DEFAULT 90.0
/* The default survey coverage target in percent (flagged below it). */
#define SV_COVERAGE_TARGET_DEFAULT 70.0
/* Rows with fewer valid answers get small_n = 1 (样本不足). */
#define SV_SMALL_N 30

/* Adjustments of many p-values at once (docs/metrics.md). */
enum sv_p_adjust {
    SV_P_ADJUST_NONE,
    SV_P_ADJUST_HOLM, /* Holm 1979 step-down, the default */
    SV_P_ADJUST_BH    /* Benjamini-Hochberg 1995 step-up (FDR) */
};

/* How a group that spans several sites weighs their answers (4). */
enum sv_pooling {
    SV_POOL_RESPONDENTS, /* w = 1: every answer counts once (default) */
    SV_POOL_SITES,       /* w = 1 / n_s of the item: every site equally */
    SV_POOL_HOUSEHOLDS   /* w = H_s / R_s: households per questionnaire */
};

/* Parses "respondents", "sites" or "households" into *OUT. */
SV_API enum sv_status sv_pooling_parse(const char *s, enum sv_pooling *out);

/* Returns the option name of POOLING (static). */
SV_API const char *sv_pooling_name(enum sv_pooling pooling);

struct sv_score_options {
    double target;          /* weak below this sat_pct (default 90) */
    double coverage_target; /* coverage flag below this (default 70) */
    int compare;            /* add prev_period, delta_pct, delta_ci_low,
                               delta_ci_high, delta_p, delta_p_adj,
                               significant */
    enum sv_p_adjust p_adjust; /* over the dimension items of a group
                                  (default Holm) */
    int sites;              /* append chi-square rows across sites */
    const struct sv_households *households; /* NULL: no coverage */
    /*
     * Pooling of the sites inside a group: with SV_POOL_SITES or
     * SV_POOL_HOUSEHOLDS (needs HOUSEHOLDS) the cube needs a 'site'
     * dimension, and sat_pct, its interval and the mean score are
     * weighted (n_eff column).  Only the cube's first NKEYS dimensions
     * (0: all) are output keys: a site dimension after them is counted
     * inside the groups only.
     */
    enum sv_pooling pooling;
    int pool_column;        /* print n_eff (any pooling asked for) */
    int trend;              /* the trend table of sv_score_trend_table()
                               instead, of the weighted rates */
    size_t nkeys;
    /*
     * The output period granularity when coarser than the cube's (a
     * quarterly cube scored by half or year, so that coverage is the
     * mean over the quarters with questionnaires); SV_PERIOD_NONE: the
     * cube's own.
     */
    enum sv_period period;
};

/* Fills O with the defaults. */
SV_API void sv_score_options_init(struct sv_score_options *o);

/*
 * Returns the metrics table of CUBE (one row per group x item, (all)
 * first): keys, item, role, responses, n, missing, small_n, sat_pct,
 * sat_ci_low, sat_ci_high, mean_score, sd, mean_ci_low, mean_ci_high
 * (clipped to [0, 100]), complaint_pct, repeat_pct, weak, and the
 * optional coverage, change and site columns.  The change has Newcombe's
 * interval (sv_newcombe) and delta_p_adj, the p-values of the group's
 * dimension items adjusted together (O->p_adjust; (all), overall and
 * yes/no items keep their own p); significant = delta_p_adj < SV_ALPHA.
 * With O->pool_column, n_eff after small_n; with O->pooling sites or
 * households the rates, means and changes are weighted (O->pooling).
 * With O->trend, the trend table (sv_score_trend_table) of those groups.
 * Errors: SV_ERR_USAGE when pooling lacks the cube's site key or the
 * households, SV_ERR_DATA when a site has no household count.
 * Caller frees with sv_table_free().
 */
SV_API struct sv_table *sv_score_table(const struct sv_cube *cube,
                                const struct sv_score_options *o,
                                struct sv_error *err);

/*
 * Returns the trend table: one row per group (without period) x item:
 * keys, item, role, periods, first_period, last_period, first_pct,
 * last_pct, slope, slope_p.  The cube must have a period dimension.
 */
SV_API struct sv_table *sv_score_trend_table(const struct sv_cube *cube,
                                      struct sv_error *err);

struct sv_table_output;

/*
 * Writes the table sv_score_table() returns (with O->trend its trend
 * table) to OUT a group at a time, so that memory stays that of the cube
 * however many groups there are (the aligned table is computed twice:
 * its column widths, then its lines).  SV_OK, or the error in ERR (the
 * output may then hold some rows).
 */
SV_API enum sv_status sv_score_write(const struct sv_cube *cube,
                                     const struct sv_score_options *o,
                                     const struct sv_table_output *out,
                                     struct sv_error *err);

/* ------------------------------------------------------------------ */
/* Drivers and reliability (drivers.c)                                 */
/* ------------------------------------------------------------------ */

/*
 * Returns the drivers table of CUBE (docs/metrics.md, GB/T 19038-2009
 * appendix D): one row per group x dimension item, (all)
 * first: keys, item, role, n, pairs, importance (Pearson's r of the
 * item's score with the outcome: the one overall item, else the mean of
 * the respondent's other dimension items), importance_p (Student's t,
 * pairs - 2 df), sat_pct, quadrant (strength, fix, maintain or
 * opportunity against the means over the group's items with an
 * importance; ties count as high); importance and quadrant are empty
 * below 3 pairs or with zero variance.  The (all) row holds n, sat_pct
 * and Cronbach's alpha of the dimension items over the respondents who
 * answered all of them (alpha_n).  Caller frees with sv_table_free().
 */
SV_API struct sv_table *sv_drivers_table(const struct sv_cube *cube,
                                  struct sv_error *err);

/*
 * Writes sv_drivers_table(CUBE) to OUT a group at a time (as
 * sv_score_write()).
 */
SV_API enum sv_status sv_drivers_write(const struct sv_cube *cube,
                                       const struct sv_table_output *out,
                                       struct sv_error *err);

/* ------------------------------------------------------------------ */
/* NPS metrics (nps.c)                                                 */
/* ------------------------------------------------------------------ */

/*
 * Returns the NPS table of CUBE: one row per group x nps item (cube items
 * of role nps with the same label are pooled): keys, item, responses, n,
 * missing, promoters, passives, detractors (counts), promoters_pct,
 * passives_pct, detractors_pct, nps, nps_se, nps_ci_low, nps_ci_high
 * (sv_nps_compute; 2 decimals), small_n (n < SV_SMALL_N).  With COMPARE
 * (needs a period key) also prev_period (the latest earlier period of the
 * same group and item with answers), delta_nps, delta_ci_low and
 * delta_ci_high (delta_nps -+ SV_Z95 sqrt(se_prev^2 + se_now^2), clamped
 * to [-200, 200]), delta_p (sv_nps_diff_p), delta_p_adj (an NPS item is no dimension item: its own p) and
 * significant (delta_p_adj < 0.05).
 * Caller frees with sv_table_free().
 */
SV_API struct sv_table *sv_nps_table(const struct sv_cube *cube, int compare,
                              struct sv_error *err);

/*
 * Returns the NPS trend table: one row per group (without period) x nps
 * item: keys, item, periods, first_period, last_period, first_nps,
 * last_nps, slope (OLS slope of nps per period, periods with answers
 * only) and slope_p (sv_ols_trend).  The cube must have a period
 * dimension (else SV_ERR_USAGE).  Caller frees with sv_table_free().
 */
SV_API struct sv_table *sv_nps_trend_table(const struct sv_cube *cube,
                                    struct sv_error *err);

/*
 * Writes sv_nps_table(CUBE, COMPARE) or, with TREND,
 * sv_nps_trend_table(CUBE) to OUT a group at a time (as sv_score_write()).
 */
SV_API enum sv_status sv_nps_write(const struct sv_cube *cube, int compare,
                                   int trend,
                                   const struct sv_table_output *out,
                                   struct sv_error *err);

/* ------------------------------------------------------------------ */
/* Complaint register (complaints.c)                                   */
/* ------------------------------------------------------------------ */

/*
 * The complaints of one or more normalised register streams (survey-import
 * output: received,closed,month,quarter,half,year,site,<groups>,household,
 * category,urgent,status,text), grouped by key.  Every complaint is
 * held in memory: repeats look back across periods and need not come in
 * time order.
 */
struct sv_complaints;

/* Resolution deadlines per category or urgency (--deadlines FILE). */
struct sv_deadlines;

/*
 * Loads a category_or_urgency,hours CSV: keys are category names, or
 * "urgent" / "normal"; hours > 0.  Caller frees with sv_deadlines_free().
 * Errors name the file, line and column.
 */
SV_API struct sv_deadlines *sv_deadlines_load(const char *path,
                                       struct sv_error *err);

SV_API void sv_deadlines_free(struct sv_deadlines *d);

/* The default repeat window in days (inclusive). */
#define SV_REPEAT_WINDOW_DAYS_DEFAULT 90
/* The default deadlines in hours: a normal and an urgent complaint. */
#define SV_DEADLINE_HOURS_DEFAULT 24.0
#define SV_DEADLINE_URGENT_HOURS_DEFAULT 0.5

struct sv_complaints_options {
    long window_days; /* repeat window in days, >= 0 (default
                         SV_REPEAT_WINDOW_DAYS_DEFAULT) */
    const struct sv_deadlines *deadlines; /* NULL: the SV_DEADLINE_*
                                             defaults */
    const struct sv_households *households; /* NULL: no per-100 columns */
    int compare;      /* add the change since the previous period */
};

/* Fills O with the defaults. */
SV_API void sv_complaints_options_init(struct sv_complaints_options *o);

/*
 * Returns an empty register grouped by the NDIMS key names DIMS: "site",
 * "period" (the received time's period at granularity PERIOD), or any
 * other column of the stream (category, urgent, a group label).  Caller
 * frees with sv_complaints_free().
 */
SV_API struct sv_complaints *sv_complaints_new(const char *const *dims, size_t ndims,
                                        enum sv_period period,
                                        struct sv_error *err);

SV_API void sv_complaints_free(struct sv_complaints *r);

/*
 * Adds every complaint of the register stream CSV to R.  With HISTORY the
 * complaints are used only to look back for repeats and are not counted.
 * Errors name file, line and column (bad time, closed before received,
 * bad urgent flag, a key column missing, not a register stream).
 */
SV_API enum sv_status sv_complaints_read(struct sv_complaints *r, struct sv_csv *csv,
                                  int history, struct sv_error *err);

/*
 * Sorts the groups by key (periods in time order).  Call once, after
 * reading.  A counted complaint identical to an earlier counted one
 * (every field of its stream line equal: the same register read twice,
 * overlapping exports) is a copy and is counted once.
 */
SV_API enum sv_status sv_complaints_finish(struct sv_complaints *r,
                                    struct sv_error *err);

/*
 * Returns how many counted complaints sv_complaints_finish() dropped as
 * copies.  When there were any and FIRST is not NULL, fills FIRST (code
 * SV_OK) with the file and line of the first copy read and a message
 * naming the complaint it repeats, for a warning.
 */
SV_API size_t sv_complaints_copies(const struct sv_complaints *r,
                                   struct sv_error *first);

/*
 * Returns the register table, one row per group: keys, complaints,
 * repeats, repeat_pct, closed, open, resolution_pct, timely, timely_pct,
 * median_hours_to_close; with O->households (needs a site key) households
 * and complaints_per_100; with O->compare (needs a period key)
 * prev_period and, for the three rates, delta_*_pct and the pooled
 * two-proportion p-value delta_*_p.  A complaint is a repeat when an
 * earlier complaint of the same site, household and category was received
 * at most O->window_days x 86400 s before it; timely when closed at most
 * its deadline after it was received.  Caller frees with sv_table_free().
 */
SV_API struct sv_table *sv_complaints_table(const struct sv_complaints *r,
                                     const struct sv_complaints_options *o,
                                     struct sv_error *err);

/*
 * Returns the trend table: one row per group (without period) x measure
 * (repeat_pct, resolution_pct, timely_pct): keys, measure, periods,
 * first_period, last_period, first_pct, last_pct, slope, slope_p.  Needs a
 * period key.  Caller frees with sv_table_free().
 */
SV_API struct sv_table *
sv_complaints_trend_table(const struct sv_complaints *r,
                          const struct sv_complaints_options *o,
                          struct sv_error *err);

/*
 * Writes sv_complaints_table() or, with TREND, sv_complaints_trend_table()
 * of R to OUT a group at a time (as sv_score_write()).
 */
SV_API enum sv_status sv_complaints_write(const struct sv_complaints *r,
                                          const struct sv_complaints_options *o,
                                          int trend,
                                          const struct sv_table_output *out,
                                          struct sv_error *err);

/* ------------------------------------------------------------------ */
/* Result tables and their output formats (table.c)                    */
/* ------------------------------------------------------------------ */

struct sv_table;

enum sv_format { SV_FORMAT_CSV = 0, SV_FORMAT_TSV, SV_FORMAT_JSON,
                 SV_FORMAT_TABLE, SV_FORMAT_XLSX };

/* Which names a table's header row shows. */
enum sv_header { SV_HEADER_EN = 0, SV_HEADER_ZH };

/* Parses "csv", "tsv", "json", "table" or "xlsx" into *OUT. */
SV_API enum sv_status sv_format_parse(const char *s, enum sv_format *out);

/*
 * The type of a result column, which decides how its values print:
 * TEXT as is; COUNT and INT as integers; NUM with the column's decimals
 * ("-0.00" prints as "0.00"); P (p-values) with 4 significant digits.
 * Every type but TEXT prints as a JSON number and aligns right.
 */
enum sv_type { SV_TYPE_TEXT = 0, SV_TYPE_COUNT, SV_TYPE_INT, SV_TYPE_NUM,
               SV_TYPE_P };

/* One column of a result table: its names, type and decimals. */
struct sv_colspec {
    const char *name; /* the stable English name (the default header) */
    const char *zh;   /* the Chinese header (--lang zh), or NULL */
    enum sv_type type;
    int decimals;     /* SV_TYPE_NUM only; SV_DECIMALS_EXACT: "%.15g" */
};

/* Decimals of a NUM column printed with up to 15 significant digits. */
#define SV_DECIMALS_EXACT (-1)

/* Returns an empty table.  Caller frees with sv_table_free(). */
SV_API struct sv_table *sv_table_new(void);

SV_API void sv_table_free(struct sv_table *t);

/* Appends a column described by C (names copied). */
SV_API enum sv_status sv_table_add_col(struct sv_table *t, const struct sv_colspec *c);

/*
 * Appends a column called NAME: NUMERIC columns have type SV_TYPE_NUM
 * with 2 decimals, the others SV_TYPE_TEXT.
 */
SV_API enum sv_status sv_table_add_column(struct sv_table *t, const char *name,
                                   int numeric);

/* Starts a new row (cells empty until set). */
SV_API enum sv_status sv_table_add_row(struct sv_table *t);

/* Sets cell COL of the last row to a copy of the text S. */
SV_API enum sv_status sv_table_set(struct sv_table *t, size_t col, const char *s);

/* Sets cell COL of the last row to text by printf format. */
SV_API enum sv_status sv_table_setf(struct sv_table *t, size_t col,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets cell COL of the last row to the count N. */
SV_API enum sv_status sv_table_set_count(struct sv_table *t, size_t col,
                                  uint64_t n);

/* Sets cell COL of the last row to the integer I (flags, df). */
SV_API enum sv_status sv_table_set_int(struct sv_table *t, size_t col, long long i);

/*
 * Sets cell COL of the last row to the number X, printed as its column's
 * type says (a NUM column's decimals, a P column's 4 significant digits).
 * NaN leaves the cell empty.
 */
SV_API enum sv_status sv_table_set_double(struct sv_table *t, size_t col, double x);

/* Sets cell COL to X printed with DECIMALS decimals; NaN leaves it empty. */
SV_API enum sv_status sv_table_set_num(struct sv_table *t, size_t col, double x,
                                int decimals);

/* Sets cell COL to p-value P with 4 significant digits; NaN: empty. */
SV_API enum sv_status sv_table_set_p(struct sv_table *t, size_t col, double p);

/* Index of the column called NAME, or -1. */
SV_API long sv_table_column(const struct sv_table *t, const char *name);

SV_API size_t sv_table_ncols(const struct sv_table *t);
SV_API size_t sv_table_nrows(const struct sv_table *t);
SV_API const char *sv_table_name(const struct sv_table *t, size_t col);

/* The description of column COL (borrowed; NULL when out of range). */
SV_API const struct sv_colspec *sv_table_col(const struct sv_table *t, size_t col);

/*
 * The value of cell (ROW, COL) as a number: counts, integers and numbers
 * as set (not rounded), a text cell parsed as a number; NaN when the cell
 * is empty, not a number or out of range.
 */
SV_API double sv_table_num(const struct sv_table *t, size_t row, size_t col);

/* True when cell (ROW, COL) is empty (never set, or set to NaN). */
SV_API int sv_table_empty(const struct sv_table *t, size_t row, size_t col);

/*
 * Cell (ROW, COL) as printed ("" when empty).  Borrowed: a text cell's
 * text is valid until T is freed; a number's text lives in T and is
 * valid until the fourth next call of sv_table_get on T.
 */
SV_API const char *sv_table_get(const struct sv_table *t, size_t row, size_t col);

/* Writes T to FP in format F (header row always). */
SV_API enum sv_status sv_table_write(const struct sv_table *t, enum sv_format f,
                              FILE *fp, struct sv_error *err);

/*
 * Like sv_table_write() with the header H: SV_HEADER_ZH prints each
 * column's Chinese name (the colspec's zh, or the built-in one of a key
 * or frequency column such as site 管理处, period 期间; a group label is
 * already the user's own), the English name where there is none.
 * SV_FORMAT_XLSX writes an Office Open XML workbook of one sheet:
 * numbers as numbers with the decimals they print with, text as text
 * (never a formula), the header row bold and frozen, columns as wide as
 * their widest cell (a CJK character counts two).  The workbook is made
 * in a temporary file ($TMPDIR) and copied to FP.  SV_ERR_IO when it
 * cannot be made or copied.
 */
SV_API enum sv_status sv_table_write_as(const struct sv_table *t,
                                        enum sv_format f, enum sv_header h,
                                        FILE *fp, struct sv_error *err);

/*
 * Where a table goes when it is written as it is made (sv_score_write(),
 * sv_nps_write(), sv_complaints_write()): FORMAT
 * with the header HEADER onto FP (as sv_table_write_as()).  Write errors
 * on FP are the caller's to check (ferror).
 */
struct sv_table_output {
    enum sv_format format;
    enum sv_header header;
    FILE *fp;
};

/* The header of column COL under H (borrowed; "" when out of range). */
SV_API const char *sv_table_header(const struct sv_table *t, size_t col,
                                   enum sv_header h);

/*
 * Writes the frequency table of CUBE (sv_cube_freq_table()) to FP in
 * format F with the header H (as sv_table_write_as()), one group at a
 * time in every format, so memory stays that of the cube whatever the
 * number of groups (the aligned table is made twice: its column widths,
 * then its lines).  Write errors are the caller's to check (ferror).
 * Returns SV_OK, or SV_ERR_NOMEM (SV_ERR_IO for a workbook, SV_ERR_DATA
 * past a worksheet's rows) with ERR filled.
 */
SV_API enum sv_status sv_cube_write_freq(const struct sv_cube *cube,
                                         enum sv_format f, enum sv_header h,
                                         FILE *fp, struct sv_error *err);

/* ------------------------------------------------------------------ */
/* Output files (outfile.c)                                            */
/* ------------------------------------------------------------------ */

/*
 * An output file being written.  The caller owns the struct; FD is the
 * descriptor to write (the caller closes it before committing).
 */
struct sv_outfile {
    char final[4096]; /* the file written or replaced (symlinks followed) */
    char tmp[4096];   /* the temporary beside it; "" when written in place */
    int fd;
    int direct;       /* a device or FIFO, written in place */
};

/*
 * Opens PATH for writing into F.  A regular file (or a new one) is written
 * to a temporary in the folder of the file PATH names after following its
 * symlinks, created with the mode and owner of the file it will replace
 * (0666 less the umask for a new file).  A character device or FIFO, and
 * any path under /dev/ or /proc/, is opened and written in place.  A block
 * device or socket is refused.  Errors (SV_ERR_IO) name PATH.
 */
SV_API enum sv_status sv_outfile_open(struct sv_outfile *f, const char *path,
                               struct sv_error *err);

/*
 * Checks that F can be renamed into place (its target is no directory),
 * so that several outputs of one run are committed together or not at
 * all.  Returns SV_OK or SV_ERR_IO naming PATH.
 */
SV_API enum sv_status sv_outfile_check(const struct sv_outfile *f, const char *path,
                                struct sv_error *err);

/*
 * Renames F's temporary into place (nothing for a file written in place).
 * On failure the temporary is removed.  Returns SV_OK or SV_ERR_IO.
 */
SV_API enum sv_status sv_outfile_commit(struct sv_outfile *f, const char *path,
                                 struct sv_error *err);

/* Removes F's temporary file, if any (async-signal-safe). */
SV_API void sv_outfile_abort(struct sv_outfile *f);

/*
 * True when paths A and B name the same regular file (same device and
 * inode), or, when they do not both exist, the same path once symlinks
 * are followed.  "-" is never the same as anything.
 */
SV_API int sv_same_file(const char *a, const char *b);

/* ------------------------------------------------------------------ */
/* Comments: personal data and common opinions (opinion.c)             */
/* ------------------------------------------------------------------ */

/*
 * Copies S to OUT with personal numbers replaced by "****": Chinese mobile
 * numbers (11 digits 1[3-9]..., also after 86, +86 or 0086), landlines
 * with their area code (0 and 9-11 more digits), resident ID-card numbers
 * (18 digits, or 17 digits and X) and e-mail addresses, internationalised
 * ones too (张三@例子.公司, user@例子.cn, the full-width ＠ and ．).
 * Full-width digits and Chinese numerals (一三八 零零一三 八零零零, 幺 for
 * one) count as digits; the digits may be grouped by spaces, '-', '.',
 * '/', '_', '~', ')' and their full-width forms, the ideographic and the
 * no-break space (a grouped ID number needs a plausible birth date).  A
 * digit run of
 * another length is kept.  One pass, linear in the length of S.  Writes
 * at most CAP bytes including the NUL (the output is never longer than
 * S).  Returns the length, or (size_t)-1 when OUT is too small.
 */
SV_API size_t sv_mask_pii(const char *s, char *out, size_t cap);

/* The built-in opinion themes (停车, 电梯, 保洁, ...): count and names. */
SV_API size_t sv_opinion_themes(void);
SV_API const char *sv_opinion_theme_name(size_t i);

/* The key words of theme I, separated by 、 ("停车、车位、车库..."). */
SV_API const char *sv_opinion_theme_words(size_t i);

/* True when TEXT mentions theme I (one of its key words occurs). */
SV_API int sv_opinion_mentions(const char *text, size_t i);

/* A keyword or theme and the number of comments that mention it. */
struct sv_keyword {
    const char *text; /* borrowed from the collector or the theme list */
    size_t count;
};

/*
 * Counts comments by built-in theme, each theme at most once per comment
 * (words and phrases: sv_words).  Caller frees with sv_opinions_free().
 */
struct sv_opinions;

SV_API struct sv_opinions *sv_opinions_new(struct sv_error *err);
SV_API void sv_opinions_free(struct sv_opinions *o);

/* Counts comment TEXT; SV_OK (ERR is not used: counting cannot fail). */
SV_API enum sv_status sv_opinions_add(struct sv_opinions *o, const char *text,
                               struct sv_error *err);

/* Number of comments added. */
SV_API size_t sv_opinions_comments(const struct sv_opinions *o);

/*
 * Fills OUT[0..CAP-1] with the themes mentioned at least once, most
 * frequent first (ties by name).  Returns how many were written.
 */
SV_API size_t sv_opinions_theme_counts(const struct sv_opinions *o,
                                struct sv_keyword *out, size_t cap);

/* ------------------------------------------------------------------ */
/* Themes from words (words.c; ICU underneath)                          */
/* ------------------------------------------------------------------ */

/*
 * The most distinct words and two-word phrases an sv_words collector
 * keeps.  When the table is full, the entries counted no more often than
 * the median are dropped; an entry seen again starts a new count.  Below
 * the bound every count is exact.
 */
#define SV_WORDS_MAX 65536

/* A word or two-word phrase, how many comments use it, and an example. */
struct sv_word {
    const char *text;    /* borrowed from the collector */
    size_t count;        /* comments that use it (once per comment) */
    const char *example; /* the first such comment, personal numbers
                            masked (sv_mask_pii), at most 240 bytes + "…" */
};

/*
 * Counts the words of comments: each comment is segmented with ICU's
 * dictionary-based word break iterator (UBRK_WORD, locale "zh"); words of
 * two or more letters or ideographs that are not stop words (我们, 希望,
 * 建议, 非常, 问题, ...) are counted, and so are two such words that
 * follow each other directly (a phrase: 停车 + 车位 = 停车车位), each at
 * most once per comment and up to 64 words a comment.  Caller frees with
 * sv_words_free().  NULL with ERR set when out of memory or ICU has no
 * word break rules.
 */
struct sv_words;

SV_API struct sv_words *sv_words_new(struct sv_error *err);
SV_API void sv_words_free(struct sv_words *o);

SV_API enum sv_status sv_words_add(struct sv_words *o, const char *text,
                            struct sv_error *err);

/* Number of comments added. */
SV_API size_t sv_words_comments(const struct sv_words *o);

/*
 * Fills OUT[0..CAP-1] with the words (PHRASES = 0) or two-word phrases
 * (PHRASES = 1) used in at least MIN_COUNT comments, most frequent first,
 * ties by text.  Strings are borrowed from O.  Returns how many were
 * written, or (size_t)-1 when out of memory.
 */
SV_API size_t sv_words_top(const struct sv_words *o, int phrases, size_t min_count,
                    struct sv_word *out, size_t cap, struct sv_error *err);

/* ------------------------------------------------------------------ */
/* Statistics (stats.c; GSL underneath)                                */
/* ------------------------------------------------------------------ */

/* The two-sided 95 % normal quantile used throughout (docs/metrics.md). */
#define SV_Z95 1.959964

/*
 * 95 % Wilson score interval for X successes out of N, as proportions in
 * [0, 1] (Wilson 1927; z = SV_Z95).  N = 0 gives NaN bounds.
 */
SV_API void sv_wilson(uint64_t x, uint64_t n, double *low, double *high);

/*
 * Mean, sample standard deviation (n - 1) and 95 % t interval of a
 * frequency table: COUNTS[i] observations of value VALUES[i], K entries.
 * Undefined parts are NaN (sd and interval need n >= 2).  Returns the
 * total count.
 */
SV_API uint64_t sv_freq_moments(const double *values, const uint64_t *counts,
                         size_t k, double *mean, double *sd, double *ci_low,
                         double *ci_high);

/*
 * Two-sided p-value of the pooled two-proportion z test of X1/N1 against
 * X2/N2.  NaN when N1 or N2 is 0; 1 when the pooled proportion is 0 or 1
 * (both samples agree exactly).
 */
SV_API double sv_two_prop_p(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);

/*
 * Ordinary least-squares trend of Y[0..N-1] on the index 0..N-1: the slope
 * (units of Y per period) and the two-sided p-value of Student's t with
 * N - 2 degrees of freedom.  NaN values in Y are not allowed.  N = 2
 * gives the difference per period with p NaN (docs/metrics.md: two periods
 * have a slope but no slope_p); N < 2 gives NaN for both; a perfect fit
 * gives p = 0 (NaN if the slope is 0).
 */
SV_API void sv_ols_trend(const double *y, size_t n, double *slope, double *p);

/*
 * Like sv_ols_trend() on the positions X[0..N-1] (e.g. period ordinals
 * relative to the first period, so that a missing quarter leaves a gap);
 * X NULL means 0..N-1.  X values must not all be equal.
 */
SV_API void sv_ols_trend_at(const double *x, const double *y, size_t n,
                     double *slope, double *p);

/*
 * Pearson chi-square test of a K x 2 table (SAT[i] satisfied out of N[i]).
 * Rows with N[i] = 0 are left out.  Sets *CHI2, *DF (rows used - 1) and
 * *P; NaN (and df 0) when fewer than two rows remain or a column total
 * is 0.
 */
SV_API void sv_chisq_sat(const uint64_t *sat, const uint64_t *n, size_t k,
                  double *chi2, int *df, double *p);

/* Net Promoter Score of a 0-10 answer distribution.  Public record. */
struct sv_nps {
    uint64_t n, promoters, passives, detractors;
    double promoters_pct, passives_pct, detractors_pct; /* 0-100 */
    double nps, se, ci_low, ci_high; /* -100..100; interval clamped */
};

/*
 * Computes the NPS of COUNTS[0..10] (answers 0..10) into *OUT: promoters
 * 9-10, detractors 0-6, se = 100 sqrt((P + D - (P - D)^2) / n), interval
 * nps +- SV_Z95 se clamped to [-100, 100].  n = 0 gives NaN figures.
 */
SV_API void sv_nps_compute(const uint64_t counts[11], struct sv_nps *out);

/*
 * Two-sided p-value of the difference of two independent NPS estimates:
 * z = (NPS2 - NPS1) / sqrt(SE1^2 + SE2^2).  NaN if any input is NaN;
 * 1 when both standard errors are 0 and the estimates are equal, 0 when
 * they differ.
 */
SV_API double sv_nps_diff_p(double nps1, double se1, double nps2, double se2);

/*
 * Median of the N values in DATA (sorted in place).  NaN when N = 0.
 */
SV_API double sv_median(double *data, size_t n);

/*
 * 95 % Wilson score interval of a rate P in [0, 1] with (effective)
 * sample size N > 0, e.g. a weighted rate with Kish's n_eff; with
 * P = x / n it is sv_wilson(x, n).  P = 0 gives a low bound of exactly
 * 0, P = 1 a high bound of exactly 1.  NaN bounds when N <= 0 or P is
 * not in [0, 1].
 */
SV_API void sv_wilson_rate(double p, double n, double *low, double *high);

/*
 * Newcombe's hybrid score interval (method 10, Statistics in Medicine 17
 * (1998) 873) of the change P2 - P1 from the 95 % Wilson intervals of
 * the rates P1 (sample size N1) and P2 (N2), as proportions in [-1, 1].
 * N1 and N2 may be effective sizes.  NaN bounds when either rate has no
 * interval (N <= 0).
 */
SV_API void sv_newcombe(double p1, double n1, double p2, double n2, double *low,
                 double *high);

/* Returns the option name of METHOD: "none", "holm" or "bh" (static). */
SV_API const char *sv_p_adjust_name(enum sv_p_adjust method);

/*
 * Parses the option name S ("none", "holm", "bh") into *OUT.  Returns
 * SV_ERR_USAGE for any other text.
 */
SV_API enum sv_status sv_p_adjust_parse(const char *s, enum sv_p_adjust *out);

/*
 * Adjusts the N p-values in P in place as R's p.adjust() does: NaN
 * entries stay NaN and do not count; adjusted values are capped at 1.
 * Returns SV_ERR_NOMEM or SV_OK.
 */
SV_API enum sv_status sv_p_adjust(double *p, size_t n, enum sv_p_adjust method,
                           struct sv_error *err);

/*
 * Pearson's correlation *R of N pairs from their centred sums of squares
 * SXX = sum (x - mean x)^2, SYY and of products SXY, and the two-sided
 * p-value *P of Student's t with N - 2 degrees of freedom (as R's
 * cor.test).  Both are NaN when N < 3 or SXX or SYY is not above 0 (zero
 * variance); |r| = 1 gives p = 0.
 */
SV_API void sv_pearson(uint64_t n, double sxx, double syy, double sxy, double *r,
                double *p);

/*
 * Pearson's correlation *R of N pairs from their sums SX, SY, sums of
 * squares SXX, SYY and sum of products SXY, and the two-sided p-value *P
 * of Student's t with N - 2 degrees of freedom.  Both are NaN when N < 3
 * or either variable has zero variance; |r| = 1 gives p = 0.
 */
SV_API void sv_pearson_sums(uint64_t n, double sx, double sy, double sxx,
                     double syy, double sxy, double *r, double *p);

/*
 * Returns Cronbach's alpha of K items over N complete respondents from
 * each item's sum SUM[i] and sum of squares SUMSQ[i] and the sum and sum
 * of squares of the respondents' totals (sample variances, n - 1).  NaN
 * when N < 2, K < 2 (or above 64) or the total has zero variance.  May be
 * negative.
 */
SV_API double sv_cronbach_alpha(uint64_t n, size_t k, const double *sum,
                         const double *sumsq, double total_sum,
                         double total_sumsq);

/*
 * Returns Cronbach's alpha of K items from each item's centred sum of
 * squares ITEM_SS[i] and the total's TOTAL_SS, all over the same complete
 * respondents (the n - 1 of the variances cancels).  NaN when K < 2 or
 * TOTAL_SS is not above 0.
 */
SV_API double sv_cronbach_alpha_ss(size_t k, const double *item_ss,
                            double total_ss);

/*
 * Returns Kish's effective sample size (sum w)^2 / sum w^2 from the sum
 * of weights SUM_W and of squared weights SUM_W2; NaN when SUM_W2 <= 0.
 */
SV_API double sv_kish_neff(double sum_w, double sum_w2);

/* ------------------------------------------------------------------ */
/* Codebook templates (template.c)                                     */
/* ------------------------------------------------------------------ */

/*
 * Returns a codebook skeleton for the raw source SRC (opened, nothing read
 * yet): columns column, role, scale, label and one row per header column,
 * the role and scale guessed from the header text (日期 date, 管理处 site,
 * 姓名/电话 pii, 房号 id, 意见/建议 comment, 推荐 nps, 投诉 complaint, ...)
 * and from the answers in the first MAX_ROWS rows (满意/较满意/不满意
 * abc3, 非常满意... likert5, 0-10 nps11, 1-5 likert5, 是/否 yesno).  A
 * file with a 受理时间 column gets complaint-register roles.  Columns it
 * cannot place get the role ignore.  Caller frees with sv_table_free().
 */
SV_API struct sv_table *sv_template_guess(struct sv_source *src, size_t max_rows,
                                   struct sv_error *err);

/*
 * Like sv_template_guess(), and for every column given a scale whose
 * sampled answers are not all on it, calls ON_WARNING (when not NULL)
 * with the column and the stray answers and their counts.
 */
SV_API struct sv_table *sv_template_guess_with(struct sv_source *src,
                                               size_t max_rows,
                                               sv_error_cb on_warning,
                                               void *ctx,
                                               struct sv_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SURVEY_H */
