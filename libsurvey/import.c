/*
 * import.c — validates raw questionnaire or complaint-register rows
 * against a codebook, producing records that the stream writer and the
 * cube counter consume.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MEMO_LEN 23      /* longest raw answer or date text remembered */
#define MEMO_ANSWERS 16  /* distinct raw answers remembered per item */
#define MEMO_SLOTS 64    /* per item: direct-mapped index of those answers */
#define MEMO_DATES 1024  /* date texts remembered (direct-mapped) */

/*
 * Raw cell texts repeat endlessly (满意, 较满意, blanks), so each item
 * remembers the level code of the exact bytes it has seen: normalising and
 * searching the aliases happens once per distinct spelling, not per cell.
 */
struct memo_answer {
    uint64_t key[2]; /* text_key() */
    unsigned char len;
    signed char code;
    char text[MEMO_LEN];
};

struct memo_date {
    uint64_t key[2];
    unsigned char len; /* 0: empty slot */
    char text[MEMO_LEN];
    struct sv_date date;
};

struct sv_import {
    const struct sv_codebook *cb;
    enum sv_import_flags flags;
    size_t *item_cb, nitems;   /* codebook index of each item */
    size_t *item_field;        /* raw field of each item in this file */
    const struct sv_column **item_col; /* codebook entry of each item */
    long complaint, repeat;    /* items of these roles, or -1 */
    size_t *group_cb, ngroups; /* codebook index of each group column */
    long role_cb[SV_ROLE_COUNT]; /* codebook index of one-off roles */
    long *cb_field;            /* codebook index -> raw field of this file */
    signed char *field_pii;    /* raw field -> 1 when pii */
    size_t nfields, field_cap;
    int *codes;
    const char **texts, **groups;
    struct memo_answer *memo; /* nitems x MEMO_ANSWERS */
    unsigned char *nmemo;     /* per item: entries in use */
    unsigned char *mslot;     /* nitems x MEMO_SLOTS: entry + 1, 0 = none */
    struct memo_date *dates;  /* MEMO_DATES */
    char *keys;               /* per codebook entry: a normalised key value */
    sv_error_cb on_error;     /* header errors before the last */
    void *ctx;
    char **mtext;             /* per item: a multi-select answer, normalised */
    size_t *mcap;
};

static int is_item_role(enum sv_role r, int is_register)
{
    if (is_register)
        return 0;
    return r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL ||
           r == SV_ROLE_NPS || r == SV_ROLE_COMPLAINT ||
           r == SV_ROLE_REPEAT_COMPLAINT || r == SV_ROLE_COMMENT ||
           r == SV_ROLE_MULTI;
}

static enum sv_status index_codebook(struct sv_import *imp)
{
    const struct sv_codebook *cb = imp->cb;
    size_t n = sv_codebook_count(cb);
    int reg = sv_codebook_is_register(cb);

    imp->item_cb = calloc(n, sizeof *imp->item_cb);
    imp->item_field = calloc(n, sizeof *imp->item_field);
    imp->item_col = calloc(n, sizeof *imp->item_col);
    imp->group_cb = calloc(n, sizeof *imp->group_cb);
    imp->cb_field = calloc(n, sizeof *imp->cb_field);
    imp->codes = calloc(n, sizeof *imp->codes);
    imp->texts = calloc(n, sizeof *imp->texts);
    imp->groups = calloc(n, sizeof *imp->groups);
    imp->memo = calloc(n * MEMO_ANSWERS, sizeof *imp->memo);
    imp->nmemo = calloc(n, sizeof *imp->nmemo);
    imp->mslot = calloc(n * MEMO_SLOTS, sizeof *imp->mslot);
    imp->dates = calloc(MEMO_DATES, sizeof *imp->dates);
    imp->mtext = calloc(n, sizeof *imp->mtext);
    imp->mcap = calloc(n, sizeof *imp->mcap);
    if (!imp->mtext || !imp->mcap || !imp->item_field)
        return SV_ERR_NOMEM;
    if (!imp->item_cb || !imp->item_col || !imp->group_cb || !imp->cb_field || !imp->codes ||
        !imp->texts || !imp->groups || !imp->memo || !imp->nmemo ||
        !imp->mslot || !imp->dates)
        return SV_ERR_NOMEM;
    for (size_t r = 0; r < SV_ROLE_COUNT; r++)
        imp->role_cb[r] = -1;
    imp->complaint = imp->repeat = -1;
    for (size_t i = 0; i < n; i++) {
        enum sv_role r = sv_codebook_entry(cb, i)->role;
        if (is_item_role(r, reg)) {
            if (r == SV_ROLE_COMPLAINT)
                imp->complaint = (long)imp->nitems;
            else if (r == SV_ROLE_REPEAT_COMPLAINT)
                imp->repeat = (long)imp->nitems;
            imp->item_col[imp->nitems] = sv_codebook_entry(cb, i);
            imp->item_cb[imp->nitems++] = i;
        } else if (r == SV_ROLE_GROUP)
            imp->group_cb[imp->ngroups++] = i;
        else
            imp->role_cb[r] = (long)i;
    }
    return SV_OK;
}

