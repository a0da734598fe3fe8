/*
 * xlsxgen - a workbook the way Excel and 1C save one, for bench/xlsx.sh:
 * strings in the shared-strings table, numbers, dates and date-times as
 * serial numbers with number formats, booleans, empty cells.  Written with
 * libxlsxwriter (the project's own dependency for .xlsx out), in its
 * default mode, which keeps the shared-strings table as Excel does.
 *
 *   xlsxgen FILE.xlsx ROWS
 *
 * The columns are bench/xlsx.sh's (lead_id, company, manager, phone, inn,
 * amount, created, called_at, vip, note); the same arguments always give
 * the same cells.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <xlsxwriter.h>

static uint32_t x = 2463534242u;

static uint32_t
rnd(void)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

int
main(int argc, char **argv)
{
	static const char *const hdr[] = { "lead_id", "company", "manager", "phone", "inn", "amount",
	    "created", "called_at", "vip", "note" };
	static const char *const managers[] = { "ivanov", "petrova", "sidorov", "lee", "smith",
	    "kuznetsova", "orlov", "popova" };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *day, *at;
	long n;
	char b[128];

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: xlsxgen FILE.xlsx ROWS\n");
		return 2;
	}
	if ((wb = workbook_new(argv[1])) == NULL || (ws = workbook_add_worksheet(wb, "База")) == NULL)
		return 1;
	day = workbook_add_format(wb);
	format_set_num_format(day, "dd.mm.yyyy");
	at = workbook_add_format(wb);
	format_set_num_format(at, "dd.mm.yyyy hh:mm:ss");
	for (int c = 0; c < 10; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, hdr[c], NULL);
	for (long i = 1; i <= n; i++) {
		uint32_t r = rnd();
		lxw_row_t row = (lxw_row_t)i;

		snprintf(b, sizeof b, "L-%07ld", i);
		worksheet_write_string(ws, row, 0, b, NULL);
		snprintf(b, sizeof b, "ООО «Ромашка-%u»", r % 5000);
		worksheet_write_string(ws, row, 1, b, NULL);
		worksheet_write_string(ws, row, 2, managers[r % 8], NULL);
		worksheet_write_number(ws, row, 3, 79000000000.0 + r % 999999999, NULL);
		worksheet_write_number(ws, row, 4, 7700000000.0 + r % 99999999, NULL);
		worksheet_write_number(ws, row, 5, (r % 10000000) / 100.0, NULL);
		/* 46023 = 2026-01-01 in the 1900 system */
		worksheet_write_number(ws, row, 6, 46023 + r % 330, day);
		worksheet_write_number(ws, row, 7, 46023 + 0.375 + (r % 28000000) / 86400.0, at);
		worksheet_write_boolean(ws, row, 8, r % 7 == 0, NULL);
		if (r % 11) {
			snprintf(b, sizeof b, "Перезвонить после %u:00, спросить про опт, скидку", 9 + r % 9);
			worksheet_write_string(ws, row, 9, b, NULL);
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
