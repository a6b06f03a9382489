/*
 * internal.h — declarations shared inside libsurvey only (not installed,
 * not for the tools).  The symbols still start with sv_ so that the
 * library exports nothing else.
 */
#ifndef SV_INTERNAL_H
#define SV_INTERNAL_H

#include <stddef.h>

#include "survey.h"

/*
 * A read-only view of grouped results: NGROUPS groups, each with NDIMS key
 * values returned by KEY (borrowed strings).  Groups must be sorted by key
 * with periods in time order (as sv_cube_finish() leaves them).
 * PERIOD_DIM is the period dimension, or -1.
 */
struct sv_keyview {
    const void *src;
    size_t ngroups, ndims;
    long period_dim;
    const char *(*key)(const void *src, size_t g, size_t d);
};

/*
 * Opens the input PATH for reading: stdin for NULL or "-", else the file
 * (a directory is refused).  *NAME, when NULL, becomes the name messages
 * use (PATH, or "<stdin>").  Returns the stream (the caller closes it
 * unless it is stdin), or NULL with ERR set (SV_ERR_IO).
 */
FILE *sv_input_open(const char *path, const char **name,
                    struct sv_error *err);

/*
 * Cell S without the "'" that the Excel-bound outputs (the rejects file,
 * CSV written with --bom or in GB18030, templates) put before a cell
 * starting with = + - or @ so that Excel never runs it as a formula;
 * S itself otherwise (text.c).  The readers of values read back what
 * those outputs wrote with it.  Borrowed: S or S + 1.
 */
const char *sv_formula_unguard(const char *s);

/* The type and names of cube column C (static; NULL out of range). */
const struct sv_colspec *sv_cube_colspec(enum sv_cube_col c);

/* The NDIMS key names of cube C (borrowed: valid while C lives). */
const char *const *sv_cube_dims(const struct sv_cube *c);

/* Fills V with a view of the groups of cube C (borrowed: C must outlive V). */
void sv_keyview_cube(struct sv_keyview *v, const struct sv_cube *c);

/*
 * Output groups that collect several groups of a cube (pool.c): the
 * cube's first NKEYS dimensions are the output keys, the others (a site
 * counted inside each group) are not; with PERIOD coarser than the cube's
 * period, cube periods are re-keyed to it (quarters inside a year).
 * Output group G holds the cube groups MEMBER[START[G]..START[G+1]),
 * sorted by the hidden keys (a site's groups are adjacent), then by time.
 */
struct sv_pool {
    const struct sv_cube *c;
    size_t nkeys;
    long period_dim;       /* the cube's period dimension, or -1 */
    long site_dim;         /* the cube's site dimension, or -1 */
    enum sv_period period; /* SV_PERIOD_NONE: the cube's own */
    size_t ngroups;
    size_t *start, *member;
    char (*pkey)[16];      /* each output group's period key */
};

/*
 * True when multi-select option OPT (LEN bytes) is a name the cube keeps
 * for its own rows, (answered) or (missing) (cube-multi.c).
 */
int sv_cube_reserved_option(const char *opt, size_t len);

/*
 * Builds the output groups of cube C (finished) by its first NKEYS
 * dimensions (0: all) at granularity PERIOD.  SV_OK or SV_ERR_NOMEM.
 */
enum sv_status sv_pool_init(struct sv_pool *p, const struct sv_cube *c,
                            size_t nkeys, enum sv_period period);

void sv_pool_release(struct sv_pool *p);

/* Fills V with a view of the output groups of P (borrowed). */
void sv_keyview_pool(struct sv_keyview *v, const struct sv_pool *p);

/* True when groups A and B share every key except dimension SKIP. */
int sv_keyview_same_except(const struct sv_keyview *v, size_t a, size_t b,
                           long skip);

/* The sortable ordinal of group G's period key (0 without a period). */
long sv_keyview_period_ord(const struct sv_keyview *v, size_t g);

/*
 * The groups of a key view in classes of equal keys but dimension SKIP
 * (the same group in every period, or at every site), built once by
 * sorting so that walking a class costs its size, not the number of
 * groups.  Members of a class keep the view's order (periods in time
 * order).
 */
struct sv_keyindex {
    const struct sv_keyview *v;
    long skip;
    size_t *order; /* groups, class by class */
    size_t *pos;   /* pos[g]: where group g is in ORDER */
    size_t *start; /* start[g]: where g's class starts in ORDER */
    size_t *end;   /* end[g]: where g's class ends (exclusive) */
};

/* Builds the classes of V but dimension SKIP.  SV_OK or SV_ERR_NOMEM. */
enum sv_status sv_keyindex_init(struct sv_keyindex *x,
                                const struct sv_keyview *v, long skip);

void sv_keyindex_release(struct sv_keyindex *x);