struct sv_import *sv_import_new(const struct sv_codebook *cb,
                                enum sv_import_flags flags,
                                struct sv_error *err)
{
    struct sv_import *imp = calloc(1, sizeof *imp);

    if (!imp || (imp->cb = cb, imp->flags = flags, index_codebook(imp)) ||
        !(imp->keys = malloc((sv_codebook_count(cb) + 1) * (SV_VALUE_MAX + 1)))) {
        sv_import_free(imp);
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    return imp;
}

void sv_import_free(struct sv_import *imp)
{
    if (!imp)
        return;
    free(imp->item_cb);
    free(imp->item_field);
    free(imp->item_col);
    free(imp->group_cb);
    free(imp->cb_field);
    free(imp->field_pii);
    free(imp->codes);
    free(imp->texts);
    free(imp->groups);
    free(imp->memo);
    free(imp->nmemo);
    free(imp->mslot);
    free(imp->dates);
    free(imp->keys);
    for (size_t i = 0; imp->mtext && i < sv_codebook_count(imp->cb); i++)
        free(imp->mtext[i]);
    free(imp->mtext);
    free(imp->mcap);
    free(imp);
}

int sv_import_is_register(const struct sv_import *imp)
{
    return sv_codebook_is_register(imp->cb);
}

size_t sv_import_nitems(const struct sv_import *imp)
{
    return imp->nitems;
}

const struct sv_column *sv_import_item(const struct sv_import *imp, size_t i)
{
    return i < imp->nitems ? sv_codebook_entry(imp->cb, imp->item_cb[i])
                           : NULL;
}

const struct sv_column *const *sv_import_items(const struct sv_import *imp)
{
    return imp->item_col;
}

size_t sv_import_ngroups(const struct sv_import *imp)
{
    return imp->ngroups;
}

const char *sv_import_group_label(const struct sv_import *imp, size_t j)
{
    return j < imp->ngroups ? sv_codebook_entry(imp->cb, imp->group_cb[j])->label
                            : "";
}

int sv_import_field_is_pii(const struct sv_import *imp, size_t i)
{
    return i < imp->nfields && imp->field_pii[i];
}

static enum sv_status map_field(struct sv_import *imp, struct sv_source *src,
                                size_t i, struct sv_error *err)
{
    const char *h = sv_source_field(src, i);
    const struct sv_column *col = sv_codebook_find(imp->cb, h);
    size_t ci;

    for (size_t j = 0; j < i; j++)
        if (strcmp(h, sv_source_field(src, j)) == 0)
            return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                                sv_source_line(src), h,
                                "duplicate header '%s' (fields %zu and %zu)",
                                h, j + 1, i + 1);
    imp->field_pii[i] = col && col->role == SV_ROLE_PII;
    if (!col) {
        if (imp->flags & SV_IMPORT_IGNORE_UNKNOWN)
            return SV_OK;
        sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                     sv_source_line(src), h, "not in the codebook");
        sv_error_hint(err, SV_HINT_UNKNOWN_COLUMN);
        return SV_ERR_DATA;
    }
    ci = (size_t)(col - sv_codebook_entry(imp->cb, 0));
    imp->cb_field[ci] = (long)i;
    return SV_OK;
}

void sv_import_set_error_cb(struct sv_import *imp, sv_error_cb on_error,
                            void *ctx)
{
    imp->on_error = on_error;
    imp->ctx = ctx;
}

/* Each item's raw field, once the header is mapped (every column found). */
static void map_items(struct sv_import *imp)
{
    for (size_t i = 0; i < imp->nitems; i++)
        imp->item_field[i] = (size_t)imp->cb_field[imp->item_cb[i]];
}

