/*
 * csv-reader.c — streaming CSV input over libcsv, in constant memory.
 *
 * Input is read in large blocks; each physical line (or the part of a long
 * line that is in the block) is handed to csv_parse() on its own, so the
 * reader always knows the physical line where a record starts.  Encoding:
 * UTF-8 (a BOM is dropped) or GB18030, converted to UTF-8 with iconv.  Only
 * this file calls libcsv.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

#define BLOCK (1u << 20)
/* Bytes after a read block that a 16-byte load at its last line may read
   (kept defined: the block is allocated zeroed). */
#define BLOCK_PAD 16u
#define RAW_BLOCK (256u << 10)
#define DEFAULT_MAX_FIELD (1u << 20)
#define MAX_RECORD (16u << 20) /* bytes of one record's fields together */
#define DEFAULT_MAX_FIELDS 16384u
#define PIECE (64u << 10) /* a longer line goes to libcsv in pieces */

struct sv_csv {
    FILE *fp;
    int own_fp;
    char name[SV_ERR_FILE_MAX];
    struct csv_parser parser;
    int parser_live;
    enum sv_encoding enc;
    iconv_t cd;
    unsigned char *raw; /* undecoded GB18030 bytes */
    size_t raw_len;
    char *buf; /* UTF-8 text waiting to be parsed */
    size_t len, pos;
    int eof, finished, started;
    unsigned long line;     /* physical line of buf[pos] */
    unsigned long rec_line; /* line where the current record starts */
    int at_line_start, start_pending;
    int row_clean; /* libcsv is between records (not inside quotes) */
    /*
     * The current record: NUL-terminated fields at fptr[i], either copied
     * into fbuf (at offsets foff, from libcsv) or split in place in buf.
     */
    char *fbuf;
    size_t fbuf_len, fbuf_cap;
    size_t *foff, *flen;
    const char **fptr;
    int in_place;
    size_t nf, nf_cap;
    int records_done;
    int utf8_ok; /* the fields of the current record are valid UTF-8 */
    size_t max_field, max_fields;
    enum sv_status cb_status;
    const char *cb_msg;
    size_t bad_utf8;  /* first field that is not valid UTF-8, or SIZE_MAX */
    size_t bad_nul;   /* first field holding a NUL byte, or SIZE_MAX */
    size_t bad_long;  /* first field over max_field bytes, or SIZE_MAX */
    size_t stray;     /* field of a stray quote (read leniently), or SIZE_MAX */
    int stray_quoted; /* ... which followed a quoted field's closing quote */
    int skipping;     /* after a record-level error: skipping to its end */
    int skip_quoted;  /* ... and inside a quoted field */
    int resumable;    /* the last error concerned one record only */
    int from_start;   /* the first record is the header */
    char *hdr;        /* the header's fields, NUL-separated (for messages) */
    size_t *hdr_off, hdr_n;
    uint64_t done, total;
    uint64_t limit; /* bytes to read at most; 0: to the end */
    size_t plain;   /* bytes of the line sv_csv_plain_line() found */
};

static enum sv_status fail(struct sv_csv *c, unsigned long line,
                           struct sv_error *err, const char *msg)
{
    return sv_error_set(err, SV_ERR_DATA, c->name, line, NULL, "%s", msg);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static int grow_fields(struct sv_csv *c)
{
    size_t cap = c->nf_cap ? c->nf_cap * 2 : 64;
    size_t *a, *b;
    const char **p;

    if (c->nf < c->nf_cap)
        return 0;
    a = realloc(c->foff, cap * sizeof *a);
    if (!a)
        return -1;
    c->foff = a;
    b = realloc(c->flen, cap * sizeof *b);
    if (!b)
        return -1;
    c->flen = b;
    p = realloc(c->fptr, cap * sizeof *p);
    if (!p)
        return -1;
    c->fptr = p;
    c->nf_cap = cap;
    return 0;
}

/* True when the 8 bytes W hold a zero byte. */
static int has_zero(uint64_t w)
{
    return ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0;
}

/*
 * Strict UTF-8 (RFC 3629) as a state machine: no overlong forms, no
 * surrogates (ED A0-BF), nothing above U+10FFFF.  States: 0 between
 * characters, 1-3 continuation bytes still due, 4 after E0 (A0-BF next),
 * 5 after ED (80-9F), 6 after F0 (90-BF), 7 after F4 (80-8F); BAD and NUL
 * end it.  Byte classes: 0 NUL, 1 ASCII, 2 80-8F, 3 90-9F, 4 A0-BF,
 * 5 never valid (C0 C1 F5-FF), 6 C2-DF, 7 E0, 8 E1-EC EE EF, 9 ED, 10 F0,
 * 11 F1-F3, 12 F4.
 */
enum { U8_BAD = 8, U8_NUL = 9 };

static const unsigned char u8_class[256] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9, 8, 8,
    10, 11, 11, 11, 12, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

#define B U8_BAD
static const unsigned char u8_next[8][13] = {
    {U8_NUL, 0, B, B, B, B, 1, 4, 2, 5, 6, 3, 7},
    {B, B, 0, 0, 0, B, B, B, B, B, B, B, B},
    {B, B, 1, 1, 1, B, B, B, B, B, B, B, B},
    {B, B, 2, 2, 2, B, B, B, B, B, B, B, B},
    {B, B, B, B, 1, B, B, B, B, B, B, B, B},
    {B, B, 1, 1, B, B, B, B, B, B, B, B, B},
    {B, B, B, 2, 2, B, B, B, B, B, B, B, B},
    {B, B, 2, B, B, B, B, B, B, B, B, B, B},
};
#undef B

/*
 * Returns 1 when [S, S+N) holds a NUL byte; clears *UTF8_OK when it is not
 * valid UTF-8.
 */
static int check_text(const unsigned char *s, size_t n, int *utf8_ok)
{
    unsigned st = 0;
    size_t i = 0;

    while (i < n) {
        uint64_t w;
        if (st == 0 && i + 8 <= n) {
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL) && !has_zero(w)) {
                i += 8;
                continue;
            }
        }
        /* a three-byte character whose lead byte allows any continuation
           (most of CJK): E1-EC, EE, EF; E0 and ED go through the table */
        if (st == 0 && i + 3 <= n && s[i] >= 0xE1 && s[i] != 0xED &&
            s[i] <= 0xEF && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        st = u8_next[st][u8_class[s[i]]];
        if (st >= U8_BAD)
            break;
        i++;
    }
    if (st == U8_NUL)
        return 1;
    if (st == 0)
        return 0;
    *utf8_ok = 0; /* a bad byte, or a character cut at the end */
    return i < n && memchr(s + i, '\0', n - i) != NULL;
}

