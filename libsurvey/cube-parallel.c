/*
 * cube-parallel.c — one large raw file counted by several threads: byte
 * ranges cut at record starts, each counted into its own cube, the cubes
 * then added.  Whenever that cannot be done (a cut inside a record, a bad
 * row, a workbook) it says "fall back", and the file is read in one
 * thread, whose results and messages are the reference.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cube-internal.h"

/* --- reading one raw file with several threads ------------------------- */

#define PAR_MIN_BYTES (4u << 20) /* smaller files are read in one thread */
#define PAR_MAX_JOBS 64

struct job {
    struct sv_cube *cube;
    struct sv_source *src;
    struct sv_import *imp;
    const struct sv_codebook *cb;
    const struct sv_import *like;
    enum sv_status st;
    struct sv_error err;
};

static void *run_job(void *arg)
{
    struct job *j = arg;

    j->st = sv_cube_read_rows(j->cube, j->src, j->cb, j->imp, j->like, &j->err);
    return NULL;
}

/*
 * Offset of a line start after POS in FD, or 0.  A line start between two
 * lines without quotes is preferred: it is almost surely a record start
 * (the reader checks it, and reads the file in one thread if not).
 */
static uint64_t cut_after(int fd, uint64_t pos)
{
    char buf[1 << 16];
    ssize_t n = pread(fd, buf, sizeof buf, (off_t)pos);
    char *end = buf + (n > 0 ? n : 0);
    char *a = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL, *b, *c;

    if (!a)
        return 0;
    for (b = a; (c = memchr(b + 1, '\n', (size_t)(end - b - 1))); a = b, b = c)
        if (b > a && !memchr(a, '"', (size_t)(c - a)))
            return pos + (uint64_t)(b - buf) + 1;
    return pos + (uint64_t)(a - buf) + 1;
}

/* A workbook is read in one thread: its rows are inside a zip part. */
static int is_workbook(int fd)
{
    unsigned char head[8];
    ssize_t n = pread(fd, head, sizeof head, 0);

    return n > 0 && sv_source_sniff(head, (size_t)n) != SV_SOURCE_CSV;
}

/* Cuts PATH into up to JOBS ranges at line starts; returns how many. */
static int cut_file(const char *path, int jobs, uint64_t *cut)
{
    struct stat st;
    int fd = open(path, O_RDONLY), n = 1;

    if (fd < 0)
        return 1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size < PAR_MIN_BYTES || is_workbook(fd)) {
        close(fd);
        return 1;
    }
    cut[0] = 0;
    for (int k = 1; k < jobs; k++) {
        uint64_t at = cut_after(fd, (uint64_t)st.st_size / (uint64_t)jobs * k);
        if (at > cut[n - 1] && at < (uint64_t)st.st_size)
            cut[n++] = at;
    }
    cut[n] = (uint64_t)st.st_size;
    close(fd);
    return n;
}

/* True when some item of T is defined differently in C (see define_level). */
static int clashes(const struct sv_cube *c, const struct sv_cube *t)
{
    for (size_t i = 0; i < t->nitems; i++)
        for (size_t k = 0; k < c->nitems; k++) {
            const struct item *a = &t->items[i], *b = &c->items[k];
            if (a->role != b->role || strcmp(a->label, b->label) ||
                strcmp(a->scale, b->scale))
                continue;
            for (int s = 0; s < SLOTS; s++)
                if (a->lv[s].set && b->lv[s].set &&
                    (strcmp(a->lv[s].label, b->lv[s].label) ||
                     !sv_near(a->lv[s].score, b->lv[s].score) ||
                     a->lv[s].sat != b->lv[s].sat))
                    return 1;
        }
    return 0;
}

/* True when the multi-select options of C and the jobs' cubes fit. */
static int multi_fits(const struct sv_cube *c, const struct job *j, int n)
{
    const struct sv_cube *x[PAR_MAX_JOBS + 1];

    x[0] = c;
    for (int k = 0; k < n; k++)
        x[k + 1] = j[k].cube;
    return sv_cube_multi_fits(x, (size_t)n + 1);
}

/* Maps item I of T to an item of C, defining its levels there. */
static int merge_item(struct sv_cube *c, const struct sv_cube *t, size_t i,
                      long *to)
{
    const struct item *it = &t->items[i];

    *to = sv_cube_item_of(c, it->label, it->role, it->scale);
    if (*to < 0)
        return -1;
    for (int s = 1; s < SLOTS; s++)
        if (it->lv[s].set &&
            sv_cube_define_level(c, (size_t)*to, s - 1, it->lv[s].label,
                         it->lv[s].score, it->lv[s].sat))
            return -1;
    return 0;
}

