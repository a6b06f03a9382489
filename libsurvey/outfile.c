/*
 * outfile.c — where an output file is really written.  An ordinary file
 * is written to a temporary beside it and renamed into place, keeping the
 * mode and owner of the file it replaces; a symlink is followed, so the
 * file it points to is replaced and the link stays; a character device or
 * a FIFO (/dev/null, /dev/full, /dev/stdout, a named pipe) is written
 * directly, never replaced by a regular file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "survey.h"

/* Follows the symlinks of PATH (up to 40) into OUT: the file they name. */
static int resolve(const char *path, char *out, size_t cap)
{
    char link[PATH_MAX], next[PATH_MAX];
    struct stat st;

    if (snprintf(out, cap, "%s", path) >= (int)cap)
        return -1;
    for (int depth = 0; depth < 40; depth++) {
        ssize_t n;
        const char *slash;

        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return 0;
        if ((n = readlink(out, link, sizeof link - 1)) < 0)
            return -1;
        link[n] = '\0';
        slash = strrchr(out, '/');
        if (link[0] == '/' || !slash)
            n = snprintf(next, sizeof next, "%s", link);
        else
            n = snprintf(next, sizeof next, "%.*s/%s", (int)(slash - out),
                         out, link);
        if (n < 0 || (size_t)n >= sizeof next || (size_t)n >= cap)
            return -1;
        memcpy(out, next, (size_t)n + 1);
    }
    errno = ELOOP;
    return -1;
}

static int system_path(const char *p)
{
    return !strncmp(p, "/dev/", 5) || !strncmp(p, "/proc/", 6);
}

/* Opens F->final for writing in place (a device or a FIFO). */
static enum sv_status open_direct(struct sv_outfile *f, const char *path,
                                  struct sv_error *err)
{
    f->direct = 1;
    f->tmp[0] = '\0';
    f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY, 0666);
    if (f->fd < 0)
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "cannot open output: %s", strerror(errno));
    return SV_OK;
}

/* The new file gets the mode and owner of ST (the file it replaces). */
static void keep_mode(int fd, const struct stat *st, int exists)
{
    mode_t mask = umask(022);

    umask(mask);
    if (!exists) {
        (void)fchmod(fd, 0666 & ~mask);
        return;
    }
    if (fchown(fd, st->st_uid, st->st_gid) != 0)
        (void)fchown(fd, (uid_t)-1, st->st_gid);
    (void)fchmod(fd, st->st_mode & 07777);
}

enum sv_status sv_outfile_open(struct sv_outfile *f, const char *path,
                               struct sv_error *err)
{
    struct stat st;
    const char *slash;
    int exists;

    memset(f, 0, sizeof *f);
    f->fd = -1;
    if (resolve(path, f->final, sizeof f->final) != 0)
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "cannot resolve output: %s", strerror(errno));
    exists = stat(f->final, &st) == 0;
    if (system_path(path) || system_path(f->final)
        || (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))))
        return open_direct(f, path, err);
    if (exists && (S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode)))
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "refusing to write to a block device or socket");
    slash = strrchr(f->final, '/');
    if (snprintf(f->tmp, sizeof f->tmp, "%.*s.%s.tmpXXXXXX",
                 slash ? (int)(slash - f->final + 1) : 0, f->final,
                 slash ? slash + 1 : f->final) >= (int)sizeof f->tmp)
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "file name too long");
    if ((f->fd = mkstemp(f->tmp)) < 0) {
        f->tmp[0] = '\0';
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "cannot create output: %s", strerror(errno));
    }
    keep_mode(f->fd, &st, exists && S_ISREG(st.st_mode));
    return SV_OK;
}

enum sv_status sv_outfile_check(const struct sv_outfile *f, const char *path,
                                struct sv_error *err)
{
    struct stat st;

    if (!f->direct && stat(f->final, &st) == 0 && S_ISDIR(st.st_mode))
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "cannot rename output into place: %s",
                            strerror(EISDIR));
    return SV_OK;
}

enum sv_status sv_outfile_commit(struct sv_outfile *f, const char *path,
                                 struct sv_error *err)
{
    if (f->direct || !f->tmp[0])
        return SV_OK;
    if (rename(f->tmp, f->final) != 0) {
        int e = errno;
        sv_outfile_abort(f);
        return sv_error_set(err, SV_ERR_IO, path, 0, NULL,
                            "cannot rename output into place: %s",
                            strerror(e));
    }
    f->tmp[0] = '\0';
    return SV_OK;
}

void sv_outfile_abort(struct sv_outfile *f)
{
    if (!f->direct && f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = '\0';
}

int sv_same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    struct stat sa, sb;

    if (!strcmp(a, "-") || !strcmp(b, "-"))
        return 0;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev
               && sa.st_ino == sb.st_ino;
    /* neither exists yet (two outputs): the same path once resolved */
    return resolve(a, ra, sizeof ra) == 0 && resolve(b, rb, sizeof rb) == 0
           && !strcmp(ra, rb);
}