/* Reads the character at S[*I] with the table; 0 when it is not valid. */
static int table_char(const unsigned char *s, size_t n, size_t *i)
{
    unsigned st = u8_next[0][u8_class[s[(*i)++]]];

    while (st && st < U8_BAD) {
        if (*i >= n)
            return 0;
        st = u8_next[st][u8_class[s[(*i)++]]];
    }
    return st == 0;
}

/* True when [S, S+N), which holds no NUL byte, is strict UTF-8. */
static int strict_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n)
        if (s[i] < 0x80)
            i++;
        else if (!table_char(s, n, &i))
            return 0;
    return 1;
}

#if !defined(__SSE2__)

/*
 * True when the lead byte of the three-byte character in the low bytes of
 * W allows any continuation bytes (not E0: overlongs, not ED: surrogates).
 */
static int any_cont(uint64_t w)
{
    return (w & 0xFF) != 0xE0 && (w & 0xFF) != 0xED;
}

/*
 * True when [S, S+N), which holds no NUL byte, is UTF-8 as check_text()
 * reads it, eight bytes at a time: runs of ASCII, and one or two
 * three-byte characters (most of CJK) or a two-byte one per step.
 */
static int utf8_line(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i + 8 <= n) {
        uint64_t w, h;
        memcpy(&w, s + i, 8);
        h = w & 0x8080808080808080ULL;
        if (!h)
            i += 8;
        else if (!(h & 0x80))
            i += (size_t)__builtin_ctzll(h) >> 3; /* the ASCII before it */
        else if ((w & 0xC0C0F0C0C0F0ULL) == 0x8080E08080E0ULL
                 && any_cont(w) && any_cont(w >> 24))
            i += 6;
        else if ((w & 0xC0C0F0) == 0x8080E0 && any_cont(w))
            i += 3;
        else if ((w & 0xC0E0) == 0x80C0 && (w & 0xFF) >= 0xC2)
            i += 2;
        else if (!table_char(s, n, &i))
            return 0;
    }
    while (i < n)
        if (s[i] < 0x80)
            i++;
        else if (!table_char(s, n, &i))
            return 0;
    return 1;
}
#endif

#if defined(__SSE2__)
/* Bytes of V >= LO (unsigned) as 0xFF. */
#define GE(v, lo) _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)(lo))), v)

/* CUR shifted K bytes up, PREV's top K bytes shifted in. */
#define SHIFT_IN(cur, prev, k)                                              \
    _mm_or_si128(_mm_slli_si128(cur, k), _mm_srli_si128(prev, 16 - (k)))

/*
 * UTF-8 as utf8_line() reads it, sixteen bytes a step and without a
 * branch: a byte must be a continuation exactly when a lead byte 1 to 3
 * places before it calls for one (>= C0: one, >= E0: two, >= F0: three);
 * C0 and C1 are never valid.  G1-G3 carry the previous block's leads; ERR
 * collects the bytes in error.  A line with a byte of RARE is decided by
 * strict_utf8() instead (when ERR is clean).
 */
struct u8_scan {
    __m128i g1, g2, g3, err;
    __m128i rare; /* E0 and ED leads, and every byte >= F0 (issue 16) */
};

static inline void u8_step(struct u8_scan *u, __m128i v)
{
    __m128i g1 = GE(v, 0xC0), g2 = GE(v, 0xE0), g3 = GE(v, 0xF0);
    __m128i cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)),
                                  _mm_set1_epi8((char)0x80));
    __m128i must = _mm_or_si128(
        _mm_or_si128(SHIFT_IN(g1, u->g1, 1), SHIFT_IN(g2, u->g2, 2)),
        SHIFT_IN(g3, u->g3, 3));
    __m128i bad =
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
                       _mm_set1_epi8((char)0xC0));
    __m128i rare = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))),
        g3);

    u->err = _mm_or_si128(u->err, _mm_or_si128(_mm_xor_si128(must, cont), bad));
    u->rare = _mm_or_si128(u->rare, rare);
    u->g1 = g1;
    u->g2 = g2;
    u->g3 = g3;
}

/* Loads the 16 bytes at S, those from the Nth on (N < 16) as zeros. */
static inline __m128i load_first(const char *s, size_t n)
{
    static const unsigned char keep[32] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

    return _mm_and_si128(
        _mm_loadu_si128((const __m128i *)(const void *)s),
        _mm_loadu_si128((const __m128i *)(const void *)(keep + 16 - n)));
}
#endif

/* Copies field [S, S+N) to DST and checks it as check_text() does. */
static int copy_field(char *dst, const unsigned char *s, size_t n,
                      int *utf8_ok)
{
    if (n)
        memcpy(dst, s, n);
    return check_text(s, n, utf8_ok);
}

static void on_field(void *s, size_t len, void *data)
{
    struct sv_csv *c = data;

    if (c->cb_status)
        return;
    if (c->nf >= c->max_fields) {
        c->cb_status = SV_ERR_LIMIT;
        c->cb_msg = "too many fields in one record";
        return;
    }
    if (c->fbuf_len + len > MAX_RECORD) {
        c->cb_status = SV_ERR_LIMIT;
        c->cb_msg = "record longer than 16 MiB";
        return;
    }
    if ((c->fbuf_len + len + 9 > c->fbuf_cap &&
         grow((void **)&c->fbuf, &c->fbuf_cap, c->fbuf_len + len + 9, 1)) ||
        (c->nf == c->nf_cap && grow_fields(c))) {
        c->cb_status = SV_ERR_NOMEM;
        c->cb_msg = "out of memory";
        return;
    }
    /* the record is read to its end, to be rejected with its fields */
    if (copy_field(c->fbuf + c->fbuf_len, s, len, &c->utf8_ok) &&
        c->bad_nul == SIZE_MAX)
        c->bad_nul = c->nf;
    if (!c->utf8_ok && c->bad_utf8 == SIZE_MAX)
        c->bad_utf8 = c->nf;
    if (len > c->max_field && c->bad_long == SIZE_MAX)
        c->bad_long = c->nf;
    c->fbuf[c->fbuf_len + len] = '\0';
    c->foff[c->nf] = c->fbuf_len;
    c->flen[c->nf] = len;
    c->fbuf_len += len + 1;
    c->nf++;
}

