/*
 * doc_numbering.c - {{number}} of a document (doc_int.h): the context's
 * numbering: key read and checked, and the number of the current document
 * looked up when a template first asks for it and recorded
 * (doc_number.h) only once the document has rendered, so that a document
 * that fails takes no number.
 */
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "doc_number.h"

int
ls_doc_number_config(struct ls_docs *d, const struct ls_node *n, struct ls_error *err)
{
	struct doc_num *num;
	static const char *const keys[] = { "file", "series", "format", NULL };
	const struct ls_node *f, *seller, *inn;
	const char *name, *file, *slash, *why;
	char probe[128];
	char *path;

	if ((num = d->num = calloc(1, sizeof *d->num)) == NULL)
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	if (ls_node_expect(d->cfg, n, LS_NODE_MAP, err) != 0 ||
	    ls_node_check_keys(d->cfg, n, keys, err) != 0)
		return err->status;
	if ((f = ls_node_get(n, "file")) == NULL)
		return ls_node_error(d->cfg, n, err, "numbering: needs file: the counter file");
	if (ls_node_str(d->cfg, f, &name, err) != 0)
		return err->status;
	if (name[0] == '\0')
		return ls_node_error(d->cfg, f, err, "numbering: file: expected a file name");
	num->series = "";
	if ((f = ls_node_get(n, "series")) != NULL) {
		if (ls_node_str(d->cfg, f, &num->series, err) != 0)
			return err->status;
		/* it is printed and may make file names: nothing that breaks a line or a path */
		for (const char *c = num->series; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '/')
				return ls_node_error(d->cfg, f, err,
				    "numbering: series holds a control character or '/'");
	}
	num->format = num->series[0] ? "%S-%N" : "%N";
	if ((f = ls_node_get(n, "format")) != NULL) {
		if (ls_node_str(d->cfg, f, &num->format, err) != 0)
			return err->status;
		if (ls_number_format(num->format, num->series, 2026, 1, probe, sizeof probe,
		    &why) != 0)
			return ls_node_error(d->cfg, f, err, "numbering: format '%s': %s", num->format,
			    why);
	}
	/* a series is the seller's: two companies sharing a counter file keep their own */
	seller = ls_node_get(d->root, "seller");
	if (seller == NULL || seller->type != LS_NODE_MAP ||
	    (inn = ls_doc_seller_field(seller, "inn", NULL)) == NULL)
		return ls_node_error(d->cfg, n, err, "numbering: needs seller.inn: a series is per seller");
	num->seller = inn->value;
	/* relative to the config that names it, as calendar: is */
	file = ls_config_file(d->cfg);
	slash = strrchr(file, '/');
	if (name[0] == '/' || slash == NULL)
		path = strdup(name);
	else if ((path = malloc((size_t)(slash - file) + strlen(name) + 2)) != NULL)
		sprintf(path, "%.*s/%s", (int)(slash - file), file, name);
	if (path == NULL || (num->nb = ls_numbers_new(path)) == NULL) {
		free(path);
		return ls_error_set(err, LS_ENOMEM, NULL, 0, 0, "out of memory");
	}
	free(path);
	return 0;
}

void
ls_doc_number_begin(struct ls_docs *d, const char *deal, size_t n)
{
	if (d->num == NULL)
		return;
	d->num->deal = deal;
	d->num->dealn = n;
	d->num->state = 0;
	d->num->text[0] = '\0';
	memset(&d->num->err, 0, sizeof d->num->err);
}

void
ls_doc_number_free(struct ls_docs *d)
{
	if (d->num == NULL)
		return;
	ls_numbers_free(d->num->nb);
	free(d->num);
	d->num = NULL;
}

static void
key_of(const struct ls_docs *d, struct ls_number_key *k)
{
	k->seller = d->num->seller;
	k->series = d->num->series;
	k->year = atoi(d->date);	/* d->date is YYYY-MM-DD */
	k->deal = d->num->deal;
	k->dealn = d->num->dealn;
}

int
ls_doc_number_get(const struct ls_docs *d, struct ls_mval *out)
{
	struct doc_num *num = d->num;
	struct ls_number_key k;
	const char *why;
	int issued;

	if (num == NULL || num->deal == NULL)
		return 0;
	if (num->state == 0) {
		key_of(d, &k);
		num->state = -1;
		if (ls_numbers_peek(num->nb, &k, &num->value, &issued, &num->err) == 0) {
			if (ls_number_format(num->format, num->series, k.year, num->value, num->text,
			    sizeof num->text, &why) == 0)
				num->state = 1;
			else
				ls_error_set(&num->err, LS_EDATA, NULL, 0, 0, "numbering: format: %s", why);
		}
	}
	if (num->state < 0)
		return 0;
	*out = ls_mval_str(num->text, strlen(num->text));
	return 1;
}

int
ls_doc_number_error(const struct ls_docs *d, struct ls_error *err)
{
	if (d->num == NULL || d->num->state >= 0)
		return 0;
	if (err)
		*err = d->num->err;
	return d->num->err.status ? d->num->err.status : LS_EIO;
}

int
ls_doc_number_commit(struct ls_docs *d, const char *when, struct ls_error *err)
{
	struct ls_number_key k;
	long long v;
	int rc;

	if (d->num == NULL || d->num->state <= 0)
		return 0;
	key_of(d, &k);
	if ((rc = ls_numbers_take(d->num->nb, &k, d->date, when, &v, err)) != 0)
		return rc;
	/* the lock is held from the lookup on: no other run can have taken it in between */
	if (v != d->num->value)
		return ls_error_set(err, LS_EIO, NULL, 0, 0, "numbering: number %lld changed to %lld "
		    "while the document rendered", d->num->value, v);
	return 0;
}
