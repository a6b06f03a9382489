/*
 * survey-nps — Net Promoter Score with its interval per group x period,
 * change and trend, from normalised streams, cubes or raw files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_opt opts[] = {
    CLI_OPTS_KEYS,
    {CLI_OPT_COMPARE, "compare", NULL,
     "change since the previous period (z test;\n"
     "significant: p < {alpha})"},
    {CLI_OPT_TREND, "trend", NULL, "OLS trend of the NPS over the periods"},
    {'c', "codebook", "FILE",
     "inputs are raw questionnaires for this codebook"},
    CLI_OPTS_INPUT,
    CLI_OPTS_TABLE_OUTPUT,
    CLI_OPTS_END};

static const struct cli_tool tool = {
    "Usage: survey-nps [OPTION]... [FILE]...\n"
    "NPS per group x nps item from normalised streams, cubes (survey-score\n"
    "--freq output, merged by addition) or raw files (-c); stdin without\n"
    "FILE or -.\n",
    opts,
    "survey-import -c codebook.csv q3.csv q4.csv | survey-nps --by site "
    "--compare"};

struct options {
    struct cli_table_opts t;
    struct cli_inputs in;
};

static int own_option(void *ctx, int c, const char *arg)
{
    struct options *o = ctx;

    return cli_inputs_option(&o->in, c, arg);
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int st;

    st = cli_table_parse(argc, argv, &tool, &o->t, own_option, o);
    if (!st && o->t.trend && o->t.compare)
        return cli_usage("--trend prints its own table; use it alone");
    return st;
}

/* The NPS table (or trend) of CUBE, written a group at a time. */
static enum sv_status write_nps(const void *options, const void *cube,
                                const struct sv_table_output *out,
                                struct sv_error *err)
{
    const struct options *o = options;

    return sv_nps_write(cube, o->t.compare, o->t.trend, out, err);
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct sv_cube *cube = NULL;
    int status;

    cli_init(argv[0]);
    if ((status = parse_options(argc, argv, &o))) {
        cli_keys_release(&o.t.keys);
        return status;
    }
    status = cli_read_cube(&o.t.keys, &o.in, argv + optind, argc - optind,
                           &cube);
    if (!status)
        status = cli_table_stream(&o.t, write_nps, &o, cube);
    sv_cube_free(cube);
    cli_keys_release(&o.t.keys);
    return cli_finish(status);
}