static void on_record(int term, void *data)
{
    struct sv_csv *c = data;

    (void)term;
    c->records_done++;
}

/* True when [S, S+N) is valid UTF-8 (a cut sequence at the end if ALLOW_CUT). */
static int valid_utf8(const unsigned char *s, size_t n, int allow_cut)
{
    size_t i = 0;

    while (i < n) {
        unsigned char b = s[i];
        size_t k = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2
                             : (b & 0xF0) == 0xE0 ? 3
                             : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (!k || (k == 2 && b < 0xC2))
            return 0;
        for (size_t j = 1; j < k; j++) {
            if (i + j >= n)
                return allow_cut;
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        }
        i += k;
    }
    return 1;
}

/* Moves undecoded bytes to the front and decodes what fits into buf. */
static enum sv_status decode_gb(struct sv_csv *c, struct sv_error *err)
{
    char *in = (char *)c->raw, *out = c->buf + c->len;
    size_t inleft = c->raw_len, outleft = BLOCK - c->len, r;
    int e = 0;

    /*
     * A byte that starts no valid sequence becomes 0xFF, which is never
     * UTF-8: the check of its field reports it (check_utf8), so only the
     * record holding it is rejected.
     */
    while ((r = iconv(c->cd, &in, &inleft, &out, &outleft)) == (size_t)-1 &&
           (e = errno) == EILSEQ && outleft && inleft) {
        *out++ = '\xFF';
        outleft--;
        in++;
        inleft--;
    }
    if (r != (size_t)-1)
        e = 0;
    if (c->eof && inleft && e == EINVAL)
        return fail(c, c->line, err, "truncated GB18030 character at end");
    memmove(c->raw, in, inleft);
    c->raw_len = inleft;
    c->len = BLOCK - outleft;
    return SV_OK;
}

/* N, or fewer when the range being read ends sooner. */
static size_t want(const struct sv_csv *c, size_t n)
{
    return c->limit && c->limit - c->done < n ? (size_t)(c->limit - c->done)
                                               : n;
}

static enum sv_status fill(struct sv_csv *c, struct sv_error *err)
{
    size_t n;

    c->len = c->pos = 0;
    if (c->enc != SV_ENC_GB18030) {
        /* while detecting, read no more than the GB18030 buffer holds */
        n = fread(c->buf, 1, want(c, c->enc == SV_ENC_AUTO ? RAW_BLOCK : BLOCK),
                  c->fp);
        c->len = n;
    } else {
        n = fread(c->raw + c->raw_len, 1, want(c, RAW_BLOCK - c->raw_len),
                  c->fp);
        c->raw_len += n;
    }
    c->done += n;
    if (n == 0 && ferror(c->fp))
        return sv_error_set(err, SV_ERR_IO, c->name, 0, NULL, "read error: %s",
                            strerror(errno));
    if (n == 0 || feof(c->fp) || (c->limit && c->done == c->limit))
        c->eof = 1;
    return c->enc == SV_ENC_GB18030 ? decode_gb(c, err) : SV_OK;
}

static int count_delims(const char *s, size_t n, int d)
{
    int count = 0, q = 0;

    for (size_t i = 0; i < n && s[i] != '\n'; i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == d)
            count++;
    }
    return count;
}

static void detect_delimiter(struct sv_csv *c)
{
    static const int cand[] = {',', '\t', ';'};
    int best = ',', most = 0;

    for (int i = 0; i < 3; i++) {
        int k = count_delims(c->buf + c->pos, c->len - c->pos, cand[i]);
        if (k > most) {
            most = k;
            best = cand[i];
        }
    }
    csv_set_delim(&c->parser, (unsigned char)best);
}

static enum sv_status open_gb(struct sv_csv *c, struct sv_error *err)
{
    c->cd = iconv_open("UTF-8", "GB18030");
    if (c->cd == (iconv_t)-1)
        return sv_error_set(err, SV_ERR_IO, c->name, 0, NULL,
                            "cannot convert from GB18030");
    return SV_OK;
}

/*
 * True when the first bytes look like UTF-16 (Excel's "Unicode Text"):
 * a UTF-16 byte-order mark, or a NUL in every other byte of the start.
 */
static int utf16(const char *b, size_t n)
{
    const unsigned char *u = (const unsigned char *)b;
    size_t zeros[2] = {0, 0}, k = n < 64 ? n : 64;

    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE)
                   || (u[0] == 0xFE && u[1] == 0xFF)))
        return 1;
    for (size_t i = 0; i < k; i++)
        zeros[i % 2] += !u[i];
    return k >= 8 && (zeros[0] * 4 >= k * 2 - 2 || zeros[1] * 4 >= k * 2 - 2)
           && (zeros[0] == 0 || zeros[1] == 0);
}

/* First block: choose the encoding, drop a BOM, pick the delimiter. */
static enum sv_status start(struct sv_csv *c, int delim, struct sv_error *err)
{
    enum sv_status st;

    /* a forced GB18030 input is decoded by fill() itself */
    if (c->enc == SV_ENC_GB18030 && (st = open_gb(c, err)))
        return st;
    if ((st = fill(c, err)))
        return st;
    if (c->enc != SV_ENC_GB18030 && utf16(c->buf, c->len))
        return sv_error_set(err, SV_ERR_DATA, c->name, 0, NULL,
                            "UTF-16 text is not supported: in Excel, save "
                            "as 'CSV UTF-8 (Comma delimited)', or convert "
                            "with iconv -f UTF-16 -t UTF-8");
    if (c->enc == SV_ENC_AUTO && valid_utf8((unsigned char *)c->buf, c->len, 1))
        c->enc = SV_ENC_UTF8;
    if (c->enc == SV_ENC_AUTO) {
        c->enc = SV_ENC_GB18030;
        if ((st = open_gb(c, err)))
            return st;
        memcpy(c->raw, c->buf, c->len);
        c->raw_len = c->len;
        c->len = 0;
        if ((st = decode_gb(c, err)))
            return st;
    }
    if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
    if (delim)
        csv_set_delim(&c->parser, (unsigned char)delim);
    else
        detect_delimiter(c);
    c->started = 1;
    return SV_OK;
}