/* True when G is the first group of its class. */
int sv_keyindex_first(const struct sv_keyindex *x, size_t g);

/* Tells whether group G has data for the caller's figure. */
typedef int (*sv_group_pred)(const void *ctx, size_t g);

/*
 * The latest group before G in G's class (by period, SKIP = the period)
 * for which HAS(CTX, group) is true, or -1.
 */
long sv_keyindex_previous(const struct sv_keyindex *x, size_t g,
                          sv_group_pred has, const void *ctx);

/* A figure over the periods of one group, for trends. */
struct sv_series {
    size_t k;            /* periods with a value */
    size_t first, last;  /* their first and last group */
    double *x, *y;       /* period ordinal - first ordinal, and the value */
};

/* The value of a figure in group G, or NaN when it has no data there. */
typedef double (*sv_group_value)(const void *ctx, size_t g);

/*
 * Collects VALUE over the class of G0 (SKIP = the period), in time order,
 * skipping NaN.  X counts calendar periods from the first, so a missing
 * quarter leaves a gap.  Caller releases S with sv_series_release().
 * Returns SV_ERR_NOMEM or SV_OK.
 */
enum sv_status sv_keyindex_series(const struct sv_keyindex *x, size_t g0,
                                  sv_group_value value, const void *ctx,
                                  struct sv_series *s);

void sv_series_release(struct sv_series *s);

/* OLS trend of S (sv_ols_trend_at on its positions). */
void sv_series_trend(const struct sv_series *s, double *slope, double *p);

/* Pooled two-proportion z test of rates with (effective) sizes (stats.c). */
double sv_two_prop_p_rate(double p1, double n1, double p2, double n2);

/*
 * Weighted mean, sd (reliability weights) and t interval of K scores
 * VALUES with weight sums W and squared-weight sums W2 (stats.c);
 * returns Kish's n_eff.
 */
double sv_weighted_moments(const double *values, const double *w,
                           const double *w2, size_t k, double *mean,
                           double *sd, double *ci_low, double *ci_high);

/* Drops the last row of T (a row that turned out to have no data). */
void sv_table_drop_row(struct sv_table *t);

/*
 * Writes the rows of T as CSV (TSV when TSV is nonzero), after the header
 * line (names under H) when HEADER is nonzero: what sv_table_write_as()
 * writes, in parts.
 */
void sv_table_write_delimited(const struct sv_table *t, FILE *fp, int tsv,
                              enum sv_header h, int header);

/* A row's item: every cube item sharing a label and role (pooled). */
struct sv_mitem {
    const char *label; /* borrowed from the cube */
    enum sv_role role;
    size_t *cube_items, n;
};

/* Decides whether a role's items get rows. */
typedef int (*sv_role_pred)(enum sv_role role);

/*
 * Pools the items of cube C whose role KEEP accepts by (label, role), in
 * the cube's item order, into *ITEMS (*N of them).  Caller frees with
 * sv_mitems_free().  Returns SV_OK or SV_ERR_NOMEM.
 */
enum sv_status sv_mitems_build(const struct sv_cube *c, sv_role_pred keep,
                               struct sv_mitem **items, size_t *n);

void sv_mitems_free(struct sv_mitem *items, size_t n);

/*
 * Puts the item (all) (role dimension, no cube items: the caller pools the
 * dimension items itself) before the *N ITEMS.  SV_OK or SV_ERR_NOMEM
 * (ITEMS unchanged).
 */
enum sv_status sv_mitems_prepend_all(struct sv_mitem **items, size_t *n);

/*
 * Copies the NDIMS key names DIMS into *OUT (NULL-terminated; free each
 * name and the array) and sets *PERIOD_DIM to the index of "period" or -1.
 * On SV_ERR_NOMEM *OUT holds the *COPIED names made so far.
 */
enum sv_status sv_dims_copy(const char *const *dims, size_t ndims,
                            char ***out, size_t *copied, long *period_dim);

/* ------------------------------------------------------------------ */
/* Record sources: what a format's reader implements (source.c)        */
/* ------------------------------------------------------------------ */

/*
 * A format plugs in with one constructor, sv_<format>_source_init(), and
 * one line in source.c's open_kind() that calls it for the kind that
 * sv_source_sniff() finds in the first bytes.  The generic layer
 * allocates a zeroed struct sv_source, sets NAME (the name for messages)
 * and FP (positioned at the input's first byte; possibly not seekable,
 * e.g. stdin from a pipe; owned and closed by the generic layer, never by
 * the reader), then calls the constructor, which sets OPS, IMPL, ENC and
 * DELIM, and may append to NAME (a workbook appends ":SHEET", so that
 * messages read "file.xlsx:SHEET:ROW").  On failure the constructor fills
 * ERR (file = NAME) and returns its status; it frees what it allocated
 * itself, and release() is not called.
 */
