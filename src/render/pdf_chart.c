/* pdf_chart.c — stacked bar charts with an optional target line. */
#include "render/pdf_chart.h"

#include <math.h>
#include <stdio.h>

#include "rules/money.h"

#define LEGEND_H 16.0
#define AXIS_W 40.0
#define LABEL_H 26.0

static const double palette[][3] = {
	{0.27, 0.47, 0.75}, {0.93, 0.55, 0.20}, {0.36, 0.66, 0.38}, {0.84, 0.30, 0.29},
	{0.56, 0.43, 0.72}, {0.55, 0.40, 0.33}, {0.88, 0.50, 0.70}, {0.50, 0.50, 0.50},
};
#define NPAL ((int)(sizeof palette / sizeof palette[0]))

double chart_axis_max(double max, int whole, int *ticks)
{
	if (!(max > 0)) {
		*ticks = 1;
		return 1;
	}
	double raw = max / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
	double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	if (whole && step < 1)
		step = 1;
	double n = ceil(max / step - 1e-9);
	if (n < 1)
		n = 1;
	*ticks = (int)n;
	return n * step;
}

static void set_colour(cairo_t *cr, int i)
{
	const double *c = palette[i % NPAL];
	cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

static void axis_label(char *buf, size_t n, double v, int percent)
{
	if (percent)
		snprintf(buf, n, "%.0f%%", v * 100);
	else if (v == floor(v))
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.1f", v);
}

static void legend(cairo_t *cr, const struct chart *c, double x, double y)
{
	for (int s = 0; s < c->nser && c->nser > 1; s++) {
		set_colour(cr, s);
		cairo_rectangle(cr, x, y + 3, 8, 8);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		x += 12 + pdf_text_at(cr, c->ser[s], 7.5, x + 11, y, 0) + 8;
	}
}

void pdf_chart_bars(struct pdf_doc *d, const struct chart *c, double h)
{
	double x0, y0, w;
	cairo_t *cr = pdf_area(d, h, &x0, &y0, &w);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	pdf_text_at(cr, c->title, 10, x0, y0, 0);
	double top = y0 + 16;
	legend(cr, c, x0 + AXIS_W, top);
	if (c->nser > 1)
		top += LEGEND_H;
	double px = x0 + AXIS_W, pw = w - AXIS_W, base = y0 + h - LABEL_H - 6, ph = base - top - 4;
	double max = c->target;
	for (int i = 0; i < c->ncat; i++) {
		double sum = 0;
		for (int s = 0; s < c->nser; s++)
			sum += fmax(0, c->v[i * c->nser + s]);
		max = fmax(max, sum);
	}
	int ticks;
	double amax = chart_axis_max(max, !c->percent, &ticks);
	char buf[32];
	cairo_set_line_width(cr, 0.4);
	for (int t = 0; t <= ticks; t++) {
		double v = amax * t / ticks, y = base - ph * v / amax;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, px, y);
		cairo_line_to(cr, px + pw, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		axis_label(buf, sizeof buf, v, c->percent);
		pdf_text_at(cr, buf, 7, px - 4, y - 5, 1);
	}
	double slot = c->ncat ? pw / c->ncat : pw, bw = fmin(slot * 0.6, 60);
	for (int i = 0; i < c->ncat; i++) {
		double bx = px + slot * i + (slot - bw) / 2, y = base, sum = 0;
		for (int s = 0; s < c->nser; s++) {
			double v = fmax(0, c->v[i * c->nser + s]), bh = ph * v / amax;
			set_colour(cr, c->nser > 1 ? s : i);
			cairo_rectangle(cr, bx, y - bh, bw, bh);
			cairo_fill(cr);
			y -= bh;
			sum += v;
		}
		cairo_set_source_rgb(cr, 0, 0, 0);
		if (c->percent)
			snprintf(buf, sizeof buf, "%.1f%%", sum * 100);
		else if (c->money)
			money_format_fen(llround(sum * 100), buf); /* RULE money.exact_files */
		else
			axis_label(buf, sizeof buf, sum, 0);
		pdf_text_at(cr, buf, 7, bx + bw / 2, y - 10, 2);
		pdf_text_box(cr, c->cat[i], 7, px + slot * i + 1, base + 3, slot - 2, 1);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, px, top);
	cairo_line_to(cr, px, base);
	cairo_line_to(cr, px + pw, base);
	cairo_stroke(cr);
	if (c->target > 0) {
		double y = base - ph * c->target / amax, dash[] = {4, 3};
		cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, px, y);
		cairo_line_to(cr, px + pw, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		if (c->target_label)
			pdf_text_at(cr, c->target_label, 7.5, px + pw, y - 11, 1);
	}
	cairo_restore(cr);
}
