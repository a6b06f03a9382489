/*
 * chart-cairo.h — drawing a chart model on any cairo_t (layer 2).
 *
 * Separate from chart.h so that tools that only build models and write
 * files never see cairo.
 */
#ifndef SV_CHART_CAIRO_H
#define SV_CHART_CAIRO_H

#include <cairo.h>

#include "chart.h"

/*
 * Draws CHART into the box X, Y, WIDTH, HEIGHT (user units, normally
 * points) of CR, on a white background.  The state of CR is saved and
 * restored.  Returns SV_CHART_OK, SV_CHART_EINVAL for a model that cannot
 * be drawn, or SV_CHART_ECAIRO when CR is in an error state afterwards;
 * a message goes to ERR.
 */
int sv_chart_draw(const struct sv_chart *CHART, cairo_t *CR, double X,
                  double Y, double WIDTH, double HEIGHT, struct sv_error *ERR);

#endif /* SV_CHART_CAIRO_H */