/* The raw field of codebook entry CI in this file, or -1. */
static long field_of(const struct sv_import *imp, long ci)
{
    return ci < 0 ? -1 : imp->cb_field[ci];
}

enum sv_use sv_import_field_use(const struct sv_import *imp, size_t f,
                                size_t *item)
{
    if (sv_codebook_is_register(imp->cb))
        return SV_USE_OTHER;
    if (field_of(imp, imp->role_cb[SV_ROLE_SITE]) == (long)f)
        return SV_USE_SITE;
    if (field_of(imp, imp->role_cb[SV_ROLE_DATE]) == (long)f)
        return SV_USE_DATE;
    for (size_t j = 0; j < imp->ngroups; j++)
        if (field_of(imp, (long)imp->group_cb[j]) == (long)f)
            return SV_USE_KEY;
    for (size_t i = 0; i < imp->nitems; i++) {
        if (imp->item_field[i] != f)
            continue;
        *item = i;
        if (imp->item_col[i]->role == SV_ROLE_MULTI)
            return SV_USE_OTHER;
        if (imp->item_col[i]->role != SV_ROLE_COMMENT)
            return SV_USE_ANSWER;
        return imp->flags & SV_IMPORT_NO_TEXT ? SV_USE_COMMENT : SV_USE_OTHER;
    }
    return SV_USE_NONE;
}

size_t sv_import_nfields(const struct sv_import *imp)
{
    return imp->nfields;
}

void sv_import_repeat_items(const struct sv_import *imp, long *complaint,
                            long *repeat)
{
    *complaint = imp->complaint;
    *repeat = imp->repeat;
}

/* Header errors: all of them through the callback, the last in ERR. */
struct header_errors {
    const struct sv_import *imp;
    struct sv_error last;
    size_t n;
};

static int header_note(struct header_errors *h, const struct sv_error *e)
{
    if (h->n++ && h->imp->on_error)
        h->imp->on_error(h->imp->ctx, &h->last);
    h->last = *e;
    return h->imp->on_error != NULL;
}

static enum sv_status map_header(struct sv_import *imp, struct sv_source *src,
                                 size_t nf, struct sv_error *err)
{
    struct header_errors h = {.imp = imp};
    size_t n = sv_codebook_count(imp->cb);
    struct sv_error e;

    for (size_t i = 0; i < nf; i++)
        if (map_field(imp, src, i, &e) && !header_note(&h, &e))
            break;
    for (size_t i = 0; i < n && (!h.n || imp->on_error); i++)
        if (imp->cb_field[i] < 0) {
            const char *c = sv_codebook_entry(imp->cb, i)->column;
            sv_error_set(&e, SV_ERR_DATA, sv_source_name(src),
                         sv_source_line(src),
                         c, "codebook column '%s' is missing from the header",
                         c);
            if (!header_note(&h, &e))
                break;
        }
    if (!h.n)
        return SV_OK;
    if (err)
        *err = h.last;
    return h.last.code;
}

enum sv_status sv_import_header(struct sv_import *imp, struct sv_source *src,
                                struct sv_error *err)
{
    size_t nf, n = sv_codebook_count(imp->cb);
    enum sv_status st = sv_source_next(src, &nf, err);

    if (st)
        return st;
    if (nf == 0)
        return sv_error_set(err, SV_ERR_DATA, sv_source_name(src), 0, NULL,
                            "empty input (no header line)");
    if (nf > imp->field_cap) {
        signed char *p = realloc(imp->field_pii, nf);
        if (!p)
            return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                                "out of memory");
        imp->field_pii = p;
        imp->field_cap = nf;
    }
    imp->nfields = nf;
    for (size_t i = 0; i < n; i++)
        imp->cb_field[i] = -1;
    if ((st = map_header(imp, src, nf, err)))
        return st;
    map_items(imp);
    return SV_OK;
}

enum sv_status sv_import_header_like(struct sv_import *imp,
                                     const struct sv_import *like,
                                     struct sv_error *err)
{
    size_t n = sv_codebook_count(imp->cb);
    signed char *p = malloc(like->nfields ? like->nfields : 1);

    if (!p || imp->cb != like->cb) {
        free(p);
        return sv_error_set(err, p ? SV_ERR_USAGE : SV_ERR_NOMEM, NULL, 0,
                            NULL, p ? "importers of different codebooks"
                                    : "out of memory");
    }
    memcpy(p, like->field_pii, like->nfields);
    free(imp->field_pii);
    imp->field_pii = p;
    imp->field_cap = imp->nfields = like->nfields;
    memcpy(imp->cb_field, like->cb_field, n * sizeof *imp->cb_field);
    map_items(imp);
    return SV_OK;
}