struct sv_plain_line;

struct sv_source_ops {
    enum sv_source_kind kind;
    /*
     * Reads the next record: sets NF, FIELD, LEN and LINE, or NF = 0 at
     * the end of the input (then every later call returns NF = 0 too).
     * FIELD[i] is a NUL-terminated UTF-8 text of LEN[i] bytes, without
     * NUL bytes inside; both arrays are owned by the reader and stay
     * valid until the next call.  Records whose cells are all empty are
     * skipped, never returned.  A record has at least one field.  Errors
     * fill ERR with file NAME and the line or row (sv_error_set) and
     * return SV_ERR_DATA, SV_ERR_LIMIT (a cell over the limits of
     * struct sv_csv_options: max_field bytes, max_fields cells), SV_ERR_IO
     * or SV_ERR_NOMEM; the caller stops reading after an error.
     */
    enum sv_status (*next)(struct sv_source *src, struct sv_error *err);
    /* Bytes of the input consumed and its size (0: unknown); may be NULL. */
    void (*progress)(const struct sv_source *src, uint64_t *done,
                     uint64_t *total);
    /* Frees IMPL and whatever the reader allocated; not FP. */
    void (*release)(struct sv_source *src);
    /* sv_source_plain_line() and sv_source_take_plain(); NULL: none. */
    int (*plain)(struct sv_source *src, struct sv_plain_line *pl);
    void (*take)(struct sv_source *src);
};

struct sv_source {
    const struct sv_source_ops *ops;
    void *impl;               /* the reader's own state */
    size_t nf;                /* the current record: NF fields */
    const char *const *field; /* their texts */
    const size_t *len;        /* their byte lengths */
    unsigned long line;       /* 1-based line or row where it starts */
    char name[SV_ERR_FILE_MAX];
    enum sv_encoding enc;     /* SV_ENC_UTF8 unless the reader converts */
    int delim;                /* CSV delimiter, 0 for other formats */
    int resumable;            /* the last error skipped one record only */
    FILE *fp;                 /* the input (generic layer) */
    int own_fp;               /* 1: fclose(FP) on free */
    FILE *under;              /* with a sniffing wrapper: the real stream */
    int own_under;            /* 1: fclose(UNDER) on free */
};

/* The CSV reader as a source over FP (the constructor for SV_SOURCE_CSV). */
enum sv_status sv_csv_source_init(struct sv_source *src, FILE *fp,
                                  const struct sv_source_options *opts,
                                  struct sv_error *err);

/*
 * The fields of the current record of CSV and their lengths (borrowed:
 * valid until the next sv_csv_next()).
 */
void sv_csv_record(const struct sv_csv *csv, const char *const **field,
                   const size_t **len);

/* The workbook reader as a source over FP (for SV_SOURCE_XLSX). */
enum sv_status sv_xlsx_source_init(struct sv_source *src, FILE *fp,
                                   const struct sv_source_options *opts,
                                   struct sv_error *err);

/*
 * When SRC reads a workbook and V is a plain number, converts it as an
 * Excel serial day number of the workbook's date system (a date typed
 * into a cell without a date format) into *D and returns 0; else -1.
 */
int sv_source_serial_date(const struct sv_source *src, const char *v,
                          struct sv_date *d);

/* True when column COL of T holds numbers (every type but text). */
int sv_table_numeric(const struct sv_table *t, size_t col);

/* Rows of a worksheet, the header's included. */
#define SV_XLSX_MAX_ROWS 1048576

/*
 * A table written as it is made: its rows go out at each sv_table_flush()
 * and are dropped, so that a table of many groups is never held whole
 * (table.c).  The caller owns the struct, sets F, H, FP and ERR and zeroes
 * the rest; errors fill ERR.  The aligned table (SV_FORMAT_TABLE) needs
 * its column widths before its first line: the caller makes the table
 * twice, MEASURING the first time (nothing is written then).
 */
struct sv_table_stream {
    enum sv_format f;
    enum sv_header h;
    FILE *fp;
    struct sv_error *err;
    int measuring;
    int began;
    size_t written;              /* rows written (or measured) */
    size_t *width, ncols;        /* widest cell per column (table, xlsx) */
    struct sv_xlsx_stream *xlsx; /* the workbook being written */
};

/* Writes (or measures) the rows of T, the header first. */
enum sv_status sv_table_stream_rows(struct sv_table_stream *s,
                                    const struct sv_table *t);
/* Ends the output (JSON's bracket, the workbook); the header if no row. */
enum sv_status sv_table_stream_end(struct sv_table_stream *s,
                                   const struct sv_table *t);