/* Adds sums DIM of FROM (-1: totals) to sums TO_DIM of TO. */
static int merge_dim(const struct sv_cube *c, struct group *to, long to_dim,
                     const struct group *from, long dim)
{
    int st = SUM_OK;

    sums_of(to, to_dim)->pn += dim >= 0 ? from->sums[dim].pn : 0;
    sums_of(to, to_dim)->an += dim >= 0 ? from->sums[dim].an : from->total.an;
    for (int f = 0; f < S_N; f++)
        st |= sum_add_wide(c, to, to_dim, f, sv_cube_sum(from, dim, f));
    return st;
}

/*
 * Adds the sums of group FROM of T to TO, items mapped by MAP: 0, -1 on
 * no memory, 1 when a sum overflows.
 */
static int merge_sums(const struct sv_cube *c, struct group *to,
                      const struct sv_cube *t, const struct group *from,
                      const long *map)
{
    int st = SUM_OK;

    for (size_t i = 0; i < t->nitems; i++)
        if (t->items[i].dim >= 0)
            st |= merge_dim(c, to, c->items[map[i]].dim, from,
                            t->items[i].dim);
    st |= merge_dim(c, to, -1, from, -1);
    return st & SUM_NOMEM ? -1 : st ? 1 : 0;
}

/* Adds group G of T to C, items mapped by MAP: 0, -1 on no memory, 1 when
 * a sum overflows. */
static int merge_group(struct sv_cube *c, const struct sv_cube *t, size_t g,
                       const long *map)
{
    const struct group *from = &t->groups[g];
    size_t need = strlen(from->joined) + 1;
    long to;

    if (need > c->key_cap) {
        char *k = realloc(c->key, need);
        if (!k)
            return -1;
        c->key = k;
        c->key_cap = need;
    }
    memcpy(c->key, from->joined, need);
    if ((to = sv_cube_group_of(c)) < 0)
        return -1;
    c->groups[to].responses += from->responses;
    for (size_t i = 0; i < t->nitems; i++)
        for (size_t s = 0; s < t->items[i].nslot; s++)
            counts_of(c, &c->groups[to], (size_t)map[i])[s] +=
                counts_of(t, from, i)[s];
    if (sv_cube_multi_merge(c, (size_t)to, t, from))
        return -1; /* sv_cube_multi_fits was checked: no memory */
    return merge_sums(c, &c->groups[to], t, from, map);
}

/* Adds the counts of T to C: 0, -1 on no memory, 1 when a sum overflows. */
static int merge(struct sv_cube *c, const struct sv_cube *t)
{
    long *map = calloc(t->nitems + 1, sizeof *map);
    int r = map ? 0 : -1;

    for (size_t i = 0; !r && i < t->nitems; i++)
        r = merge_item(c, t, i, &map[i]);
    for (size_t m = 0; !r && m < sv_cube_nmulti(t); m++)
        r = sv_cube_multi_of(c, t->multi[m].label, t->multi[m].scale) < 0
                ? -1 : 0;
    for (size_t g = 0; !r && g < t->ngroups; g++)
        r = merge_group(c, t, g, map);
    free(map);
    return r;
}

/* What the threaded reader did: its own answer, never an sv_status. */
enum par_result {
    PAR_DONE,      /* the file is counted into the cube */
    PAR_FALL_BACK, /* nothing was counted: read the file in one thread */
    PAR_FAILED     /* ERR says why (no memory, or a sum overflowed, while
                      adding the cubes up) */
};

/*
 * Opens range K of the file and an importer for it; range 0 reads the
 * header into HDR, which the others copy.  Returns 0, or -1 when the file
 * must be read in one thread (which then reports any error itself).
 */