/*
 * The raw text of codebook entry CI in the current row, which has the
 * header's number of fields (sv_import_row checks it first).
 */
static const char *value(const struct sv_import *imp, struct sv_source *src,
                         long ci)
{
    return ci < 0 ? "" : src->field[imp->cb_field[ci]];
}

/* Its length in bytes. */
static size_t value_len(const struct sv_import *imp, struct sv_source *src,
                        long ci)
{
    return ci < 0 ? 0 : src->len[imp->cb_field[ci]];
}

static enum sv_status row_error(const struct sv_import *imp,
                                struct sv_source *src, long ci,
                                struct sv_error *err, const char *what,
                                const char *found)
{
    const char *label = ci < 0 ? NULL : sv_codebook_entry(imp->cb, (size_t)ci)->label;

    return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                        sv_source_line(src),
                        label, "%s \"%s\"", what, found);
}

static int blank(const char *s)
{
    unsigned char b = (unsigned char)*s;
    char buf[8];

    /* only these bytes can start a space that normalising trims away */
    if (b && b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != 0xE3 &&
        b != 0xC2)
        return 0;
    return sv_normalize_label(s, strlen(s), buf, sizeof buf) == 0;
}

/* A comment that says nothing: blank, or 问卷星's (空), N/A, - … */
static int empty_comment(const char *s, size_t len)
{
    char buf[32];

    if (blank(s))
        return 1;
    if (len >= sizeof buf)
        return 0;
    return sv_normalize_label(s, len, buf, sizeof buf) != (size_t)-1 &&
           sv_is_no_answer(buf);
}

/* A key-like value (site, group, household, category): bounded length. */
/*
 * Byte length of an invisible character at S that would make two keys
 * look alike but differ (BOM U+FEFF, zero-width space, non-joiner and
 * joiner U+200B-U+200D, word joiner U+2060), or 0.
 */
static size_t invisible(const unsigned char *s)
{
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3;
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x8B && s[2] <= 0x8D)
        return 3;
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0xA0)
        return 3;
    return 0;
}

/* True when the 8 bytes W hold the byte B. */
static int has_byte(uint64_t w, unsigned char b)
{
    uint64_t x = w ^ (0x0101010101010101ULL * b);

    return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
}

/*
 * True when the key value [S, S+LEN) needs no normal_key(): no space at
 * either end, and none of the bytes that start an invisible character or
 * a no-break or ideographic space (C2, E2, E3, EF), looked for eight bytes
 * at a time.
 */
static int plain_key(const unsigned char *s, size_t len)
{
    size_t i = 0;

    if (len && (s[0] == ' ' || s[len - 1] == ' '))
        return 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (has_byte(w, 0xC2) | has_byte(w, 0xE2) | has_byte(w, 0xE3) |
            has_byte(w, 0xEF))
            return 0;
    }
    for (; i < len; i++)
        if (s[i] == 0xEF || s[i] == 0xE2 || s[i] == 0xC2 || s[i] == 0xE3)
            return 0;
    return 1;
}

/*
 * A key value as one office, building or household: invisible characters
 * dropped, the no-break and the ideographic space read as a space, spaces
 * at both ends trimmed (issue 16).  V is returned when it needs none of
 * this; otherwise the key is written to BUF (SV_VALUE_MAX + 1 bytes; V is
 * no longer than SV_VALUE_MAX).
 */
static const char *normal_key(const char *v, size_t len, char *buf)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t o = 0, k;

    if (plain_key(s, len))
        return v;
    for (size_t i = 0; i < len;) {
        if ((k = invisible(s + i))) {
            i += k;
            continue;
        }
        if ((s[i] == 0xC2 && s[i + 1] == 0xA0)
            || (s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)) {
            i += s[i] == 0xC2 ? 2 : 3;
            buf[o++] = ' ';
            continue;
        }
        buf[o++] = (char)s[i++];
    }
    while (o && buf[o - 1] == ' ')
        o--;
    buf[o] = '\0';
    k = strspn(buf, " ");
    return buf + k;
}

