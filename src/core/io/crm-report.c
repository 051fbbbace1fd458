/* crm-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-report.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "crm-charts.h"
#include "crm-format.h"
#include "crm-output-file.h"

/* A4 in PostScript points. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 48.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)

static void
footer (cairo_t                *cr,
        const CrmDashboardData *data,
        int                     page)
{
  g_autofree char *text = g_strdup_printf (_("Page %d of %d"), page, CRM_REPORT_N_PAGES);
  g_autofree char *date = crm_format_date (data->now);

  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  crm_chart_text (cr, text, PAGE_W - MARGIN, PAGE_H - MARGIN + 14, 8.5, FALSE, 1.0, 0);
  crm_chart_text (cr, date, MARGIN, PAGE_H - MARGIN + 14, 8.5, FALSE, 0, 0);
}

static double
heading (cairo_t    *cr,
         const char *text,
         double      y)
{
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  return y + crm_chart_text (cr, text, MARGIN, y, 14, TRUE, 0, CONTENT_W) + 8;
}

typedef void (*ChartFunc) (cairo_t *, double, double, const CrmDashboardData *);

static double
chart (cairo_t                *cr,
       ChartFunc               draw,
       const CrmDashboardData *data,
       double                  y,
       double                  h)
{
  cairo_save (cr);
  cairo_translate (cr, MARGIN, y);
  draw (cr, CONTENT_W, h, data);
  cairo_restore (cr);
  return y + h + 18;
}

static void
kpi_tile (cairo_t    *cr,
          double      x,
          double      y,
          double      w,
          const char *label,
          const char *value)
{
  cairo_set_source_rgb (cr, 0.95, 0.96, 0.98);
  cairo_rectangle (cr, x, y, w - 8, 54);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  crm_chart_text (cr, label, x + 8, y + 7, 9, FALSE, 0, w - 24);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  crm_chart_text (cr, value, x + 8, y + 23, 17, TRUE, 0, w - 24);
}

static char *
percent (double fraction)
{
  return g_strdup_printf ("%.1f%%", 100 * fraction);
}

static double
customer_table (cairo_t                *cr,
                const CrmDashboardData *data,
                GArray                 *rows,
                double                  y,
                const char             *empty)
{
  const double col[] = { 0, 140, 228, 272, 340, 440 };
  const char *titles[] = { _("Customer"), _("Total spent"), _("Orders"), _("Last order"),
                           _("Predicted value"), _("P(alive)") };
  const double row_h = 17;

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  for (guint c = 0; c < G_N_ELEMENTS (col); c++)
    crm_chart_text (cr, titles[c], MARGIN + col[c], y, 8.5, TRUE, 0,
                    (c + 1 < G_N_ELEMENTS (col) ? col[c + 1] : CONTENT_W) - col[c] - 4);
  y += row_h;
  cairo_set_source_rgb (cr, 0.7, 0.7, 0.7);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN, y - 2);
  cairo_line_to (cr, MARGIN + CONTENT_W, y - 2);
  cairo_stroke (cr);

  if (rows->len == 0)
    {
      cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      return y + crm_chart_text (cr, empty, MARGIN, y + 2, 9, FALSE, 0, CONTENT_W) + 10;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const CrmDashboardCustomer *r = &g_array_index (rows, CrmDashboardCustomer, i);
      g_autofree char *spent = crm_format_money (r->total_spent, data->currency);
      g_autofree char *orders = crm_format_count (r->orders);
      g_autofree char *last = crm_format_date (r->last_order_at);
      g_autofree char *clv = r->clv >= 0 ? crm_format_money (r->clv, data->currency) : g_strdup ("—");
      g_autofree char *alive = r->p_alive >= 0 ? percent (r->p_alive) : g_strdup ("—");
      const char *cells[] = { r->name, spent, orders, last ? last : "", clv, alive };

      if (i % 2 == 1)
        {
          cairo_set_source_rgb (cr, 0.96, 0.96, 0.96);
          cairo_rectangle (cr, MARGIN, y - 1, CONTENT_W, row_h);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      for (guint c = 0; c < G_N_ELEMENTS (col); c++)
        crm_chart_text (cr, cells[c], MARGIN + col[c], y + 1, 9, FALSE, 0,
                        (c + 1 < G_N_ELEMENTS (col) ? col[c + 1] : CONTENT_W) - col[c] - 4);
      y += row_h;
    }
  return y + 10;
}

static void
draw_page_a4 (cairo_t                *cr,
              const CrmDashboardData *data,
              int                     page)
{
  double y;

  switch (page)
    {
    case 1: /* KPIs and revenue. */
      {
        g_autofree char *date = crm_format_date_time (data->now);
        g_autofree char *generated = g_strdup_printf (_("Generated %s"), date);
        g_autofree char *subtitle = g_strdup_printf ("%s · %s", crm_dashboard_period_get_label (data->period),
                                                     generated);

        cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
        y = MARGIN;
        y += crm_chart_text (cr, _("Customer report"), MARGIN, y, 24, TRUE, 0, CONTENT_W) + 2;
        cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
        y += crm_chart_text (cr, subtitle, MARGIN, y, 10, FALSE, 0, CONTENT_W) + 18;
      }
      if (data->sales_stale)
        {
          cairo_set_source_rgb (cr, 0.7, 0.35, 0);
          y += crm_chart_text (cr, _("Sales figures were computed before the latest orders."),
                               MARGIN, y, 9, FALSE, 0, CONTENT_W) + 8;
        }

      y = heading (cr, _("Key figures"), y);
      {
        g_autofree char *customers = crm_format_count (data->customers);
        g_autofree char *active = crm_format_count (data->active);
        g_autofree char *fresh = crm_format_count (data->new_this_month);
        g_autofree char *repeat = percent (data->repeat_rate);
        g_autofree char *revenue = crm_format_money (data->revenue_30_days, data->currency);
        g_autofree char *clv = data->scored > 0 ? crm_format_money ((gint64) llround (data->average_clv), data->currency)
                                                : g_strdup ("—");
        const char *labels[] = { _("Customers"), _("Active in period"), _("New this month"),
                                 _("Repeat rate"), _("Revenue, last 30 days"), _("Average CLV") };
        const char *values[] = { customers, active, fresh, repeat, revenue, clv };
        double tile_w = CONTENT_W / 3 + 8 / 3.0;

        for (guint i = 0; i < 6; i++)
          kpi_tile (cr, MARGIN + (i % 3) * tile_w, y + (i / 3) * 62, tile_w, labels[i], values[i]);
        y += 2 * 62 + 16;
      }

      y = heading (cr, _("Revenue"), y);
      chart (cr, crm_chart_draw_revenue, data, y, 250);
      break;

    case 2: /* Tiers, lifecycle, RFM. */
      y = heading (cr, _("Customers by tier"), MARGIN);
      y = chart (cr, crm_chart_draw_tiers, data, y, 130);
      y = heading (cr, _("Lifecycle funnel"), y);
      y = chart (cr, crm_chart_draw_lifecycle, data, y, 180);
      y = heading (cr, _("RFM segments"), y);
      chart (cr, crm_chart_draw_rfm_grid, data, y, 300);
      break;

    case 3: /* Forecast and top customers. */
      y = heading (cr, _("Category forecast"), MARGIN);
      cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
      y += crm_chart_text (cr, _("Monthly revenue of the five largest categories; dashed: the next three months "
                                 "by Holt's linear trend."), MARGIN, y, 8.5, FALSE, 0, CONTENT_W) + 6;
      y = chart (cr, crm_chart_draw_forecast, data, y, 260);
      y = heading (cr, _("Top customers"), y);
      customer_table (cr, data, data->top_customers, y, _("No customer has ordered yet."));
      break;

    case 4: /* Valuable customers at risk. */
      y = heading (cr, _("Valuable customers at risk"), MARGIN);
      cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
      y += crm_chart_text (cr, _("Predicted value among the top 20% and a probability of still being a customer "
                                 "below 50%: worth a call."), MARGIN, y, 8.5, FALSE, 0, CONTENT_W) + 8;
      customer_table (cr, data, data->at_risk, y,
                      data->scored > 0 ? _("Nobody valuable is at risk.")
                                       : _("Customer values have not been computed yet."));
      break;

    default:
      g_return_if_reached ();
    }
  footer (cr, data, page);
}

