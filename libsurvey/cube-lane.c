/*
 * cube-lane.c — the fast lane of raw files and streams.
 *
 * Most lines of a raw questionnaire file are plain (struct sv_plain_line)
 * and say again what earlier lines said: the same offices, dates and
 * answer spellings.  Such a line is counted straight from the read block:
 * each field it uses is looked up among what the importer remembers of
 * earlier answers and dates and what the lane remembers of earlier sites
 * (their group in the cube), with no record split, no normalising and no
 * key joined.  A line with anything not remembered, or anything unusual,
 * goes down the ordinary path (sv_source_next, sv_import_row, raw_row in
 * cube.c), which reports its faults and remembers what it found; so a line
 * counts the same whichever path takes it, and every message is the
 * ordinary path's.  A normalised stream's lines go the same way: their
 * key fields are looked up as one joined text, their levels are digits.
 */
#include <stdlib.h>
#include <string.h>

#include "cube-internal.h"

#define LANE_KEYS 4096   /* remembered sites (and months), direct-mapped */
#define LANE_KEY_LEN 48  /* longest site text remembered, in bytes */
#define LANE_WINDOW 1024 /* lines tried between looks at the hit rate */
#define LANE_ANSWERS 16  /* answer texts per item, direct-mapped */
#define LANE_PAUSE_MAX (1ul << 20)

/* A site's raw text (and month), or a stream's joined keys, and its group. */
struct lane_key {
    uint32_t len; /* 0: an empty slot */
    int32_t ym;   /* year * 12 + month when grouping by period, else 0 */
    long g;
    char text[LANE_KEY_LEN];
};

/*
 * An answer text of up to 16 bytes (zero-padded in W) the lane found the
 * importer's code of: LEN + 1 (0: an empty slot) and the code.
 */
struct lane_answer {
    uint64_t w[2];
    uint32_t len;
    int32_t code;
};

/* What the lane does with a field of a raw file or a stream. */
enum lane_use {
    LANE_SKIP,   /* nothing, but check its UTF-8 */
    LANE_SITE,   /* raw: the site (the group, with the month) */
    LANE_DATE,   /* raw: the date */
    LANE_ANSWER, /* raw: a scored item's answer (arg: importer item) */
    LANE_KEY,    /* raw: a group column (its length is checked) */
    LANE_DIM,    /* stream: the value of dimension arg */
    LANE_LEVEL   /* stream: a level, of l->levels[arg] */
};

struct sv_lane {
    struct sv_import *imp; /* raw: the importer; NULL for a stream */
    const long *map;      /* raw: importer item -> cube item, or -1 */
    size_t nf;            /* fields of a row */
    unsigned char *use;   /* per field: enum lane_use */
    size_t *arg;          /* per field: its item, dimension or level */
    int *codes;           /* raw, per importer item: the line's codes */
    struct lane_answer *answers; /* raw: LANE_ANSWERS per importer item */
    size_t nitems;
    long complaint, repeat;
    int by_month;         /* raw: the period is a dimension of the cube */
    const struct scol *levels; /* stream: its item columns (borrowed) */
    size_t nlevels, ndims;
    size_t site;          /* raw: the site field */
    size_t date;          /* stream: the date column (a header repeats) */
    unsigned long tried, taken, pause, skip; /* the back-off */
    struct lane_key keys[LANE_KEYS];
};

/* True when the cube's group of a row follows from its site and month. */
static int site_and_period(const struct sv_cube *c, int *by_month)
{
    *by_month = 0;
    for (size_t d = 0; d < c->ndims; d++)
        if (strcmp(c->dims[d], "period") == 0)
            *by_month = 1;
        else if (strcmp(c->dims[d], "site") != 0)
            return 0;
    return 1;
}