static enum sv_status key_value(struct sv_import *imp,
                                struct sv_source *src, long ci, int required,
                                const char **out, struct sv_error *err)
{
    const char *v = value(imp, src, ci);

    *out = v;
    if (ci < 0)
        return SV_OK;
    if (value_len(imp, src, ci) > SV_VALUE_MAX)
        return sv_error_set(err, SV_ERR_LIMIT, sv_source_name(src),
                            sv_source_line(src),
                            sv_codebook_entry(imp->cb, (size_t)ci)->label,
                            "value longer than %d bytes", SV_VALUE_MAX);
    *out = v = normal_key(v, value_len(imp, src, ci),
                          imp->keys + (size_t)ci * (SV_VALUE_MAX + 1));
    /* a fixed rejects file gives back the office it was written from */
    *out = v = sv_formula_unguard(v);
    if (required && blank(v))
        return row_error(imp, src, ci, err, "missing value", v);
    return SV_OK;
}

/*
 * Two words that, with the length, tell texts of up to 12 bytes apart
 * exactly (four CJK characters): their first, middle and last 4 bytes, or
 * every byte of a shorter text.  Longer texts need a memcmp() as well.
 */
static inline void text_key(const char *v, size_t len, uint64_t key[2])
{
    uint32_t x, y, z;

    key[1] = 0;
    if (len >= 4) {
        memcpy(&x, v, 4);
        memcpy(&y, v + len / 2 - 2, 4);
        memcpy(&z, v + len - 4, 4);
        key[0] = x | (uint64_t)z << 32;
        key[1] = y;
    } else {
        key[0] = len ? (unsigned char)v[0] |
                           (uint64_t)(unsigned char)v[len / 2] << 8 |
                           (uint64_t)(unsigned char)v[len - 1] << 16
                     : 0;
    }
}

/* True when the remembered text (KEY, MLEN, MTEXT) is V (LEN bytes). */
static int same_text(const uint64_t mkey[2], size_t mlen, const char *mtext,
                     const uint64_t key[2], const char *v, size_t len)
{
    return mlen == len && mkey[0] == key[0] && mkey[1] == key[1] &&
           (len <= 12 || memcmp(mtext, v, len) == 0);
}

/* The memo slot of date text V (LEN bytes, at most MEMO_LEN), and its key. */
static struct memo_date *date_slot(struct sv_import *imp, const char *v,
                                   size_t len, uint64_t key[2])
{
    uint64_t h;

    text_key(v, len, key);
    h = (key[0] * 0x9E3779B97F4A7C15ULL) ^ (key[1] + len);
    h ^= h >> 29;
    return &imp->dates[(h * 0x9E3779B97F4A7C15ULL) >> 54 & (MEMO_DATES - 1)];
}

/* sv_date_parse() of V (LEN bytes), remembered for short texts. */
static enum sv_status parse_date(struct sv_import *imp, const char *v,
                                 size_t len, struct sv_date *d)
{
    uint64_t key[2];
    struct memo_date *m;

    if (len > MEMO_LEN)
        return sv_date_parse(v, d);
    m = date_slot(imp, v, len, key);
    if (same_text(m->key, m->len, m->text, key, v, len)) {
        *d = m->date;
        return SV_OK;
    }
    if (sv_date_parse(v, d) != SV_OK)
        return SV_ERR_DATA;
    m->len = (unsigned char)len;
    memcpy(m->key, key, sizeof key);
    memcpy(m->text, v, len);
    m->date = *d;
    return SV_OK;
}

int sv_import_known_date(struct sv_import *imp, const char *v, size_t len,
                         struct sv_date *d)
{
    uint64_t key[2];
    const struct memo_date *m;

    if (len > MEMO_LEN || !len)
        return 0;
    m = date_slot(imp, v, len, key);
    if (!same_text(m->key, m->len, m->text, key, v, len))
        return 0;
    *d = m->date;
    return 1;
}

static enum sv_status date_value(struct sv_import *imp, struct sv_source *src,
                                 long ci, int required, int *has,
                                 struct sv_date *d, struct sv_error *err)
{
    const char *v = value(imp, src, ci);

    *has = 0;
    if (ci < 0 || (!required && blank(v)))
        return SV_OK;
    if (blank(v))
        return row_error(imp, src, ci, err, "missing date", v);
    if (parse_date(imp, v, value_len(imp, src, ci), d) != SV_OK &&
        sv_source_serial_date(src, v, d) != 0)
        return row_error(imp, src, ci, err, "unparseable date", v);
    *has = 1;
    return SV_OK;
}