/* sv_csv_open_stream() reading at most LIMIT bytes (0: all). */
static struct sv_csv *open_stream(FILE *fp, const char *name,
                                  const struct sv_csv_options *opts,
                                  uint64_t limit, struct sv_error *err)
{
    struct sv_csv *c = calloc(1, sizeof *c);
    struct stat st;

    if (!c || !(c->buf = calloc(BLOCK + BLOCK_PAD, 1)) ||
        !(c->raw = malloc(RAW_BLOCK)) ||
        csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        if (c)
            free(c->buf);
        free(c);
        sv_error_set(err, SV_ERR_NOMEM, name, 0, NULL, "out of memory");
        return NULL;
    }
    c->parser_live = 1;
    c->fp = fp;
    snprintf(c->name, sizeof c->name, "%s", name ? name : "<stdin>");
    c->cd = (iconv_t)-1;
    c->enc = opts ? opts->encoding : SV_ENC_AUTO;
    c->max_field = opts && opts->max_field ? opts->max_field : DEFAULT_MAX_FIELD;
    c->max_fields =
        opts && opts->max_fields ? opts->max_fields : DEFAULT_MAX_FIELDS;
    c->line = 1;
    c->at_line_start = c->start_pending = 1;
    c->row_clean = 1;
    c->limit = limit;
    c->from_start = 1;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
        c->total = (uint64_t)st.st_size;
    if (start(c, opts ? opts->delimiter : 0, err) != SV_OK) {
        sv_csv_free(c);
        return NULL;
    }
    return c;
}

struct sv_csv *sv_csv_open_stream(FILE *fp, const char *name,
                                  const struct sv_csv_options *opts,
                                  struct sv_error *err)
{
    return open_stream(fp, name, opts, 0, err);
}

struct sv_csv *sv_csv_open_range(const char *path, const struct sv_csv_options *opts,
                                 uint64_t start, uint64_t end,
                                 struct sv_error *err)
{
    FILE *fp = fopen(path, "rb");
    struct sv_csv *c = NULL;

    if (!fp || end <= start || fseeko(fp, (off_t)start, SEEK_SET) != 0) {
        sv_error_set(err, SV_ERR_IO, path, 0, NULL, "cannot read range");
        if (fp)
            fclose(fp);
        return NULL;
    }
    c = open_stream(fp, path, opts, end - start, err);
    if (!c) {
        fclose(fp);
        return NULL;
    }
    c->from_start = start == 0;
    c->own_fp = 1;
    return c;
}

enum sv_encoding sv_csv_encoding(const struct sv_csv *c)
{
    return c->enc;
}

FILE *sv_input_open(const char *path, const char **name,
                    struct sv_error *err)
{
    FILE *fp;
    struct stat st;

    if (!path || strcmp(path, "-") == 0) {
        if (!*name)
            *name = "<stdin>";
        return stdin;
    }
    if (!*name)
        *name = path;
    if (!(fp = fopen(path, "rb"))) {
        sv_error_set(err, SV_ERR_IO, *name, 0, NULL, "cannot open: %s",
                     strerror(errno));
        return NULL;
    }
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        sv_error_set(err, SV_ERR_IO, *name, 0, NULL, "is a directory");
        return NULL;
    }
    return fp;
}

struct sv_csv *sv_csv_open(const char *path, const char *name,
                           const struct sv_csv_options *opts,
                           struct sv_error *err)
{
    FILE *fp = sv_input_open(path, &name, err);
    struct sv_csv *c = fp ? sv_csv_open_stream(fp, name, opts, err) : NULL;

    if (fp && fp != stdin && !c)
        fclose(fp);
    if (c && fp != stdin)
        c->own_fp = 1;
    return c;
}

static int blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* A space that libcsv trims from unquoted fields (unless it delimits). */
static int trimmed(char ch, int delim)
{
    return (unsigned char)ch <= ' ' && (ch == ' ' || ch == '\t') &&
           ch != delim;
}

/* Makes room for NEED fields; -1 when out of memory. */
static int room_for(struct sv_csv *c, size_t need)
{
    size_t nf = c->nf;
    int r = 0;

    while (!r && c->nf_cap < need) {
        c->nf = c->nf_cap;
        r = grow_fields(c);
    }
    c->nf = nf;
    return r;
}

/*
 * Finds the delimiters D of the line [S, S+N) into c->foff and returns how
 * many; -1 when the line holds a CR or a NUL byte (or has too many fields)
 * and must go to libcsv; -2 when it holds a quote (see split_quoted).
 * Sets *BAD when the line is not valid UTF-8, and *SPACES when it holds a
 * space or tab that libcsv might trim.  Sixteen bytes at a time where SSE2
 * is available, checking the UTF-8 on the way.
 */
static long find_delims(struct sv_csv *c, const char *s, size_t n, int d,
                        int *bad, int *spaces)
{
    size_t nd = 0, i = 0, lim;
    unsigned hi = 0, quotes = 0, sp_tab = 0;
    const int tab = d == '\t' ? ' ' : '\t'; /* a tab delimiter is no space */
    size_t *at;
#if defined(__SSE2__)
    struct u8_scan u = {_mm_setzero_si128(), _mm_setzero_si128(),
                        _mm_setzero_si128(), _mm_setzero_si128(),
                        _mm_setzero_si128()};
#endif

    /* a line of N bytes has at most N + 1 fields */
    lim = n + 1 < c->max_fields ? n + 1 : c->max_fields;
    if (room_for(c, lim + 1))
        return -1;
    at = c->foff;

#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8((char)d), vq = _mm_set1_epi8('"');
    const __m128i vr = _mm_set1_epi8('\r'), vz = _mm_setzero_si128();
    const __m128i vs = _mm_set1_epi8(' '), vt = _mm_set1_epi8((char)tab);
    __m128i any_q = vz, any_sp = vz, any_hi = vz; /* quotes, spaces, >= 80 */

    /*
     * The last step reads up to 15 bytes past the line, which the read
     * block's padding keeps inside it (BLOCK_PAD); they count as zeros.
     */
    for (; i < n; i += 16) {
        unsigned all = n - i >= 16 ? 0xFFFF : (1u << (n - i)) - 1;
        __m128i v = all == 0xFFFF
                        ? _mm_loadu_si128((const __m128i *)(const void *)(s + i))
                        : load_first(s + i, n - i);
        unsigned sp = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, vr), _mm_cmpeq_epi8(v, vz))) & all;
        unsigned dm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));

        if (sp)
            return -1;
        any_q = _mm_or_si128(any_q, _mm_cmpeq_epi8(v, vq));
        any_sp = _mm_or_si128(any_sp, _mm_or_si128(_mm_cmpeq_epi8(v, vs),
                                                   _mm_cmpeq_epi8(v, vt)));
        any_hi = _mm_or_si128(any_hi, v);
        u8_step(&u, v);
        for (; dm; dm &= dm - 1) {
            if (nd + 1 >= lim)
                return -1;
            at[nd++] = i + (size_t)__builtin_ctz(dm);
        }
    }
    quotes = (unsigned)_mm_movemask_epi8(any_q);
    sp_tab = (unsigned)_mm_movemask_epi8(any_sp);
    hi = (unsigned)_mm_movemask_epi8(any_hi);
    u8_step(&u, vz); /* a character cut at the end */
    *bad = hi && (_mm_movemask_epi8(u.err)
                  || (_mm_movemask_epi8(u.rare)
                      && !strict_utf8((const unsigned char *)s, n)));