/* Reads each raw field's use from IMP; 0 when the lane cannot take rows. */
static int plan(struct sv_lane *l)
{
    static const unsigned char lane_of[] = {
        [SV_USE_NONE] = LANE_SKIP,     [SV_USE_SITE] = LANE_SITE,
        [SV_USE_DATE] = LANE_DATE,     [SV_USE_KEY] = LANE_KEY,
        [SV_USE_ANSWER] = LANE_ANSWER, [SV_USE_COMMENT] = LANE_SKIP};
    int site = 0;

    for (size_t f = 0; f < l->nf; f++) {
        size_t item = 0;
        enum sv_use u = sv_import_field_use(l->imp, f, &item);
        if (u == SV_USE_OTHER)
            return 0;
        l->use[f] = lane_of[u];
        l->arg[f] = item;
        if (u == SV_USE_SITE) {
            l->site = f;
            site = 1;
        }
    }
    return site;
}

void sv_lane_free(struct sv_lane *l)
{
    if (!l)
        return;
    free(l->use);
    free(l->arg);
    free(l->codes);
    free(l->answers);
    free(l);
}

struct sv_lane *sv_lane_new(struct sv_cube *c, struct sv_import *imp,
                            const long *map)
{
    struct sv_lane *l;
    int by_month;

    if (c->lane_off || c->nmraw || !site_and_period(c, &by_month) ||
        sv_cube_reserve_answers(c, sv_import_nitems(imp) + 1) ||
        !(l = calloc(1, sizeof *l)))
        return NULL;
    l->imp = imp;
    l->map = map;
    l->nf = sv_import_nfields(imp);
    l->nitems = sv_import_nitems(imp);
    l->by_month = by_month;
    sv_import_repeat_items(imp, &l->complaint, &l->repeat);
    l->use = calloc(l->nf + 1, 1);
    l->arg = calloc(l->nf + 1, sizeof *l->arg);
    l->codes = malloc((l->nitems + 1) * sizeof *l->codes);
    l->answers = calloc((l->nitems + 1) * LANE_ANSWERS, sizeof *l->answers);
    if (!l->use || !l->arg || !l->codes || !l->answers || !plan(l)) {
        sv_lane_free(l);
        return NULL;
    }
    for (size_t i = 0; i < l->nitems; i++)
        l->codes[i] = -1; /* comments stay -1: a cube does not read them */
    return l;
}

static uint64_t load8(const char *p)
{
    uint64_t w;

    memcpy(&w, p, 8);
    return w;
}

/* A space or tab at either end of a field, which the reader would trim. */
static int trims(const char *v, size_t len)
{
    return len && (v[0] == ' ' || v[0] == '\t' || v[len - 1] == ' ' ||
                   v[len - 1] == '\t');
}

/* The slot of site text V (LEN bytes, 1 to LANE_KEY_LEN) in month YM. */
static struct lane_key *key_slot(struct sv_lane *l, const char *v, size_t len,
                                 int32_t ym)
{
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    uint64_t h;

    if (len >= 8)
        h = load8(v) ^ (load8(v + len / 2 - 4) * k) ^ (load8(v + len - 8) >> 7);
    else {
        h = 0;
        memcpy(&h, v, len);
    }
    h = (h ^ (uint64_t)len << 48 ^ (uint64_t)(uint32_t)ym << 20) * k;
    return &l->keys[(h >> 40) & (LANE_KEYS - 1)];
}

/* Remembers text V (LEN bytes) in month YM as group G's. */
static void remember(struct sv_lane *l, const char *v, size_t len, int32_t ym,
                     long g)
{
    struct lane_key *k;

    if (!len || len > LANE_KEY_LEN || trims(v, len))
        return;
    k = key_slot(l, v, len, ym);
    k->len = (uint32_t)len;
    k->ym = ym;
    k->g = g;
    memcpy(k->text, v, len);
}

/* The group remembered for text V (LEN bytes) in month YM, or -1. */
static long recall(struct sv_lane *l, const char *v, size_t len, int32_t ym)
{
    const struct lane_key *k;

    if (!len || len > LANE_KEY_LEN)
        return -1;
    k = key_slot(l, v, len, ym);
    return k->len == len && k->ym == ym && memcmp(k->text, v, len) == 0
               ? k->g
               : -1;
}