/* The slot of a remembered answer's text_key() in its item's index. */
static size_t memo_slot(const uint64_t key[2], size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ULL;

    return (size_t)(((key[0] ^ (key[1] + len) * k) * k) >> 58);
}

/* The remembered code of answer V (LEN bytes, KEY) of ITEM, or SV_CODE_UNSEEN. */
static int remembered(const struct sv_import *imp, size_t item, const char *v,
                      size_t len, const uint64_t key[2])
{
    const struct memo_answer *m = imp->memo + item * MEMO_ANSWERS;
    size_t n = imp->nmemo[item];
    long hit = -1;

    /* no branch on which entry matches: the answers come in random order */
    for (size_t i = 0; i < n; i++) {
        int eq = (m[i].len == len) & (m[i].key[0] == key[0]) &
                 (m[i].key[1] == key[1]);
        hit = eq ? (long)i : hit;
    }
    if (hit >= 0 && (len <= 12 || memcmp(m[hit].text, v, len) == 0))
        return m[hit].code;
    for (size_t i = 0; len > 12 && i < n; i++)
        if (same_text(m[i].key, m[i].len, m[i].text, key, v, len))
            return m[i].code;
    return SV_CODE_UNSEEN;
}

/*
 * answer_code() of an answer not found through its slot: the scan of the
 * remembered answers, else sv_scale_code() (remembered when there is room).
 */
static int answer_code_scan(struct sv_import *imp, size_t item,
                            const struct sv_scale *s, const char *v,
                            size_t len, const uint64_t key[2],
                            unsigned char *slot)
{
    struct memo_answer *m = imp->memo + item * MEMO_ANSWERS;
    size_t n = imp->nmemo[item];
    int code = remembered(imp, item, v, len, key);

    if (code != SV_CODE_UNSEEN)
        return code;
    code = sv_scale_code(s, v, len);
    if (code >= -1 && code <= 127 && len <= MEMO_LEN && n < MEMO_ANSWERS) {
        memcpy(m[n].key, key, sizeof m[n].key);
        m[n].len = (unsigned char)len;
        m[n].code = (signed char)code;
        memcpy(m[n].text, v, len);
        imp->nmemo[item]++;
        if (!*slot)
            *slot = (unsigned char)(n + 1);
    }
    return code;
}

/* The remembered answer of ITEM behind KEY's slot, or NULL. */
static inline const struct memo_answer *
slot_answer(const struct sv_import *imp, size_t item, const char *v,
            size_t len, const uint64_t key[2], unsigned char slot)
{
    const struct memo_answer *e;

    if (!slot)
        return NULL;
    e = &imp->memo[item * MEMO_ANSWERS + slot - 1];
    return e->len == len && e->key[0] == key[0] && e->key[1] == key[1] &&
                   (len <= 12 || memcmp(e->text, v, len) == 0)
               ? e
               : NULL;
}

/*
 * sv_scale_code() of raw answer V (LEN bytes) of item ITEM, remembered.
 * Kept inline in the row loop (GCC stopped inlining it by itself once
 * sv_import_known_code() shared its parts: 5 % more instructions).
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int answer_code(struct sv_import *imp, size_t item,
                              const struct sv_scale *s, const char *v,
                              size_t len)
{
    uint64_t key[2];
    unsigned char *slot;
    const struct memo_answer *e;

    text_key(v, len, key);
    slot = imp->mslot + item * MEMO_SLOTS + memo_slot(key, len);
    if ((e = slot_answer(imp, item, v, len, key, *slot)))
        return e->code;
    return answer_code_scan(imp, item, s, v, len, key, slot);
}

int sv_import_known_code(const struct sv_import *imp, size_t item,
                         const char *v, size_t len)
{
    uint64_t key[2];
    const struct memo_answer *e;

    text_key(v, len, key);
    e = slot_answer(imp, item, v, len, key,
                    imp->mslot[item * MEMO_SLOTS + memo_slot(key, len)]);
    return e ? e->code : remembered(imp, item, v, len, key);
}

size_t sv_joiner_at(const char *p)
{
    static const char *const joiners[] = {"\xE2\x94\x8B", "|",
                                          "\xEF\xBC\x9B", ";",
                                          "\xE3\x80\x81"};

    for (size_t j = 0; j < sizeof joiners / sizeof *joiners; j++)
        if (strncmp(p, joiners[j], strlen(joiners[j])) == 0)
            return strlen(joiners[j]);
    return 0;
}

/* True when the LEN bytes at OPT are one of the options of LIST (a|b|c). */
static int option_in(const char *list, const char *opt, size_t len)
{
    for (const char *p = list; p; p = strchr(p, '|')) {
        p += *p == '|';
        if (strncmp(p, opt, len) == 0 && (p[len] == '|' || !p[len]))
            return 1;
    }
    return 0;
}

