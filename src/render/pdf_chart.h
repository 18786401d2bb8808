/* pdf_chart.h — bar charts drawn with cairo into a pdf_doc. */
#ifndef BANGFU_PDF_CHART_H
#define BANGFU_PDF_CHART_H

#include "render/pdf_doc.h"

/* A bar chart: one bar per category, stacked from nser series (a legend
 * names them when nser > 1), values v[cat * nser + ser] (negative values
 * count as 0).  target > 0 draws a dashed line at that value, labelled
 * target_label.  percent: values are ratios, the axis reads 0–100 %. */
struct chart {
	const char *title;
	int ncat, nser;
	const char *const *cat;
	const char *const *ser;
	const double *v;
	double target;
	const char *target_label;
	int percent;
	int money;    /* values are yuan (fen / 100): bars are labelled with all their fen */
};

/* Draws the chart `h` points high across the text width at the cursor. */
void pdf_chart_bars(struct pdf_doc *d, const struct chart *c, double h);

/* Pure (unit-tested): the axis top for data whose largest value is `max`:
 * the smallest multiple of a "nice" step (1, 2 or 5 × 10^k; at least 1
 * when whole is set, for counts) that is >= max; *ticks gets the number of
 * steps (1–10).  max <= 0 gives 1 with one tick (an empty chart still has
 * an axis). */
double chart_axis_max(double max, int whole, int *ticks);

#endif