static int open_job(struct job *j, const struct sv_cube *c,
                               const char *path, struct sv_source_options o,
                               const uint64_t *cut, int k,
                               struct sv_import **hdr,
                               enum sv_import_flags flags, struct sv_error *err)
{
    if (k > 0) {
        o.csv.encoding = SV_ENC_UTF8;
        o.csv.delimiter = sv_source_delimiter(j[-k].src);
    }
    j->cube = sv_cube_new((const char *const *)c->dims, c->ndims, c->period,
                          err);
    j->src = j->cube ? sv_source_open_range(path, &o, cut[k], cut[k + 1], err)
                     : NULL;
    j->imp = j->src ? sv_import_new(j->cb, flags | SV_IMPORT_NO_TEXT, err)
                    : NULL;
    if (!j->imp)
        return -1;
    if (k > 0)
        return 0;
    if (sv_source_encoding(j->src) != SV_ENC_UTF8 ||
        !(*hdr = sv_import_new(j->cb, flags, err)) ||
        sv_import_header(*hdr, j->src, err) != SV_OK)
        return -1;
    return 0;
}

static void close_jobs(struct job *j, int n)
{
    for (int k = 0; k < n; k++) {
        sv_cube_free(j[k].cube);
        sv_source_free(j[k].src);
        sv_import_free(j[k].imp);
    }
}

/*
 * Counts the ranges of PATH in N threads and adds them to C.  Any error
 * of a range, a cut that was not a record start, or levels that clash
 * make it fall back before anything is added.
 */
static enum par_result read_parallel(struct sv_cube *c, const char *path,
                                    const struct sv_source_options *opts,
                                    const struct sv_codebook *cb,
                                    enum sv_import_flags flags,
                                    const uint64_t *cut, int n,
                                    struct sv_error *err)
{
    struct job j[PAR_MAX_JOBS] = {{0}};
    pthread_t th[PAR_MAX_JOBS];
    struct sv_import *hdr = NULL;
    struct sv_source_options o = opts ? *opts
                                      : (struct sv_source_options){{0}, 0};
    enum par_result r = PAR_DONE;
    int started = 0;

    for (int k = 0; k < n && r == PAR_DONE; k++) {
        j[k].cb = cb;
        if (open_job(&j[k], c, path, o, cut, k, &hdr, flags, err))
            r = PAR_FALL_BACK;
        j[k].like = hdr;
    }
    for (int k = 1; k < n && r == PAR_DONE; k++) {
        if (pthread_create(&th[k], NULL, run_job, &j[k]) != 0)
            r = PAR_FALL_BACK;
        else
            started = k;
    }
    if (r == PAR_DONE)
        run_job(&j[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(th[k], NULL);
    for (int k = 0; k < n && r == PAR_DONE; k++)
        if (j[k].st || clashes(c, j[k].cube))
            r = PAR_FALL_BACK;
    if (r == PAR_DONE && !multi_fits(c, j, n))
        r = PAR_FALL_BACK; /* which then names the option one too many */
    for (int k = 0; k < n && r == PAR_DONE; k++) {
        int m = merge(c, j[k].cube);
        if (m) {
            if (m > 0)
                sum_overflow(err, path, 0);
            else
                nomem(err);
            r = PAR_FAILED;
        }
    }
    close_jobs(j, n);
    sv_import_free(hdr);
    return r;
}

enum sv_status sv_cube_read_file(struct sv_cube *c, const char *path,
                                 const struct sv_source_options *opts,
                                 const struct sv_codebook *cb,
                                 enum sv_import_flags flags, int jobs,
                                 struct sv_error *err)
{
    uint64_t cut[PAR_MAX_JOBS + 1];
    int n = 1;
    struct sv_source *src;
    enum sv_status st;

    if (jobs > PAR_MAX_JOBS)
        jobs = PAR_MAX_JOBS;
    if (jobs > 1 && cb && path && strcmp(path, "-") != 0 &&
        !sv_codebook_is_register(cb) &&
        (!opts || opts->csv.encoding != SV_ENC_GB18030))
        n = cut_file(path, jobs, cut);
    switch (n > 1 ? read_parallel(c, path, opts, cb, flags, cut, n, err)
                  : PAR_FALL_BACK) {
    case PAR_DONE:
        return SV_OK;
    case PAR_FAILED:
        return err ? err->code : SV_ERR_NOMEM;
    case PAR_FALL_BACK:
        break;
    }
    if (!cb) {
        struct sv_csv *csv = sv_csv_open(path, NULL, opts ? &opts->csv : NULL,
                                         err);
        if (!csv)
            return err ? err->code : SV_ERR_IO;
        st = sv_cube_read(c, csv, NULL, flags, err);
        sv_csv_free(csv);
        return st;
    }
    if (!(src = sv_source_open(path, NULL, opts, err)))
        return err ? err->code : SV_ERR_IO;
    st = sv_cube_read_raw(c, src, cb, flags, err);
    sv_source_free(src);
    return st;
}