/* True when option OPT (LEN bytes) says nothing: 问卷星's (空), (跳过) … */
static int no_option(const char *opt, size_t len)
{
    char buf[32];

    return len < sizeof buf &&
           sv_normalize_label(opt, len, buf, sizeof buf) != (size_t)-1 &&
           sv_is_no_answer(buf);
}

/*
 * Appends option OPT (LEN bytes, trimmed) to OUT once; 1 when it is not
 * among the allowed OPTIONS (NULL: any), 2 when it is a name the cube
 * keeps for its own rows.  An option that says nothing ((空)) is left out.
 */
static int add_option(char *out, size_t *n, const char *options,
                      const char *opt, size_t len)
{
    while (len && (*opt == ' ' || *opt == '\t')) {
        opt++;
        len--;
    }
    while (len && (opt[len - 1] == ' ' || opt[len - 1] == '\t'))
        len--;
    if (!len || no_option(opt, len) || (*n && option_in(out, opt, len)))
        return 0;
    if (sv_cube_reserved_option(opt, len))
        return 2;
    if (options && !option_in(options, opt, len))
        return 1;
    if (*n)
        out[(*n)++] = '|';
    memcpy(out + *n, opt, len);
    *n += len;
    out[*n] = '\0';
    return 0;
}

/*
 * A multi-select answer: options split at any joiner, trimmed, each once,
 * joined by "|" (README); no answer leaves the item's text NULL.
 */
static enum sv_status multi_answer(struct sv_import *imp,
                                   struct sv_source *src, size_t item,
                                   const char *v, size_t len,
                                   struct sv_error *err)
{
    const struct sv_column *col = imp->item_col[item];
    size_t n = 0, start = 0;
    char *out;

    imp->codes[item] = -1;
    if (empty_comment(v, len))
        return SV_OK;
    if (len + 1 > imp->mcap[item]) {
        if (!(out = realloc(imp->mtext[item], len + 1)))
            return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                                "out of memory");
        imp->mtext[item] = out;
        imp->mcap[item] = len + 1;
    }
    out = imp->mtext[item];
    out[0] = '\0';
    for (size_t i = 0; i <= len;) {
        size_t j = i < len ? sv_joiner_at(v + i) : 1;
        if (!j) {
            i++;
            continue;
        }
        int bad = add_option(out, &n, col->options, v + start, i - start);
        if (bad == 1)
            return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                                sv_source_line(src), col->label,
                                "unknown option \"%.*s\" (options %s)",
                                (int)(i - start), v + start, col->options);
        if (bad)
            return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                                sv_source_line(src), col->label,
                                "option \"%.*s\" is a name the cube keeps "
                                "for its own rows", (int)(i - start),
                                v + start);
        i += j;
        start = i;
    }
    if (n) /* counted in cubes too */
        imp->texts[item] = out;
    return SV_OK;
}

static enum sv_status answer(struct sv_import *imp, struct sv_source *src,
                             size_t item, struct sv_error *err)
{
    const struct sv_column *col = imp->item_col[item];
    size_t f = imp->item_field[item];
    const char *v = src->field[f];
    size_t len = src->len[f];

    imp->texts[item] = NULL;
    if (col->role == SV_ROLE_MULTI)
        return multi_answer(imp, src, item, v, len, err);
    if (col->role == SV_ROLE_COMMENT) {
        imp->codes[item] = -1;
        if (!(imp->flags & SV_IMPORT_NO_TEXT))
            imp->texts[item] = empty_comment(v, len) ? NULL : v;
        return SV_OK;
    }
    imp->codes[item] = answer_code(imp, item, col->scale, v, len);
    if (imp->codes[item] != -2)
        return SV_OK;
    return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                        sv_source_line(src),
                        col->label, "unknown answer \"%s\" (scale %s)", v,
                        sv_scale_name(col->scale));
}

/* A repeat complaint needs a complaint in the same questionnaire. */
static enum sv_status check_repeat(struct sv_import *imp, struct sv_source *src,
                                   struct sv_error *err)
{
    long c = imp->complaint, r = imp->repeat;