#else
    for (; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == d) {
            if (nd + 1 >= lim)
                return -1;
            at[nd++] = i;
        } else if (b == '\r' || b == '\0') {
            return -1;
        }
        quotes |= b == '"';
        sp_tab |= b == ' ' || b == tab;
        hi |= b & 0x80;
    }
    *bad = hi && !utf8_line((const unsigned char *)s, n);
#endif
    *spaces = sp_tab != 0;
    return quotes ? -2 : (long)nd;
}

/*
 * The end of the quoted field opening at S[P] (the index after its closing
 * quote) when it closes on this line [S, S+N) and is followed by the
 * delimiter D or the line end, else 0.
 */
static size_t quoted_end(const char *s, size_t n, size_t p, int d)
{
    size_t q = p + 1;

    for (;;) {
        const char *e = memchr(s + q, '"', n - q);
        if (!e)
            return 0; /* it goes on on the next line */
        q = (size_t)(e - s) + 1;
        if (q < n && s[q] == '"')
            q++; /* "" stands for one quote */
        else
            break;
    }
    return q == n || s[q] == d ? q : 0;
}

/*
 * Finds the fields of the line [S, S+N) that holds quotes into c->fptr and
 * c->flen (not yet terminated), c->foff[k] = 1 for a quoted field, and
 * returns how many, or -1 for anything but fields that are either
 * unquoted and free of quotes, or quoted from their first byte to a
 * closing quote right before the delimiter or the line end (libcsv takes
 * those lines, quoted fields going on over several lines among them).
 */
static long scan_quoted(struct sv_csv *c, const char *s, size_t n, int d,
                        size_t cap)
{
    size_t nf = 0, p = 0, lim = n + 1 < c->max_fields ? n + 1 : c->max_fields;

    if (room_for(c, lim + 1))
        return -1;
    for (;;) {
        size_t a = p, b, next;
        int quoted = p < n && s[p] == '"';
        if (nf + 1 >= lim)
            return -1;
        if (quoted) {
            if (!(next = quoted_end(s, n, p, d)))
                return -1;
            a = p + 1;
            b = next - 1;
        } else {
            const char *e = memchr(s + p, d, n - p);
            next = b = e ? (size_t)(e - s) : n;
            if (memchr(s + a, '"', b - a))
                return -1; /* a quote inside an unquoted field */
            while (a < b && trimmed(s[a], d))
                a++;
            while (b > a && trimmed(s[b - 1], d))
                b--;
        }
        if (b - a + 1 >= cap)
            return -1; /* libcsv would grow its buffer */
        c->fptr[nf] = s + a;
        c->flen[nf] = b - a;
        c->foff[nf++] = (size_t)quoted;
        if (next >= n)
            return (long)nf;
        p = next + 1;
    }
}

/* Turns each "" of quoted field K into " in place. */
static void unescape(struct sv_csv *c, size_t k)
{
    char *w = (char *)c->fptr[k], *r = w, *end = w + c->flen[k];

    if (!memchr(r, '"', c->flen[k]))
        return;
    while (r < end) {
        *w++ = *r;
        r += *r == '"' ? 2 : 1;
    }
    c->flen[k] = (size_t)(w - c->fptr[k]);
}

/* Ends the record of NF fields split in place (and ended). */
static int record_done(struct sv_csv *c, size_t nf)
{
    for (size_t k = 0; !c->utf8_ok && c->bad_utf8 == SIZE_MAX && k < nf; k++)
        if (!strict_utf8((const unsigned char *)c->fptr[k], c->flen[k]))
            c->bad_utf8 = k; /* for the message */
    c->nf = nf;
    c->in_place = 1;
    on_record('\n', c);
    return 1;
}

/* Ends the NF fields found and the record. */
static int split_done(struct sv_csv *c, char *s, size_t nf)
{
    for (size_t k = 0; k < nf; k++)
        s[(size_t)(c->fptr[k] - s) + c->flen[k]] = '\0';
    return record_done(c, nf);
}

/* split_plain() of a line with quotes: see scan_quoted(). */
static int split_quoted(struct sv_csv *c, char *s, size_t n, int d,
                        size_t cap, int bad)
{
    long nf = scan_quoted(c, s, n, d, cap);

    if (nf < 0 || (nf == 1 && !c->flen[0] && !c->foff[0]))
        return 0; /* libcsv's, or a blank line */
    if (bad)
        c->utf8_ok = 0;
    for (size_t k = 0; k < (size_t)nf; k++)
        if (c->foff[k])
            unescape(c, k);
    return split_done(c, s, (size_t)nf);
}

/*
 * split_plain() of a line of NF fields (their ends in c->foff) without
 * spaces or tabs to trim and shorter than libcsv's buffer: each field is
 * the text between two delimiters, ended in the same pass.
 */
static int split_bare(struct sv_csv *c, char *s, size_t nf, int bad)
{
    size_t a = 0;

    if (nf == 1 && !c->foff[0])
        return 0; /* a blank line */
    for (size_t k = 0; k < nf; k++) {
        size_t b = c->foff[k];
        c->fptr[k] = s + a;
        c->flen[k] = b - a;
        s[b] = '\0';
        a = b + 1;
    }
    if (bad)
        c->utf8_ok = 0;
    return record_done(c, nf);
}

/*
 * Splits the complete line [S, S+M) (ending in '\n') the way csv_parse()
 * would, in place (each field end becomes a NUL), without calling it: most
 * lines hold no quotes, and a vector scan over them is many times faster
 * than libcsv's byte-by-byte state machine.  Only lines without quotes,
 * CRs (but the one before '\n') or NUL bytes, that are not blank, have at
 * most max_fields fields, and whose fields fit libcsv's current buffer (so
 * its size, which the field limit reads, stays what libcsv would leave)
 * are split here; libcsv parses the rest.  Unquoted fields lose leading
 * and trailing spaces and tabs, as libcsv trims them.  Returns 1 when the
 * line was handled.
 */