void sv_lane_learn(struct sv_lane *l, struct sv_source *src,
                   const struct sv_record *rec, long g)
{
    remember(l, sv_source_field(src, l->site),
             sv_source_field_len(src, l->site),
             l->by_month && rec->has_date
                 ? rec->date.year * 12 + rec->date.month
                 : 0,
             g);
}

/*
 * The key values VALS[0..l->ndims-1] of LENS bytes joined by KEY_SEP into
 * BUF (LANE_KEY_LEN bytes); their length, or 0 when they do not fit.
 */
static size_t join(const struct sv_lane *l, const char *const *vals,
                   const size_t *lens, char *buf)
{
    size_t n = 0;

    for (size_t d = 0; d < l->ndims; d++) {
        if (n + lens[d] + 1 > LANE_KEY_LEN)
            return 0;
        memcpy(buf + n, vals[d], lens[d]);
        n += lens[d];
        buf[n++] = KEY_SEP;
    }
    return n;
}

void sv_lane_learn_keys(struct sv_lane *l, const char *const *vals, long g)
{
    size_t lens[LANE_KEY_LEN], n;
    char buf[LANE_KEY_LEN];

    if (l->ndims > LANE_KEY_LEN)
        return;
    for (size_t d = 0; d < l->ndims; d++)
        lens[d] = strlen(vals[d]);
    if ((n = join(l, vals, lens, buf)))
        remember(l, buf, n, 0, g);
}

/* The first N (< 8) bytes at P, the rest zero: P + 8 is readable. */
static uint64_t load_first(const char *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return n ? load8(p) & (~0ULL >> (8 * (8 - n))) : 0;
#else
    uint64_t w = 0;

    memcpy(&w, p, n);
    return w;
#endif
}

/*
 * The importer's code of answer V (LEN bytes) of ITEM, or SV_CODE_UNSEEN
 * (also for a text the reader would trim): texts of up to 16 bytes are
 * found by two words in the lane's own table (reading up to 16 bytes from
 * V: inside the line or the read block's padding), filled from
 * sv_import_known_code().
 */
static int answer_code(struct sv_lane *l, size_t item, const char *v,
                       size_t len)
{
    uint64_t w0, w1;
    struct lane_answer *e;
    int code;

    if (len > 16)
        return trims(v, len) ? SV_CODE_UNSEEN
                             : sv_import_known_code(l->imp, item, v, len);
    w0 = len >= 8 ? load8(v) : load_first(v, len);
    w1 = len >= 16 ? load8(v + 8) : len > 8 ? load_first(v + 8, len - 8) : 0;
    e = &l->answers[item * LANE_ANSWERS +
                    (((w0 ^ w1 * 31 ^ len) * 0x9E3779B97F4A7C15ULL) >> 60)];
    if (e->len == len + 1 && e->w[0] == w0 && e->w[1] == w1)
        return e->code;
    if (trims(v, len))
        return SV_CODE_UNSEEN;
    if ((code = sv_import_known_code(l->imp, item, v, len)) != SV_CODE_UNSEEN)
        *e = (struct lane_answer){{w0, w1}, (uint32_t)len + 1, code};
    return code;
}

/*
 * True when field V (LEN bytes) of a plain line is ASCII, or else strict
 * UTF-8.  Eight bytes at a time: the last step (load_first) reads up to 7
 * bytes past the field, inside the line or the read block's padding
 * (csv-reader.c), and masks them off.
 */
static int valid_text(const char *v, size_t len)
{
    const uint64_t hi = 0x8080808080808080ULL;
    size_t i = 0;

    for (; i + 8 <= len; i += 8)
        if (load8(v + i) & hi)
            return sv_utf8_strict(v, len);
    if (load_first(v + i, len - i) & hi)
        return sv_utf8_strict(v, len);
    return 1;
}

/*
 * The month of date text V (LEN bytes): remembered by the importer, else
 * parsed as the importer would (every text of a parsed date is valid
 * UTF-8 and not blank); 0 when it is not a date here.
 */
