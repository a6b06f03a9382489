/*
 * fonts.c — the font map every layout uses: the system's fonts, with the
 * desubroutinized Noto Sans CJK SC faces made by charts/fonts/make-fonts.sh
 * in place of the originals (see that script for the cairo bug they avoid).
 */
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chart-internal.h"

#ifndef SV_PKGDATADIR
#define SV_PKGDATADIR "/usr/local/share/survey-toolkit"
#endif

/* Where the faces may be, relative to the folder of the running program. */
static const char *const relative_dirs[] = {
    "../share/survey-toolkit/fonts", /* installed */
    "../build/fonts",                /* bin/ of the source tree */
    "../fonts",                      /* BUILD/bin of another build folder */
};

static int is_font_dir(const char *dir)
{
    char conf[PATH_MAX];
    int n = snprintf(conf, sizeof conf, "%s/fonts.conf", dir);

    return n > 0 && (size_t)n < sizeof conf && access(conf, R_OK) == 0;
}

/* Stores the font folder in DIR; returns 0 when there is none. */
static int find_font_dir(char *dir, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    size_t i;
    int n;

    if (len > 0) {
        exe[len] = '\0';
        slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        for (i = 0; i < sizeof relative_dirs / sizeof relative_dirs[0]; i++) {
            n = snprintf(dir, cap, "%s/%s", exe, relative_dirs[i]);
            if (n > 0 && (size_t)n < cap && is_font_dir(dir))
                return 1;
        }
    }
    n = snprintf(dir, cap, "%s/fonts", SV_PKGDATADIR);
    return n > 0 && (size_t)n < cap && is_font_dir(dir);
}

/* Adds every .otf file of DIR to CONFIG as an application font. */
static int add_faces(FcConfig *config, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[PATH_MAX];
    size_t len;
    int added = 0, n;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".otf") != 0)
            continue;
        n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n > 0 && (size_t)n < sizeof path &&
            FcConfigAppFontAddFile(config, (const FcChar8 *)path))
            added++;
    }
    closedir(d);
    return added;
}

/*
 * A fontconfig configuration: the system's, plus fonts.conf of DIR (which
 * rejects the original faces) and the faces of DIR.  NULL when any step
 * fails, so that the caller keeps the system's fonts as they are.
 */
static FcConfig *load_config(const char *dir)
{
    FcConfig *config = FcInitLoadConfig();
    char conf[PATH_MAX];
    int n = snprintf(conf, sizeof conf, "%s/fonts.conf", dir);

    if (!config)
        return NULL;
    if (n <= 0 || (size_t)n >= sizeof conf ||
        !FcConfigParseAndLoad(config, (const FcChar8 *)conf, FcTrue) ||
        !FcConfigBuildFonts(config) || add_faces(config, dir) == 0) {
        FcConfigDestroy(config);
        return NULL;
    }
    return config;
}

void sv_chart_fonts_init(void)
{
    static int done;
    char dir[PATH_MAX];
    FcConfig *config;
    PangoFontMap *map;

    if (done)
        return;
    done = 1;
    /*
     * Load the system's default configuration now: a new pango font map
     * starts a thread that does it in the background, and that thread
     * racing the drawing (and still running at exit) made SVG output
     * differ between two runs under valgrind.
     */
    FcInit();
    if (!find_font_dir(dir, sizeof dir))
        return;
    config = load_config(dir);
    if (!config)
        return;
    map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (map) {
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(map), config);
        pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(map));
        g_object_unref(map);
    }
    FcConfigDestroy(config);
}
