/* template_load: reads a directory of *.html templates into a compiled set through the public template API, so
 * that the engine itself does no file IO. */
#include "ui/template.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int read_file(const char *path, struct buf *text, struct buf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (err)
			buf_addf(err, "%s:0: cannot open: %s", path, strerror(errno));
		return -1;
	}
	char chunk[8192];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_add(text, chunk, n) < 0) {
			if (err)
				buf_addf(err, "%s:1: template is larger than %zu bytes", path, TEMPLATE_MAX_BYTES);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		if (err)
			buf_addf(err, "%s:0: read failed", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* dir is the top directory, rel the path below it ("" at the top). */
static int load_tree(struct template_set *set, const char *dir, const char *rel, int depth, struct buf *err)
{
	struct buf path = {0}, text = {0};
	int rc = -1;
	buf_addf(&path, "%s%s%s", dir, *rel ? "/" : "", rel);
	DIR *d = opendir(buf_str(&path));
	if (!d) {
		if (err)
			buf_addf(err, "%s:0: cannot open directory: %s", buf_str(&path), strerror(errno));
		goto out;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		struct buf child = {0}, full = {0};
		buf_addf(&child, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		buf_addf(&full, "%s/%s", dir, buf_str(&child));
		struct stat st;
		int ok = stat(buf_str(&full), &st) == 0 ? 0 : -1;
		size_t n = strlen(e->d_name);
		if (ok < 0) {
			if (err)
				buf_addf(err, "%s:0: cannot stat: %s", buf_str(&full), strerror(errno));
		} else if (S_ISDIR(st.st_mode) && depth < 8) {
			ok = load_tree(set, dir, buf_str(&child), depth + 1, err);
		} else if (S_ISREG(st.st_mode) && n > 5 && strcmp(e->d_name + n - 5, ".html") == 0) {
			buf_init(&text, TEMPLATE_MAX_BYTES);
			ok = read_file(buf_str(&full), &text, err);
			if (ok == 0) {
				child.data[child.len - 5] = '\0'; /* the name is the relative path without ".html" */
				ok = template_add(set, buf_str(&child), buf_str(&full), buf_str(&text), text.len, err);
			}
			buf_free(&text);
		}
		buf_free(&child);
		buf_free(&full);
		if (ok < 0)
			goto out;
	}
	rc = 0;
out:
	if (d)
		closedir(d);
	buf_free(&path);
	return rc;
}

int template_load_dir(struct template_set **out, const char *dir, struct buf *err)
{
	struct template_set *set = template_set_new();
	if (load_tree(set, dir, "", 0, err) < 0 || template_set_finish(set, err) < 0) {
		template_set_free(set);
		return -1;
	}
	*out = set;
	return 0;
}