static int month_of(struct sv_lane *l, const char *v, size_t len, int32_t *ym)
{
    struct sv_date d;
    char buf[64];

    if (!sv_import_known_date(l->imp, v, len, &d)) {
        if (!len || len >= sizeof buf)
            return 0;
        memcpy(buf, v, len);
        buf[len] = '\0';
        if (sv_date_parse(buf, &d) != SV_OK || !sv_utf8_strict(v, len))
            return 0;
    }
    *ym = l->by_month ? d.year * 12 + d.month : 0;
    return 1;
}

/* The level in stream cell V (LEN bytes) of level column LV, or -2. */
static int level_of(const struct scol *lv, const char *v, size_t len)
{
    int k = 0;

    if (!len)
        return -1;
    if (len > 3)
        return -2;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -2;
        k = k * 10 + v[i] - '0';
    }
    return k >= lv->lo && k <= lv->hi ? k : -2;
}

/*
 * The group of the plain line PL when the lane knows every field it uses,
 * with its answers in c->ans[0..*N-1]; -1 otherwise.
 */
static long lookup(struct sv_cube *c, struct sv_lane *l,
                   const struct sv_plain_line *pl, size_t *n)
{
    const char *site = NULL, *dimv[LANE_KEY_LEN];
    size_t site_len = 0, a = 0, k = 0, diml[LANE_KEY_LEN];
    int32_t ym = 0;
    char buf[LANE_KEY_LEN];

    for (size_t f = 0; f < pl->nf; a = pl->end[f++] + 1) {
        const char *v = pl->s + a;
        size_t len = pl->end[f] - a;
        int code;

        switch (l->use[f]) {
        case LANE_SKIP:
            /* the reader checks every field; known texts are valid */
            if (pl->high && !valid_text(v, len))
                return -1;
            continue;
        case LANE_ANSWER:
            /* known answers and sites never have a space to trim */
            code = answer_code(l, l->arg[f], v, len);
            if (code == SV_CODE_UNSEEN)
                return -1;
            l->codes[l->arg[f]] = code;
            continue;
        case LANE_SITE:
            site = v;
            site_len = len;
            continue;
        case LANE_DATE:
            if (!month_of(l, v, len, &ym))
                return -1;
            break;
        case LANE_KEY:
            if (len > SV_VALUE_MAX || (pl->high && !valid_text(v, len)))
                return -1;
            break;
        case LANE_DIM:
            dimv[l->arg[f]] = v;
            diml[l->arg[f]] = len;
            break;
        case LANE_LEVEL:
            if ((code = level_of(&l->levels[l->arg[f]], v, len)) < -1)
                return -1;
            c->ans[l->arg[f]] =
                (struct answer){l->levels[l->arg[f]].item, code};
            continue;
        default:
            return -1;
        }
        if (trims(v, len))
            return -1;
    }
    if (!l->imp) {
        /* a stream: its keys (known texts), not a header or a failure */
        size_t len = join(l, dimv, diml, buf), d = l->date;
        const char *v = pl->s + (d ? pl->end[d - 1] + 1 : 0);
        size_t fail = sizeof SV_STREAM_FAILED - 1;
        if ((pl->end[d] - (size_t)(v - pl->s) == 4 &&
             memcmp(v, "date", 4) == 0) ||
            (pl->end[0] >= fail && memcmp(pl->s, SV_STREAM_FAILED, fail) == 0))
            return -1;
        *n = l->nlevels;
        return len ? recall(l, buf, len, 0) : -1;
    }
    /* a repeat complaint needs a complaint (the importer's message) */
    if (l->repeat >= 0 && l->complaint >= 0 && l->codes[l->repeat] == 1 &&
        l->codes[l->complaint] != 1)
        return -1;
    for (size_t i = 0; i < l->nitems; i++)
        if (l->map[i] >= 0)
            c->ans[k++] = (struct answer){(size_t)l->map[i], l->codes[i]};
    *n = k;
    return recall(l, site, site_len, ym);
}

