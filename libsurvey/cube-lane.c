/*
 * cube-lane.c — the raw path's fast lane.
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
 * ordinary path's.
 */
#include <stdlib.h>
#include <string.h>

#include "cube-internal.h"

#define LANE_KEYS 4096   /* remembered sites (and months), direct-mapped */
#define LANE_KEY_LEN 48  /* longest site text remembered, in bytes */
#define LANE_WINDOW 1024 /* lines tried between looks at the hit rate */
#define LANE_PAUSE_MAX (1ul << 20)

/* A site's raw text (and month) and its group. */
struct lane_key {
    uint32_t len; /* 0: an empty slot */
    int32_t ym;   /* year * 12 + month when grouping by period, else 0 */
    long g;
    char text[LANE_KEY_LEN];
};

struct sv_lane {
    struct sv_import *imp;
    const long *map;      /* importer item -> cube item, or -1 */
    size_t nf;            /* fields of a row */
    unsigned char *use;   /* per raw field: enum sv_use */
    size_t *item;         /* per raw field: its importer item */
    int *codes;           /* per importer item: the line's level codes */
    size_t nitems;
    long complaint, repeat;
    size_t site;          /* the raw field of the site */
    int by_month;         /* the period is a dimension of the cube */
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
    int site = 0;

    for (size_t f = 0; f < l->nf; f++) {
        size_t item = 0;
        enum sv_use u = sv_import_field_use(l->imp, f, &item);
        if (u == SV_USE_OTHER)
            return 0;
        l->use[f] = (unsigned char)u;
        l->item[f] = item;
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
    free(l->item);
    free(l->codes);
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
    l->item = calloc(l->nf + 1, sizeof *l->item);
    l->codes = malloc((l->nitems + 1) * sizeof *l->codes);
    if (!l->use || !l->item || !l->codes || !plan(l)) {
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

void sv_lane_learn(struct sv_lane *l, struct sv_source *src,
                   const struct sv_record *rec, long g)
{
    const char *v = sv_source_field(src, l->site);
    size_t len = sv_source_field_len(src, l->site);
    int32_t ym = l->by_month && rec->has_date
                     ? rec->date.year * 12 + rec->date.month
                     : 0;
    struct lane_key *k;

    if (!len || len > LANE_KEY_LEN)
        return;
    k = key_slot(l, v, len, ym);
    k->len = (uint32_t)len;
    k->ym = ym;
    k->g = g;
    memcpy(k->text, v, len);
}

/* A space or tab at either end of a field, which the reader would trim. */
static int trims(const char *v, size_t len)
{
    return len && (v[0] == ' ' || v[0] == '\t' || v[len - 1] == ' ' ||
                   v[len - 1] == '\t');
}

/* True when field V (LEN bytes) is ASCII, or else strict UTF-8. */
static int valid_text(const char *v, size_t len)
{
    size_t i = 0;

    for (; i + 8 <= len; i += 8)
        if (load8(v + i) & 0x8080808080808080ULL)
            return sv_utf8_strict(v, len);
    for (; i < len; i++)
        if (v[i] & 0x80)
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

/*
 * The group of the plain line PL when the lane knows every field it uses:
 * its codes in l->codes; -1 otherwise.
 */
static long lookup(struct sv_lane *l, const struct sv_plain_line *pl)
{
    const char *site = NULL;
    size_t site_len = 0, a = 0;
    int32_t ym = 0;
    struct lane_key *k;

    for (size_t f = 0; f < pl->nf; a = pl->end[f++] + 1) {
        const char *v = pl->s + a;
        size_t len = pl->end[f] - a;
        int code;

        switch (l->use[f]) {
        case SV_USE_NONE:
        case SV_USE_COMMENT:
            /* the reader checks every field; known texts are valid */
            if (pl->high && !valid_text(v, len))
                return -1;
            continue;
        case SV_USE_ANSWER:
            code = sv_import_known_code(l->imp, l->item[f], v, len);
            if (code == SV_CODE_UNSEEN)
                return -1;
            l->codes[l->item[f]] = code;
            break;
        case SV_USE_SITE:
            site = v;
            site_len = len;
            break;
        case SV_USE_DATE:
            if (!month_of(l, v, len, &ym))
                return -1;
            break;
        case SV_USE_KEY:
            if (len > SV_VALUE_MAX || (pl->high && !valid_text(v, len)))
                return -1;
            break;
        default:
            return -1;
        }
        if (trims(v, len))
            return -1;
    }
    if (!site_len || site_len > LANE_KEY_LEN)
        return -1;
    k = key_slot(l, site, site_len, ym);
    if (k->len != site_len || k->ym != ym || memcmp(k->text, site, site_len))
        return -1;
    /* a repeat complaint needs a complaint (the importer's message) */
    if (l->repeat >= 0 && l->complaint >= 0 && l->codes[l->repeat] == 1 &&
        l->codes[l->complaint] != 1)
        return -1;
    return k->g;
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
    if (!sv_source_plain_line(src, &pl) || pl.nf != l->nf ||
        (g = lookup(l, &pl)) < 0)
        return 0;
    l->taken++;
    c->lane_rows++;
    sv_source_take_plain(src);
    for (size_t i = 0; i < l->nitems; i++)
        if (l->map[i] >= 0)
            c->ans[n++] = (struct answer){(size_t)l->map[i], l->codes[i]};
    *st = sv_cube_add_respondent(c, g, c->ans, n);
    if (*st == SV_ERR_LIMIT)
        sum_overflow(err, sv_source_name(src), pl.line);
    else if (*st)
        nomem(err);
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