    if (c < 0 || r < 0 || imp->codes[r] != 1 || imp->codes[c] == 1)
        return SV_OK;
    return row_error(imp, src, (long)imp->item_cb[r], err,
                     "repeat complaint without a complaint: answer",
                     value(imp, src, (long)imp->item_cb[r]));
}

static enum sv_status register_row(struct sv_import *imp, struct sv_source *src,
                                   struct sv_record *rec, struct sv_error *err)
{
    long u = imp->role_cb[SV_ROLE_URGENCY];
    enum sv_status st;

    if ((st = date_value(imp, src, imp->role_cb[SV_ROLE_RECEIVED], 1,
                         &rec->has_date, &rec->date, err)) ||
        (st = date_value(imp, src, imp->role_cb[SV_ROLE_CLOSED], 0,
                         &rec->has_closed, &rec->closed, err)) ||
        (st = key_value(imp, src, imp->role_cb[SV_ROLE_HOUSEHOLD], 1,
                        &rec->household, err)) ||
        (st = key_value(imp, src, imp->role_cb[SV_ROLE_CATEGORY], 1,
                        &rec->category, err)))
        return st;
    if (rec->has_closed &&
        sv_date_seconds(&rec->closed) < sv_date_seconds(&rec->date))
        return row_error(imp, src, imp->role_cb[SV_ROLE_CLOSED], err,
                         "closed before received:", value(imp, src,
                                                          imp->role_cb[SV_ROLE_CLOSED]));
    rec->urgent = -1;
    if (u >= 0) {
        const struct sv_column *col = sv_codebook_entry(imp->cb, (size_t)u);
        const char *v = value(imp, src, u);
        int code = sv_scale_code(col->scale, v, strlen(v));
        if (code == -2)
            return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                                sv_source_line(src), col->label,
                                "unknown answer \"%s\" (scale %s)", v,
                                sv_scale_name(col->scale));
        if (code >= 0)
            rec->urgent = sv_scale_kind(col->scale) == SV_SCALE_YESNO
                              ? code == 1
                              : sv_scale_sat(col->scale, code);
    }
    rec->status = value(imp, src, imp->role_cb[SV_ROLE_STATUS]);
    rec->text = value(imp, src, imp->role_cb[SV_ROLE_COMMENT]);
    if (empty_comment(rec->text, strlen(rec->text)))
        rec->text = "";
    return SV_OK;
}

enum sv_status sv_import_row(struct sv_import *imp, struct sv_source *src,
                             struct sv_record *rec, struct sv_error *err)
{
    size_t nf;
    enum sv_status st;

    nf = sv_source_nfields(src);
    if (nf != imp->nfields)
        return sv_error_set(err, SV_ERR_DATA, sv_source_name(src),
                            sv_source_line(src), NULL,
                            "expected %zu fields as in the header, found %zu",
                            imp->nfields, nf);
    memset(rec, 0, sizeof *rec);
    rec->line = sv_source_line(src);
    if ((st = key_value(imp, src, imp->role_cb[SV_ROLE_SITE], 1, &rec->site,
                        err)))
        return st;
    for (size_t j = 0; j < imp->ngroups; j++)
        if ((st = key_value(imp, src, (long)imp->group_cb[j], 0,
                            &imp->groups[j], err)))
            return st;
    rec->groups = imp->groups;
    rec->ngroups = imp->ngroups;
    if (sv_codebook_is_register(imp->cb))
        return register_row(imp, src, rec, err);
    if ((st = date_value(imp, src, imp->role_cb[SV_ROLE_DATE], 1,
                         &rec->has_date, &rec->date, err)))
        return st;
    for (size_t i = 0; i < imp->nitems; i++) {
        const struct sv_column *col = imp->item_col[i];
        size_t f = imp->item_field[i];
        /* a scored answer found among those remembered, in line */
        if (col->role != SV_ROLE_MULTI && col->role != SV_ROLE_COMMENT &&
            (imp->codes[i] = answer_code(imp, i, col->scale, src->field[f],
                                         src->len[f])) != -2) {
            imp->texts[i] = NULL;
            continue;
        }
        if ((st = answer(imp, src, i, err)))
            return st;
    }
    rec->codes = imp->codes;
    rec->texts = imp->texts;
    rec->nitems = imp->nitems;
    return check_repeat(imp, src, err);
}