static int split_plain(struct sv_csv *c, char *s, size_t m)
{
    int d = csv_get_delim(&c->parser), bad = 0, spaces = 0;
    size_t cap = csv_get_buffer_size(&c->parser), n = m - 1, nf;
    long nd;

    if (n && s[n - 1] == '\r')
        n--;
    if (!cap || d == '"' || d == '\r' || d == '\0' ||
        (nd = find_delims(c, s, n, d, &bad, &spaces)) == -1)
        return 0;
    if (nd == -2)
        return split_quoted(c, s, n, d, cap, bad);
    nf = (size_t)nd + 1;
    c->foff[nd] = n;
    if (!spaces && n + 1 < cap)
        return split_bare(c, s, nf, bad);
    for (size_t k = 0, a = 0; k < nf; a = c->foff[k++] + 1) {
        size_t b = c->foff[k];
        while (a < b && trimmed(s[a], d))
            a++;
        if (b - a + 1 >= cap)
            return 0; /* libcsv would grow its buffer */
        while (b > a && trimmed(s[b - 1], d))
            b--;
        c->fptr[k] = s + a;
        c->flen[k] = b - a;
    }
    if (nf == 1 && !c->flen[0])
        return 0; /* a blank line */
    /* only now that libcsv will not see the line: end each field */
    if (bad)
        c->utf8_ok = 0;
    return split_done(c, s, nf);
}

/*
 * Finds the delimiters D of the line [S, S+N) into c->foff for
 * sv_csv_plain_line() and returns how many, or -1 when the line holds a
 * quote, a CR or a NUL byte or has too many fields; sets *HIGH when it
 * holds bytes >= 0x80.  Unlike find_delims(), checks no UTF-8.
 */
static long plain_delims(struct sv_csv *c, const char *s, size_t n, int d,
                         int *high)
{
    size_t nd = 0, i = 0, lim = n + 1 < c->max_fields ? n + 1 : c->max_fields;
    size_t *at;

    if (room_for(c, lim + 1))
        return -1;
    at = c->foff;
#if defined(__SSE2__)
    const __m128i vd = _mm_set1_epi8((char)d), vq = _mm_set1_epi8('"');
    const __m128i vr = _mm_set1_epi8('\r'), vz = _mm_setzero_si128();
    __m128i any_hi = vz;

    /* past the line: the read block's padding (see find_delims()) */
    for (; i < n; i += 16) {
        unsigned all = n - i >= 16 ? 0xFFFF : (1u << (n - i)) - 1;
        __m128i v = all == 0xFFFF
                        ? _mm_loadu_si128((const __m128i *)(const void *)(s + i))
                        : load_first(s + i, n - i);
        unsigned dm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
        __m128i odd = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vr)),
            _mm_cmpeq_epi8(v, vz));

        if ((unsigned)_mm_movemask_epi8(odd) & all)
            return -1;
        any_hi = _mm_or_si128(any_hi, v);
        for (; dm; dm &= dm - 1) {
            if (nd + 1 >= lim)
                return -1;
            at[nd++] = i + (size_t)__builtin_ctz(dm);
        }
    }
    *high = _mm_movemask_epi8(any_hi) != 0;
#else
    unsigned hi = 0;

    for (; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == d) {
            if (nd + 1 >= lim)
                return -1;
            at[nd++] = i;
        } else if (b == '"' || b == '\r' || b == '\0') {
            return -1;
        }
        hi |= b & 0x80;
    }
    *high = hi != 0;
#endif
    return (long)nd;
}

/*
 * The next line when split_plain() would take it as a plain record
 * without libcsv (see struct sv_plain_line), left unread.
 */
int sv_csv_plain_line(struct sv_csv *c, struct sv_plain_line *pl)
{
    char *s = c->buf + c->pos;
    const char *nl;
    size_t n, cap = csv_get_buffer_size(&c->parser);
    int d = csv_get_delim(&c->parser), high = 0;
    long nd;

    if (c->finished || c->skipping || !c->at_line_start || !c->row_clean ||
        c->pos >= c->len || !(nl = memchr(s, '\n', c->len - c->pos)))
        return 0;
    n = (size_t)(nl - s);
    c->plain = n + 1;
    if (n && s[n - 1] == '\r')
        n--;
    if (!n || !cap || n >= c->max_field || d == '"' || d == '\r' ||
        d == '\0' || (nd = plain_delims(c, s, n, d, &high)) < 0)
        return 0;
    c->foff[nd] = n;
    /* each field shorter than libcsv's buffer, as split_plain() wants */
    for (size_t k = 0, a = 0; n + 1 >= cap && k <= (size_t)nd;
         a = c->foff[k++] + 1)
        if (c->foff[k] - a + 1 >= cap)
            return 0;
    pl->s = s;
    pl->end = c->foff;
    pl->nf = (size_t)nd + 1;
    pl->high = high;
    pl->line = c->line;
    return 1;
}

int sv_utf8_strict(const char *s, size_t n)
{
    return strict_utf8((const unsigned char *)s, n);
}

void sv_csv_take_plain(struct sv_csv *c)
{
    c->rec_line = c->line++;
    c->pos += c->plain;
    c->start_pending = 1;
}

/* libcsv's state after a closing quote (a "" escape or the field's end). */
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

/* The name of 0-based field I for messages: its header, or its number. */
static const char *field_name(struct sv_csv *c, size_t i, char *buf,
                              size_t cap)
{
    if (i < c->hdr_n && c->hdr[c->hdr_off[i]])
        return c->hdr + c->hdr_off[i];
    snprintf(buf, cap, "%zu", i + 1);
    return buf;
}

/* Keeps the header's field names (the first record) for messages. */
static void keep_header(struct sv_csv *c)
{
    size_t total = 0, o = 0;

    if (!c->from_start)
        return;
    c->from_start = 0;
    for (size_t i = 0; i < c->nf; i++)
        total += c->flen[i] + 1;
    if (!c->nf || total > (1u << 20))
        return;
    c->hdr = malloc(total);
    c->hdr_off = malloc(c->nf * sizeof *c->hdr_off);
    if (!c->hdr || !c->hdr_off) {
        free(c->hdr);
        free(c->hdr_off);
        c->hdr = NULL;
        c->hdr_off = NULL;
        return;
    }
    for (size_t i = 0; i < c->nf; i++) {
        c->hdr_off[i] = o;
        memcpy(c->hdr + o, c->fptr[i], c->flen[i]);
        o += c->flen[i];
        c->hdr[o++] = '\0';
    }
    c->hdr_n = c->nf;
}

