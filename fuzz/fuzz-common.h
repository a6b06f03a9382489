/*
 * fuzz-common.h — helpers shared by the libFuzzer harnesses: turning the
 * input bytes into a FILE (fmemopen) or a path (memfd) for the library.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "survey.h"

/*
 * A read-only FILE over a copy of DATA (fmemopen needs a non-empty
 * buffer, so an empty input becomes an empty file via "r" on size 0).
 */
static FILE *fuzz_file(const unsigned char *data, size_t size, char **copy)
{
    *copy = malloc(size ? size : 1);
    if (!*copy)
        return NULL;
    if (size)
        memcpy(*copy, data, size);
    return size ? fmemopen(*copy, size, "r") : fopen("/dev/null", "r");
}

/*
 * Writes DATA into an anonymous memory file and returns its path
 * (/proc/self/fd/N) in PATH; returns the descriptor, -1 on failure.
 */
static int fuzz_memfd(const char *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create("fuzz", 0);

    if (fd < 0)
        return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

/* Options chosen by the first input byte: encoding and delimiter. */
static struct sv_csv_options fuzz_options(unsigned char b)
{
    static const int delims[] = {0, ',', ';', '\t'};
    struct sv_csv_options o = {0};

    o.encoding = (enum sv_encoding)(b % 3);
    o.delimiter = delims[(b / 3) % 4];
    if (b & 0x80) {
        /* small limits reach the limit paths without huge inputs */
        o.max_field = 64;
        o.max_fields = 8;
    }
    return o;
}

#endif
