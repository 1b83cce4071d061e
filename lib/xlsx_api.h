/*
 * libxlsxwriter, loaded when the first workbook is written (xlsx_api.c).
 *
 * Linked into the library, libxlsxwriter brought libcrypto, libminizip and
 * zlib into every process that uses gpubudget, and loading them was about
 * 3.7 ms of each start (dlopen of libxlsxwriter.so.4 in a process with the
 * library's other dependencies: 3.5-4.3 ms; 2026-12-05), whether it wrote
 * a workbook or not. Only the writers of workbooks (report_xlsx.c,
 * report_whatif.c) call it: they include this header after <xlsxwriter.h>,
 * which turns each call below into one through the table the loader
 * fills, and gpb__xlsx_out_begin loads it before any.
 *
 * The list: every libxlsxwriter function the library calls. A function
 * missing here fails to link (the library is linked with no undefined
 * symbols), so it cannot be forgotten.
 */
#ifndef GPB_XLSX_API_H
#define GPB_XLSX_API_H

#include <xlsxwriter.h>

#include "internal.h"

#define GPB__XLSX_FUNCTIONS(X)                                             \
    X(workbook_new)                                                        \
    X(workbook_new_opt)                                                    \
    X(workbook_add_worksheet)                                              \
    X(workbook_add_format)                                                 \
    X(workbook_add_chart)                                                  \
    X(workbook_set_properties)                                             \
    X(workbook_close)                                                      \
    X(worksheet_set_column)                                                \
    X(worksheet_write_string)                                              \
    X(worksheet_write_number)                                              \
    X(worksheet_insert_chart)                                              \
    X(worksheet_insert_chart_opt)                                          \
    X(worksheet_freeze_panes)                                              \
    X(format_set_num_format)                                               \
    X(format_set_bold)                                                     \
    X(format_set_text_wrap)                                                \
    X(chart_add_series)                                                    \
    X(chart_series_set_values)                                             \
    X(chart_series_set_categories)                                         \
    X(chart_series_set_name)                                               \
    X(chart_series_set_name_range)                                         \
    X(chart_series_set_fill)                                               \
    X(chart_series_set_line)                                               \
    X(chart_series_set_marker_type)                                        \
    X(chart_axis_set_name)                                                 \
    X(chart_axis_set_num_format)                                           \
    X(chart_axis_set_label_position)                                       \
    X(chart_title_set_name)                                                \
    X(chart_set_series_overlap)                                            \
    X(chart_set_series_gap)                                                \
    X(chart_legend_set_position)                                           \
    X(chart_legend_delete_series)                                          \
    X(lxw_strerror)

typedef struct gpb__xlsx_api {
#define GPB__XLSX_MEMBER(f) __typeof__(f) *f;
    GPB__XLSX_FUNCTIONS(GPB__XLSX_MEMBER)
#undef GPB__XLSX_MEMBER
} gpb__xlsx_api;

/* The table, once gpb__xlsx_load has succeeded; NULL before. */
extern const gpb__xlsx_api *gpb__xl;

/*
 * Loads libxlsxwriter (its soname, GPB_XLSXWRITER_SONAME, else the
 * development link libxlsxwriter.so) and fills gpb__xl, once per process
 * (thread-safe). Returns GPB_OK, or GPB_EIO naming the library and
 * dlerror()'s reason.
 */
gpb_status gpb__xlsx_load(gpb_error *err);

/* Each call through the table (not in xlsx_api.c, which fills it). */
#ifndef GPB__XLSX_API_IMPL
#define workbook_new (gpb__xl->workbook_new)
#define workbook_new_opt (gpb__xl->workbook_new_opt)
#define workbook_add_worksheet (gpb__xl->workbook_add_worksheet)
#define workbook_add_format (gpb__xl->workbook_add_format)
#define workbook_add_chart (gpb__xl->workbook_add_chart)
#define workbook_set_properties (gpb__xl->workbook_set_properties)
#define workbook_close (gpb__xl->workbook_close)
#define worksheet_set_column (gpb__xl->worksheet_set_column)
#define worksheet_write_string (gpb__xl->worksheet_write_string)
#define worksheet_write_number (gpb__xl->worksheet_write_number)
#define worksheet_insert_chart (gpb__xl->worksheet_insert_chart)
#define worksheet_insert_chart_opt (gpb__xl->worksheet_insert_chart_opt)
#define worksheet_freeze_panes (gpb__xl->worksheet_freeze_panes)
#define format_set_num_format (gpb__xl->format_set_num_format)
#define format_set_bold (gpb__xl->format_set_bold)
#define format_set_text_wrap (gpb__xl->format_set_text_wrap)
#define chart_add_series (gpb__xl->chart_add_series)
#define chart_series_set_values (gpb__xl->chart_series_set_values)
#define chart_series_set_categories (gpb__xl->chart_series_set_categories)
#define chart_series_set_name (gpb__xl->chart_series_set_name)
#define chart_series_set_name_range (gpb__xl->chart_series_set_name_range)
#define chart_series_set_fill (gpb__xl->chart_series_set_fill)
#define chart_series_set_line (gpb__xl->chart_series_set_line)
#define chart_series_set_marker_type (gpb__xl->chart_series_set_marker_type)
#define chart_axis_set_name (gpb__xl->chart_axis_set_name)
#define chart_axis_set_num_format (gpb__xl->chart_axis_set_num_format)
#define chart_axis_set_label_position                                      \
    (gpb__xl->chart_axis_set_label_position)
#define chart_title_set_name (gpb__xl->chart_title_set_name)
#define chart_set_series_overlap (gpb__xl->chart_set_series_overlap)
#define chart_set_series_gap (gpb__xl->chart_set_series_gap)
#define chart_legend_set_position (gpb__xl->chart_legend_set_position)
#define chart_legend_delete_series (gpb__xl->chart_legend_delete_series)
#define lxw_strerror (gpb__xl->lxw_strerror)
#endif

#endif /* GPB_XLSX_API_H */