/* A fresh libcsv parser with the same delimiter (after a skipped record). */
static int reset_parser(struct sv_csv *c)
{
    unsigned char d = csv_get_delim(&c->parser);

    csv_free(&c->parser);
    c->parser_live = 0;
    if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return -1;
    c->parser_live = 1;
    csv_set_delim(&c->parser, d);
    return 0;
}

/*
 * An error that stops the reading of one record (too many fields, the
 * record over 16 MiB, out of memory) after the chunk of M bytes was
 * parsed: the rest of the record is skipped by the next call, which then
 * reads the record after it.  Only these keep just the fields before the
 * fault; a record with a long field, a NUL byte or bad text is read to
 * its end (check_record).
 */
static enum sv_status record_error(struct sv_csv *c, size_t m, int nl,
                                   struct sv_error *err)
{
    enum sv_status code = c->cb_status;
    const char *text = c->cb_msg;

    if (code == SV_ERR_NOMEM)
        return sv_error_set(err, code, c->name, c->rec_line, NULL, "%s", text);
    c->skip_quoted = c->parser.quoted
                     && c->parser.pstate != LIBCSV_FIELD_MIGHT_HAVE_ENDED;
    c->skipping = !c->records_done;
    c->pos += m;
    c->at_line_start = nl;
    c->row_clean = 1;
    c->start_pending = 1;
    if (nl)
        c->line++;
    c->cb_status = SV_OK;
    if (reset_parser(c))
        return sv_error_set(err, SV_ERR_NOMEM, c->name, c->rec_line, NULL,
                            "out of memory");
    c->resumable = 1;
    return sv_error_set(err, code, c->name, c->rec_line, NULL, "%s", text);
}

/*
 * Skips the rest of a record after a record-level error: quotes are
 * followed, and the record ends at the first newline outside them.
 */
static void skip_rest(struct sv_csv *c)
{
    for (size_t i = c->pos; i < c->len; i++) {
        if (c->buf[i] == '"')
            c->skip_quoted = !c->skip_quoted;
        else if (c->buf[i] == '\n') {
            c->line++;
            if (!c->skip_quoted) {
                c->pos = i + 1;
                c->skipping = 0;
                c->at_line_start = 1;
                return;
            }
        }
    }
    c->pos = c->len;
}

/* libcsv's state inside a field that has begun. */
#define LIBCSV_FIELD_BEGUN 2

/*
 * A stray quote (in an unquoted field, or after a quoted field's closing
 * quote) at S[0]: the field goes on as unquoted text holding the quote,
 * and the rest of the record is read without CSV_STRICT, so that it ends
 * where its line ends and is rejected with its fields (check_record).
 * Returns what csv_parse() consumed of the N bytes.
 */
static size_t lenient(struct sv_csv *c, const char *s, size_t n)
{
    if (c->stray == SIZE_MAX) {
        c->stray = c->nf;
        c->stray_quoted = c->parser.quoted;
    }
    c->parser.status = CSV_SUCCESS;
    c->parser.quoted = 0;
    c->parser.pstate = LIBCSV_FIELD_BEGUN;
    csv_set_opts(&c->parser, CSV_STRICT_FINI);
    return csv_parse(&c->parser, s, n, on_field, on_record, c);
}

/* Hands one line (or the part of it in the block) to libcsv. */
static enum sv_status feed(struct sv_csv *c, struct sv_error *err)
{
    char *chunk = c->buf + c->pos;
    size_t n = c->len - c->pos;
    const char *nl = memchr(chunk, '\n', n);
    size_t m = nl ? (size_t)(nl - chunk) + 1 : n, done;
    int split;

    if (c->start_pending && c->at_line_start && !(nl && blank_line(chunk, m))) {
        c->rec_line = c->line;
        c->start_pending = 0;
    }
    split = nl && c->at_line_start && c->row_clean && split_plain(c, chunk, m);
    if (!split && m > PIECE) {
        /*
         * libcsv grows its field buffer by blk_size (128 bytes) at a time:
         * past PIECE the step becomes the buffer's size, so a field of
         * several MiB costs a few reallocations, not tens of thousands.
         */
        m = PIECE;
        nl = NULL;
        if (csv_get_buffer_size(&c->parser) >= PIECE)
            csv_set_blk_size(&c->parser, csv_get_buffer_size(&c->parser));
    }
    if (!split &&
        ((done = csv_parse(&c->parser, chunk, m, on_field, on_record, c)) != m)
        && (csv_error(&c->parser) != CSV_EPARSE ||
            lenient(c, chunk + done, m - done) != m - done))
        return fail(c, c->rec_line, err,
                    csv_strerror(csv_error(&c->parser)));
    /* a long field is read on (and kept) up to the record's limit */
    if (!c->cb_status && c->parser.entry_pos > MAX_RECORD) {
        c->cb_status = SV_ERR_LIMIT;
        c->cb_msg = "record longer than 16 MiB";
    }
    if (c->cb_status)
        return record_error(c, m, nl != NULL, err);
    c->pos += m;
    c->at_line_start = nl != NULL;
    /* after a newline libcsv is either between records or inside quotes */
    c->row_clean = split || (nl && !c->parser.quoted);
    if (nl)
        c->line++;
    return SV_OK;
}

static enum sv_status finish(struct sv_csv *c, struct sv_error *err)
{
    c->finished = 1;
    if (csv_fini(&c->parser, on_field, on_record, c) != 0)
        return fail(c, c->rec_line, err, "unterminated quoted field");
    if (c->cb_status)
        return sv_error_set(err, c->cb_status, c->name, c->rec_line, NULL,
                            "%s", c->cb_msg);
    return SV_OK;
}

/* Leaves the lenient reading of a record with a stray quote. */
static void end_stray(struct sv_csv *c)
{
    if (c->stray != SIZE_MAX)
        csv_set_opts(&c->parser, CSV_STRICT | CSV_STRICT_FINI);
}

/*
 * A fault of a record read to its end (its fields are kept for the
 * rejects file): a NUL byte, a stray quote, a field over the limit,
 * invalid UTF-8, or a byte that was not GB18030 (0xFF after decode_gb).
 */
