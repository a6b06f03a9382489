/*
 * cli.c — the only place that prints messages or decides exit codes.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *prog = "survey";
static char tmp_path[4096];
static char final_path[4096];
static volatile sig_atomic_t have_tmp;

static void on_signal(int sig)
{
    if (have_tmp)
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_init(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

    prog = slash ? slash + 1 : argv0 ? argv0 : prog;
    gsl_set_error_handler_off();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}

const char *cli_name(void)
{
    return prog;
}

void cli_msg(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    putc('\n', stderr);
}

/* Replaces newlines so that every message stays on one line. */
static void one_line(const char *s, char *out, size_t cap)
{
    size_t i = 0;

    for (; *s && i + 1 < cap; s++)
        out[i++] = (*s == '\n' || *s == '\r') ? ' ' : *s;
    out[i] = '\0';
}

int cli_error(const struct sv_error *err)
{
    char msg[SV_ERR_MSG_MAX], where[SV_ERR_FILE_MAX + 32] = "";
    char col[SV_ERR_COLUMN_MAX + 16] = "";

    one_line(err->msg, msg, sizeof msg);
    if (err->file[0] && err->line)
        snprintf(where, sizeof where, "%s:%lu: ", err->file, err->line);
    else if (err->file[0])
        snprintf(where, sizeof where, "%s: ", err->file);
    if (err->column[0]) {
        char c[SV_ERR_COLUMN_MAX];
        one_line(err->column, c, sizeof c);
        snprintf(col, sizeof col, "column %s: ", c);
    }
    cli_msg("%s%s%s", where, col, msg);
    return err->code == SV_ERR_USAGE ? CLI_USAGE : CLI_DATA;
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
    return CLI_USAGE;
}

void cli_version(void)
{
    printf("%s (survey toolkit) %s\n", prog, SV_VERSION);
}

FILE *cli_output_open(const char *path)
{
    const char *slash;
    int fd;
    FILE *fp;

    if (!path || strcmp(path, "-") == 0)
        return stdout;
    slash = strrchr(path, '/');
    if (snprintf(final_path, sizeof final_path, "%s", path) >=
            (int)sizeof final_path ||
        snprintf(tmp_path, sizeof tmp_path, "%.*s.%s.tmpXXXXXX",
                 slash ? (int)(slash - path + 1) : 0, path,
                 slash ? slash + 1 : path) >= (int)sizeof tmp_path) {
        cli_msg("%s: file name too long", path);
        return NULL;
    }
    fd = mkstemp(tmp_path);
    if (fd < 0) {
        cli_msg("%s: cannot create output: %s", path, strerror(errno));
        return NULL;
    }
    have_tmp = 1;
    fchmod(fd, 0644 & ~umask(umask(0)));
    fp = fdopen(fd, "w");
    if (!fp) {
        cli_msg("%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp_path);
        have_tmp = 0;
    }
    return fp;
}

int cli_output_commit(FILE *fp, int ok)
{
    int bad;

    if (fp == stdout)
        return 0;
    bad = ferror(fp) | (fflush(fp) != 0) | (fsync(fileno(fp)) != 0 && errno != EINVAL);
    bad |= fclose(fp) != 0;
    if (bad && ok)
        cli_msg("%s: write error: %s", final_path, strerror(errno));
    if (ok && !bad && rename(tmp_path, final_path) != 0) {
        cli_msg("%s: cannot rename output into place: %s", final_path,
                strerror(errno));
        bad = 1;
    }
    if (!ok || bad)
        unlink(tmp_path);
    have_tmp = 0;
    return bad;
}

int cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            cli_msg("write error: %s", strerror(errno));
        return CLI_DATA;
    }
    return status;
}

int cli_parse_format(const char *s)
{
    static const char *const names[] = {"csv", "tsv", "json", "table"};

    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int cli_parse_delimiter(const char *s)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
        return '\t';
    if (strlen(s) == 1 && (s[0] == ',' || s[0] == ';' || s[0] == '\t' ||
                           s[0] == '|'))
        return s[0];
    return 0;
}