/* True when the lane is to try the next line (see sv_lane_count()). */
static int trying(struct sv_lane *l)
{
    if (l->skip) {
        l->skip--;
        return 0;
    }
    if (++l->tried == LANE_WINDOW) {
        int poor = l->taken < LANE_WINDOW / 2;
        l->pause = poor ? (l->pause ? l->pause * 2 : LANE_WINDOW) : 0;
        if (l->pause > LANE_PAUSE_MAX)
            l->pause = LANE_PAUSE_MAX;
        l->skip = l->pause;
        l->tried = l->taken = 0;
    }
    return 1;
}

/* Counts the answers of a line the lane took into group G. */
static enum sv_status take(struct sv_cube *c, struct sv_lane *l, long g,
                           size_t n, const char *file, unsigned long line,
                           struct sv_error *err)
{
    enum sv_status st = sv_cube_add_respondent(c, g, c->ans, n);

    l->taken++;
    c->lane_rows++;
    if (st == SV_ERR_LIMIT)
        sum_overflow(err, file, line);
    else if (st)
        nomem(err);
    return st;
}

/*
 * Counts the next line of SRC into C when it is plain and the lane knows
 * it: returns 1 with *ST (SV_OK, or an error in ERR); 0 when the line is
 * for the ordinary path.  While most lines miss (many more sites than the
 * lane remembers), it stops trying for a while, longer each time.
 */
int sv_lane_count(struct sv_cube *c, struct sv_lane *l, struct sv_source *src,
                  enum sv_status *st, struct sv_error *err)
{
    struct sv_plain_line pl;
    size_t n = 0;
    long g;

    if (!trying(l) || !sv_source_plain_line(src, &pl) || pl.nf != l->nf ||
        (g = lookup(c, l, &pl, &n)) < 0)
        return 0;
    sv_source_take_plain(src);
    *st = take(c, l, g, n, sv_source_name(src), pl.line, err);
    return 1;
}

struct sv_lane *sv_lane_new_stream(struct sv_cube *c, size_t nf,
                                   size_t date, const long *dim,
                                   const struct scol *levels, size_t nlevels)
{
    struct sv_lane *l;

    if (c->lane_off || c->keep_site || c->ndims > LANE_KEY_LEN ||
        sv_cube_reserve_answers(c, nlevels + 1) ||
        !(l = calloc(1, sizeof *l)))
        return NULL;
    l->nf = nf;
    l->ndims = c->ndims;
    l->date = date;
    l->levels = levels;
    l->nlevels = nlevels;
    l->use = calloc(nf + 1, 1);
    l->arg = calloc(nf + 1, sizeof *l->arg);
    if (!l->use || !l->arg || date >= nf) {
        sv_lane_free(l);
        return NULL;
    }
    for (size_t d = 0; d < c->ndims; d++) {
        l->use[dim[d]] = LANE_DIM;
        l->arg[dim[d]] = d;
    }
    for (size_t k = 0; k < nlevels; k++) {
        l->use[levels[k].col] = LANE_LEVEL;
        l->arg[levels[k].col] = k;
    }
    return l;
}

int sv_lane_count_stream(struct sv_cube *c, struct sv_lane *l,
                         struct sv_csv *csv, enum sv_status *st,
                         struct sv_error *err)
{
    struct sv_plain_line pl;
    size_t n = 0;
    long g;

    if (!trying(l) || !sv_csv_plain_line(csv, &pl) || pl.nf != l->nf ||
        (g = lookup(c, l, &pl, &n)) < 0)
        return 0;
    sv_csv_take_plain(csv);
    *st = take(c, l, g, n, sv_csv_name(csv), pl.line, err);
    return 1;
}

void sv_cube_use_lane(struct sv_cube *c, int on)
{
    c->lane_off = !on;
}

uint64_t sv_cube_lane_rows(const struct sv_cube *c)
{
    return c->lane_rows;
}