static enum sv_status check_record(struct sv_csv *c, struct sv_error *err)
{
    char name[32], msg[64];
    size_t f = c->bad_utf8;
    const char *text = c->enc == SV_ENC_GB18030
                           ? "invalid GB18030 byte sequence"
                           : "invalid UTF-8";
    enum sv_status code = SV_ERR_DATA;

    end_stray(c);
    if (c->bad_nul != SIZE_MAX) {
        f = c->bad_nul;
        text = "NUL byte in field";
    } else if (c->stray != SIZE_MAX) {
        f = c->stray;
        text = c->stray_quoted
                   ? "malformed quoted field (text after its closing quote)"
                   : "stray quote in an unquoted field";
    } else if (c->bad_long != SIZE_MAX) {
        f = c->bad_long;
        snprintf(msg, sizeof msg, "field longer than %zu bytes", c->max_field);
        text = msg;
        code = SV_ERR_LIMIT;
    } else if (c->utf8_ok) {
        return SV_OK;
    }
    c->resumable = 1; /* the record was read to its end */
    /* libcsv's buffer keeps the long field's size: start afresh */
    if (c->bad_long != SIZE_MAX && reset_parser(c))
        return sv_error_set(err, SV_ERR_NOMEM, c->name, c->rec_line, NULL,
                            "out of memory");
    sv_error_set(err, code, c->name, c->rec_line,
                 f == SIZE_MAX ? NULL : field_name(c, f, name, sizeof name),
                 "%s", text);
    if (f == c->bad_utf8 && code == SV_ERR_DATA && c->bad_nul == SIZE_MAX &&
        c->stray == SIZE_MAX && c->enc != SV_ENC_GB18030)
        sv_error_hint(err, SV_HINT_ENCODING);
    return code;
}

/* Excel saves trailing ",,,,," rows: a record of empty fields only. */
static int all_empty(const struct sv_csv *c)
{
    for (size_t i = 0; i < c->nf; i++)
        if (c->flen[i])
            return 0;
    return 1;
}

static enum sv_status next_record(struct sv_csv *c, size_t *nfields,
                                  struct sv_error *err)
{
    enum sv_status st;

    *nfields = 0;
    c->nf = c->fbuf_len = 0;
    c->in_place = 0;
    c->records_done = 0;
    c->utf8_ok = 1;
    c->bad_utf8 = c->bad_nul = c->stray = c->bad_long = SIZE_MAX;
    c->resumable = 0;
    while (!c->finished) {
        if (c->pos == c->len) {
            if (c->eof && (c->enc != SV_ENC_GB18030 || !c->raw_len)) {
                if (c->skipping && c->skip_quoted) {
                    c->finished = 1;
                    return fail(c, c->rec_line, err,
                                "unterminated quoted field");
                }
                if ((st = finish(c, err)))
                    return st;
                break;
            }
            if ((st = fill(c, err)))
                return st;
            continue;
        }
        if (c->skipping) {
            skip_rest(c);
            continue;
        }
        if ((st = feed(c, err)))
            return st;
        if (c->records_done)
            break;
    }
    if (!c->records_done)
        return SV_OK;
    if (c->records_done > 1)
        return fail(c, c->rec_line, err,
                    "bare CR line ends are not supported (convert to LF)");
    c->start_pending = 1;
    if ((st = check_record(c, err)))
        return st;
    *nfields = c->nf;
    return SV_OK;
}

enum sv_status sv_csv_next(struct sv_csv *c, size_t *nfields,
                           struct sv_error *err)
{
    enum sv_status st;

    /* such a row is a blank line, not a record (PRODUCT.md 3.1) */
    while ((st = next_record(c, nfields, err)) == SV_OK && *nfields > 0 &&
           all_empty(c))
        ;
    if (!c->in_place)
        for (size_t i = 0; i < c->nf; i++)
            c->fptr[i] = c->fbuf + c->foff[i];
    if (st == SV_OK && *nfields > 0)
        keep_header(c);
    return st;
}

int sv_csv_resumable(const struct sv_csv *c)
{
    return c->resumable;
}

const char *sv_csv_field(const struct sv_csv *c, size_t i)
{
    return i < c->nf ? c->fptr[i] : "";
}

size_t sv_csv_field_len(const struct sv_csv *c, size_t i)
{
    return i < c->nf ? c->flen[i] : 0;
}

void sv_csv_record(const struct sv_csv *c, const char *const **field,
                   const size_t **len)
{
    *field = c->fptr;
    *len = c->flen;
}

size_t sv_csv_nfields(const struct sv_csv *c)
{
    return c->nf;
}

unsigned long sv_csv_line(const struct sv_csv *c)
{
    return c->rec_line;
}

const char *sv_csv_name(const struct sv_csv *c)
{
    return c->name;
}

int sv_csv_delimiter(const struct sv_csv *c)
{
    return csv_get_delim((struct csv_parser *)&c->parser);
}

void sv_csv_progress(const struct sv_csv *c, uint64_t *done, uint64_t *total)
{
    *done = c->done;
    *total = c->total;
}

void sv_csv_free(struct sv_csv *c)
{
    if (!c)
        return;
    if (c->parser_live)
        csv_free(&c->parser);
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    if (c->own_fp)
        fclose(c->fp);
    free(c->buf);
    free(c->raw);
    free(c->fbuf);
    free(c->hdr);
    free(c->hdr_off);
    free(c->foff);
    free(c->flen);
    free(c->fptr);
    free(c);
}

enum sv_status sv_encoding_parse(const char *s, enum sv_encoding *out)
{
    char norm[32];

    if (sv_normalize_label(s, strlen(s), norm, sizeof norm) == (size_t)-1)
        return SV_ERR_USAGE;
    if (strcmp(norm, "auto") == 0)
        *out = SV_ENC_AUTO;
    else if (strcmp(norm, "utf-8") == 0 || strcmp(norm, "utf8") == 0)
        *out = SV_ENC_UTF8;
    else if (strcmp(norm, "gb18030") == 0 || strcmp(norm, "gbk") == 0 ||
             strcmp(norm, "gb2312") == 0 || strcmp(norm, "cp936") == 0)
        *out = SV_ENC_GB18030;
    else
        return SV_ERR_USAGE;
    return SV_OK;
}

void sv_csv_write_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    putc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', fp);
        putc(*s, fp);
    }
    putc('"', fp);
}