void
crm_report_draw_page (cairo_t                *cr,
                      const CrmDashboardData *data,
                      int                     page,
                      double                  width,
                      double                  height)
{
  double scale;

  g_return_if_fail (cr != NULL && data != NULL);
  g_return_if_fail (page >= 1 && page <= CRM_REPORT_N_PAGES);

  /* The layout is A4: scaled to fit, centred horizontally, top-aligned. */
  scale = MIN (width / PAGE_W, height / PAGE_H);
  cairo_save (cr);
  cairo_translate (cr, (width - PAGE_W * scale) / 2, 0);
  cairo_scale (cr, scale, scale);
  draw_page_a4 (cr, data, page);
  cairo_restore (cr);
}

/* cairo writes the PDF through this; the first error is kept and the rest skipped. */
typedef struct
{
  GOutputStream *stream;
  GError        *error;
} PdfSink;

static cairo_status_t
pdf_write (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  PdfSink *sink = closure;

  if (sink->error == NULL &&
      g_output_stream_write_all (sink->stream, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_SUCCESS;
  return CAIRO_STATUS_WRITE_ERROR;
}

gboolean
crm_report_write_pdf_pages (const char         *path,
                            const char         *title,
                            double              width,
                            double              height,
                            int                 n_pages,
                            CrmReportPageFunc   draw,
                            gpointer            user_data,
                            GError            **error)
{
  g_autoptr(CrmOutputFile) file = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  PdfSink sink = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  /* Through a CrmOutputFile, into the stream: no name beside @path that a link could redirect. */
  if (!(file = crm_output_file_new (path, error)))
    return FALSE;
  buffered = g_buffered_output_stream_new_sized (crm_output_file_get_stream (file), 64 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  sink.stream = buffered;

  surface = cairo_pdf_surface_create_for_stream (pdf_write, &sink, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Clientele");
  cr = cairo_create (surface);

  for (int page = 1; page <= n_pages; page++)
    {
      draw (cr, page, user_data);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error == NULL && status == CAIRO_STATUS_SUCCESS &&
      g_output_stream_flush (buffered, NULL, &sink.error) &&
      crm_output_file_commit (file, NULL, &sink.error))
    return TRUE;

  if (sink.error != NULL)
    g_propagate_error (error, sink.error);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("Cannot write the report to “%s”: %s"), path, cairo_status_to_string (status));
  return FALSE;
}

static void
draw_dashboard_page (cairo_t  *cr,
                     int       page,
                     gpointer  data)
{
  draw_page_a4 (cr, data, page);
}

gboolean
crm_report_write_pdf_for_data (const CrmDashboardData *data,
                               const char             *path,
                               GError                **error)
{
  return crm_report_write_pdf_pages (path, _("Customer report"), PAGE_W, PAGE_H, CRM_REPORT_N_PAGES,
                                     draw_dashboard_page, (gpointer) data, error);
}

gboolean
crm_report_write_pdf (CrmStore            *store,
                      CrmDashboardPeriod   period,
                      const char          *path,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(CrmDashboardData) data = NULL;

  if (crm_sales_is_stale (store) && !crm_sales_refresh (store, NULL, NULL, cancellable, error))
    return FALSE;
  if (!(data = crm_dashboard_data_load (store, period, 0, 20, cancellable, error)))
    return FALSE;
  return crm_report_write_pdf_for_data (data, path, error);
}