/* Frees what S holds (a workbook not ended is thrown away). */
void sv_table_stream_release(struct sv_table_stream *s);
/* From now on sv_table_flush(T) writes T's rows to S (borrowed). */
void sv_table_attach(struct sv_table *t, struct sv_table_stream *s);
/* Writes and drops the rows of T when it is attached; else nothing. */
enum sv_status sv_table_flush(struct sv_table *t);

/* The workbook of a stream (xlsx-writer.c): header, rows, end. */
enum sv_status sv_xlsx_stream_begin(struct sv_table_stream *s,
                                    const struct sv_table *t);
enum sv_status sv_xlsx_stream_row(struct sv_table_stream *s,
                                  const struct sv_table *t, size_t r);
enum sv_status sv_xlsx_stream_end(struct sv_table_stream *s,
                                  const struct sv_table *t);
void sv_xlsx_stream_abandon(struct sv_table_stream *s);

/*
 * Byte length of a multi-select joiner at P (问卷星's ┋, |, ；, ; or 、),
 * 0 when there is none.
 */
size_t sv_joiner_at(const char *p);

/*
 * The codebook columns of the items of IMP, item I at [I] (as
 * sv_import_item(), without a call per item).  Borrowed: valid until IMP
 * is freed.
 */
const struct sv_column *const *sv_import_items(const struct sv_import *imp);

/* --- the raw path's fast lane (cube-lane.c) ----------------------------- */

/* sv_import_known_code() of an answer the importer has not seen yet. */
#define SV_CODE_UNSEEN (-3)

/* What the importer reads from one raw field of a questionnaire file. */
enum sv_use {
    SV_USE_NONE,    /* nothing (ignore, id, pii, an unknown column) */
    SV_USE_SITE,    /* the site */
    SV_USE_DATE,    /* the questionnaire date */
    SV_USE_KEY,     /* a group column (only its length is checked) */
    SV_USE_ANSWER,  /* a scored item's answer */
    SV_USE_COMMENT, /* a comment, not read (SV_IMPORT_NO_TEXT) */
    SV_USE_OTHER    /* anything else: a multi-select answer, a register */
};

/*
 * What IMP reads from raw field F of the file whose header it mapped;
 * *ITEM is the item of SV_USE_ANSWER and SV_USE_COMMENT.
 */
enum sv_use sv_import_field_use(const struct sv_import *imp, size_t f,
                                size_t *item);

/* Fields of the header IMP mapped (every row has as many). */
size_t sv_import_nfields(const struct sv_import *imp);

/* The items of roles complaint and repeat complaint, or -1. */
void sv_import_repeat_items(const struct sv_import *imp, long *complaint,
                            long *repeat);

/*
 * The level code (-1: no answer) that IMP gave before to answer V (LEN
 * bytes, as read) of scored item ITEM, or SV_CODE_UNSEEN when it does not
 * remember one: without normalising, looking up or remembering anything.
 */
int sv_import_known_code(const struct sv_import *imp, size_t item,
                         const char *v, size_t len);

/*
 * 1 with *D when IMP parsed date text V (LEN bytes, as read) before and
 * remembers it, else 0 (nothing is parsed).
 */
int sv_import_known_date(struct sv_import *imp, const char *v, size_t len,
                         struct sv_date *d);

/*
 * A line of the read block that the CSV reader would split by itself (no
 * quote, no CR but a CRLF's, no NUL byte, not blank, fields shorter than
 * its limits), found before it is read as a record.  Its UTF-8 is not
 * checked yet: the reader would reject the record when a field is not
 * sv_utf8_strict().  The fields are not trimmed or ended either: field K
 * is [S + A, S + END[K]) with A = 0 for the first and END[K-1] + 1 after,
 * and the reader would trim spaces and tabs at both ends.
 */
struct sv_plain_line {
    const char *s;
    const size_t *end;
    size_t nf;
    int high;           /* it holds bytes >= 0x80 */
    unsigned long line; /* its line number */
};

/* True when [S, S+N), without NUL bytes, is strict UTF-8 (RFC 3629). */
int sv_utf8_strict(const char *s, size_t n);

/*
 * 1 with *PL when the next record of SRC starts with such a line, which
 * stays unread until sv_source_take_plain(); 0 otherwise (always for
 * formats other than CSV): read it with sv_source_next().  PL is valid
 * until the next call on SRC.
 */
int sv_source_plain_line(struct sv_source *src, struct sv_plain_line *pl);

/* Reads the line of the last sv_source_plain_line() as done. */
void sv_source_take_plain(struct sv_source *src);

/* The CSV reader's side of both (csv-reader.c). */
int sv_csv_plain_line(struct sv_csv *c, struct sv_plain_line *pl);
void sv_csv_take_plain(struct sv_csv *c);

#endif
