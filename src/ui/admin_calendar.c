/* The authority's own closure days (rules/calendar/local/<authority>.json): a page for system administrators that
 * lists them with their reasons and adds one, and the same through the API.
 *
 * A new day is written to the file at once, atomically (a temporary file in the same directory, flushed, then
 * renamed over the old one), after the whole calendar has been loaded from the new text exactly as start-up will
 * load it, so the file can never stop the next start. The running calendar is NOT changed: every worker thread
 * reads it without a lock, and calendar_add_closure() rebuilds its index in place, which a concurrent deadline
 * calculation could see half-done. Deadlines count the new day from the next restart, and the page says so for
 * every day the running service does not count yet. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "calendar/calendar.h"
#include "core/date.h"
#include "ui/admin_calendar.h"
#include "ui/format.h"

#define TEXT_MAX 1000

/* One writer at a time: the file is read, changed and replaced as a whole. */
static pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *file_path(struct http_request *req)
{
	struct app *app = req->app;
	const char *a = app->cfg.authority;
	return a && *a ? arena_printf(&req->arena, "%s/calendar/local/%s.json", app->rules_dir, a) : NULL;
}

/* Whether the running calendar already counts every weekday of [from, to] as closed (or a bank holiday). */
static bool in_force(struct http_request *req, int32_t from, int32_t to)
{
	struct app *app = req->app;
	for (int32_t d = from; d <= to; d++) {
		if (date_weekday(d) >= 5)
			continue;
		enum calendar_day_kind k = calendar_day_kind(app->calendar, d, NULL);
		if (k != CAL_LOCAL_CLOSURE && k != CAL_BANK_HOLIDAY)
			return false;
	}
	return true;
}

/* The file's closures as the page and the API show them; NULL (with err) when the file cannot be read. */
static json_t *closures(struct http_request *req, struct buf *err)
{
	const char *path = file_path(req);
	if (!path) {
		buf_adds(err, "No authority is configured (SAFEGUARD_AUTHORITY), so there is no closure-day file.");
		return NULL;
	}
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		buf_addf(err, "The closure-day file could not be read (line %d: %s).", je.line, je.text);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(root, "closures"), i, c) {
		const char *date = json_string_value(json_object_get(c, "date"));
		const char *from = date ? date : json_string_value(json_object_get(c, "from"));
		const char *to = date ? date : json_string_value(json_object_get(c, "to"));
		int32_t f, t;
		bool ok = from && to && date_parse(from, &f) == 0 && date_parse(to, &t) == 0;
		const char *when = !ok ? "" : f == t ? format_long_date(&req->arena, from)
		                                     : arena_printf(&req->arena, "%s to %s", format_long_date(&req->arena, from),
		                                                    format_long_date(&req->arena, to));
		bool live = ok && in_force(req, f, t);
		json_array_append_new(out, json_pack("{s:O, s:s?, s:s?, s:s, s:O, s:O, s:O, s:b}", "id",
		                                     json_object_get(c, "id"), "from", from, "to", to, "when", when, "name",
		                                     json_object_get(c, "name"), "reason", json_object_get(c, "reason"),
		                                     "approved_by", json_object_get(c, "approved_by"), "in_force", live));
	}
	json_decref(root);
	return out;
}

/* ---- adding a day ---- */

struct closure_in {
	const char *from, *to, *name, *reason, *approved_by;
};

/* A date from the form's day, month and year boxes, as ISO; "" when all three are empty, NULL when not a date. */
static const char *form_date(struct http_request *req, const char *name)
{
	char k[32];
	snprintf(k, sizeof k, "%s-day", name);
	const char *d = http_form(req, k);
	snprintf(k, sizeof k, "%s-month", name);
	const char *m = http_form(req, k);
	snprintf(k, sizeof k, "%s-year", name);
	const char *y = http_form(req, k);
	if ((!d || !*d) && (!m || !*m) && (!y || !*y))
		return "";
	char *end;
	long dd = d ? strtol(d, &end, 10) : 0, mm = m ? strtol(m, &end, 10) : 0, yy = y ? strtol(y, &end, 10) : 0;
	if (!d || !m || !y || yy < 1900 || yy > 2199 || !date_valid_ymd((int)yy, (int)mm, (int)dd))
		return NULL;
	char iso[DATE_ISO_LEN];
	date_format(date_from_ymd((int)yy, (int)mm, (int)dd), iso);
	return arena_strdup(&req->arena, iso);
}

static void add_error(json_t *errors, const char *field, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

static void check_text(json_t *errors, const char *field, const char *v, const char *missing, const char *too_long)
{
	if (!v || !*v)
		add_error(errors, field, missing);
	else if (strlen(v) > TEXT_MAX)
		add_error(errors, field, too_long);
}

static void read_input(struct http_request *req, struct closure_in *in, json_t *errors)
{
	memset(in, 0, sizeof *in);
	if (req->is_api) {
		json_t *j = json_is_object(req->json) ? req->json : NULL;
		in->from = json_string_value(json_object_get(j, "from"));
		in->to = json_string_value(json_object_get(j, "to"));
		in->name = json_string_value(json_object_get(j, "name"));
		in->reason = json_string_value(json_object_get(j, "reason"));
		in->approved_by = json_string_value(json_object_get(j, "approved_by"));
	} else {
		in->from = form_date(req, "from");
		in->to = form_date(req, "to");
		in->name = http_form(req, "name");
		in->reason = http_form(req, "reason");
		in->approved_by = http_form(req, "approved_by");
	}
	int32_t f = 0, t = 0;
	if (!in->from || !*in->from || date_parse(in->from, &f) < 0 || !calendar_in_range(f))
		add_error(errors, "from", in->from && !*in->from ? "Enter the first day of the closure"
		                                                  : "The first day must be a real date, like 24 12 2026");
	if (in->to && *in->to && (date_parse(in->to, &t) < 0 || !calendar_in_range(t)))
		add_error(errors, "to", "The last day must be a real date, like 31 12 2026");
	else if (in->to && *in->to && f && t < f)
		add_error(errors, "to", "The last day must be the same as or after the first day");
	check_text(errors, "name", in->name, "Enter a name for the closure", "The name must be 1000 characters or fewer");
	check_text(errors, "reason", in->reason, "Enter the reason the offices are closed",
	           "The reason must be 1000 characters or fewer");
	check_text(errors, "approved_by", in->approved_by, "Enter who approved the closure, with the decision reference",
	           "Who approved it must be 1000 characters or fewer");
	if (!in->to || !*in->to)
		in->to = in->from;
}

/* Writes text to path through a temporary file in the same directory and a rename, so that a reader (or a crash)
 * sees the old file or the new one, never a part. 0, or -1 with errno set. */
static int write_atomically(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	size_t len = strlen(text), done = 0;
	int rc = fchmod(fd, 0644);
	while (rc == 0 && done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = -1;
		else
			done += (size_t)n;
	}
	if (rc == 0)
		rc = fsync(fd);
	if (close(fd) != 0)
		rc = -1;
	if (rc == 0)
		rc = rename(tmp, path);
	if (rc != 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	/* The rename itself must reach the disk too. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
}

/* Loads the whole calendar from text as start-up would (in a scratch rules directory holding the national file
 * and this text as the authority's file). 0, or -1 with the loader's message in err. */
static int check_loads(struct http_request *req, const char *text, struct buf *err)
{
	struct app *app = req->app;
	char root[PATH_MAX], scratch[] = "/tmp/sgcalendar.XXXXXX";
	if (!realpath(app->rules_dir, root) || !mkdtemp(scratch)) {
		buf_adds(err, "The calendar could not be checked (no scratch directory).");
		return -1;
	}
	char *cal_dir = arena_printf(&req->arena, "%s/calendar", scratch);
	char *local_dir = arena_printf(&req->arena, "%s/local", cal_dir);
	char *nat_link = arena_printf(&req->arena, "%s/england-and-wales.json", cal_dir);
	char *file = arena_printf(&req->arena, "%s/%s.json", local_dir, app->cfg.authority);
	const char *national = arena_printf(&req->arena, "%s/calendar/england-and-wales.json", root);
	int rc = -1;
	if (mkdir(cal_dir, 0700) == 0 && mkdir(local_dir, 0700) == 0 && symlink(national, nat_link) == 0 &&
	    write_atomically(file, text) == 0) {
		struct calendar *cal = NULL;
		struct buf why;
		buf_init(&why, 4096);
		rc = calendar_load(&cal, scratch, app->cfg.authority, &why);
		calendar_free(cal);
		if (rc < 0) {
			/* The loader names the scratch file; say which file it will be. */
			const char *m = buf_str(&why), *at = strstr(m, file);
			if (at) {
				buf_add(err, m, (size_t)(at - m));
				buf_addf(err, "rules/calendar/local/%s.json%s", app->cfg.authority, at + strlen(file));
			} else {
				buf_adds(err, m);
			}
		}
		buf_free(&why);
	} else {
		buf_adds(err, "The calendar could not be checked (scratch files).");
	}
	unlink(file);
	unlink(nat_link);
	rmdir(local_dir);
	rmdir(cal_dir);
	rmdir(scratch);
	return rc;
}

/* An id not yet in the file: "closure-2026-12-24", then "-2", "-3"... */
static const char *new_id(struct http_request *req, json_t *list, const char *from)
{
	for (int n = 1;; n++) {
		const char *id = n == 1 ? arena_printf(&req->arena, "closure-%s", from)
		                        : arena_printf(&req->arena, "closure-%s-%d", from, n);
		bool taken = false;
		size_t i;
		json_t *c;
		json_array_foreach(list, i, c) {
			const char *other = json_string_value(json_object_get(c, "id"));
			taken = taken || (other && strcmp(other, id) == 0);
		}
		if (!taken)
			return id;
	}
}

/* The command. Returns 0 (added: *id_out set), 1 (refused: errors filled, nothing written), or -1 (answered). */
static int add_closure(struct http_request *req, const struct closure_in *in, json_t *errors, const char **id_out)
{
	const char *path = file_path(req);
	if (!path) {
		add_error(errors, "from", "No authority is configured (SAFEGUARD_AUTHORITY), so there is no closure-day file");
		return 1;
	}
	pthread_mutex_lock(&file_lock);
	int result = 1;
	json_error_t je;
	char *old_text = NULL, *new_text = NULL;
	const char *id;
	json_t *list, *c;
	struct buf why;
	buf_init(&why, 4096);
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root || !json_is_array(json_object_get(root, "closures"))) {
		add_error(errors, "from", "The closure-day file could not be read; nothing was added");
		goto out;
	}
	old_text = json_dumps(root, JSON_INDENT(2));
	list = json_object_get(root, "closures");
	id = new_id(req, list, in->from);
	c = json_pack("{s:s}", "id", id);
	if (strcmp(in->from, in->to) == 0) {
		json_object_set_new(c, "date", json_string(in->from));
	} else {
		json_object_set_new(c, "from", json_string(in->from));
		json_object_set_new(c, "to", json_string(in->to));
	}
	json_object_set_new(c, "name", json_string(in->name));
	json_object_set_new(c, "reason", json_string(in->reason));
	json_object_set_new(c, "approved_by", json_string(in->approved_by));
	json_array_append_new(list, c);
	new_text = json_dumps(root, JSON_INDENT(2));
	if (!new_text || check_loads(req, arena_printf(&req->arena, "%s\n", new_text), &why) < 0) {
		add_error(errors, "from", arena_printf(&req->arena, "The day was not added: %s", buf_str(&why)));
		goto out;
	}
	/* The audit entry and the file change stand or fall together: the file is replaced inside the transaction
	 * and put back if the audit entry cannot be committed. */
	result = -1;
	if (command_begin_or_respond(req) < 0 ||
	    command_audit_or_respond(req, "create", "closure_day", id, NULL) < 0)
		goto out;
	if (write_atomically(path, arena_printf(&req->arena, "%s\n", new_text)) < 0) {
		store_rollback(req->store);
		web_error(req, 500, "The closure-day file could not be written",
		          "Nothing was changed. Check that the service may write to rules/calendar/local/.");
		goto out;
	}
	if (command_commit_or_respond(req) < 0) {
		write_atomically(path, arena_printf(&req->arena, "%s\n", old_text));
		goto out;
	}
	*id_out = id;
	result = 0;
out:
	pthread_mutex_unlock(&file_lock);
	buf_free(&why);
	free(old_text);
	free(new_text);
	json_decref(root);
	return result;
}

/* ---- the page ---- */

static json_t *date_box(struct http_request *req, const char *name, const char *label, const char *hint,
                        json_t *emap)
{
	char k[32];
	const char *parts[3];
	static const char *const suffix[] = {"day", "month", "year"};
	for (int i = 0; i < 3; i++) {
		snprintf(k, sizeof k, "%s-%s", name, suffix[i]);
		parts[i] = http_form(req, k);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O?, s:b}", "name", name, "label", label, "hint", hint, "day",
	                 parts[0] ? parts[0] : "", "month", parts[1] ? parts[1] : "", "year", parts[2] ? parts[2] : "",
	                 "error", json_object_get(emap, name), "heading", 0);
}

static void render(struct http_request *req, int status, json_t *errors)
{
	struct app *app = req->app;
	struct buf err;
	buf_init(&err, 1024);
	json_t *list = closures(req, &err);
	int pending = 0;
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c) pending += !json_is_true(json_object_get(c, "in_force"));
	json_t *ctx = json_pack("{s:s, s:o, s:i, s:s?, s:s, s:s, s:s, s:s?}", "authority",
	                        app->cfg.authority ? app->cfg.authority : "", "closures", list ? list : json_array(),
	                        "pending", pending, "file_error", err.len ? buf_str(&err) : NULL, "name",
	                        http_form(req, "name") ? http_form(req, "name") : "", "reason",
	                        http_form(req, "reason") ? http_form(req, "reason") : "", "approved_by",
	                        http_form(req, "approved_by") ? http_form(req, "approved_by") : "", "flash",
	                        http_query(req, "added") && req->method == HTTP_GET
	                                ? "Closure day saved. Deadlines count it once Safeguard has been restarted."
	                                : NULL);
	buf_free(&err);
	if (errors) {
		web_add_errors(ctx, errors);
		json_array_foreach(errors, i, c) {
			const char *f = json_string_value(json_object_get(c, "field"));
			if (f && (strcmp(f, "from") == 0 || strcmp(f, "to") == 0))
				json_object_set_new(c, "href", json_sprintf("#%s-day", f));
		}
		json_decref(errors);
	}
	json_t *emap = json_object_get(ctx, "error_map");
	json_object_set_new(ctx, "from", date_box(req, "from", "First day closed", "For example, 24 12 2026", emap));
	json_object_set_new(ctx, "to", date_box(req, "to", "Last day closed",
	                                        "Leave empty for a single day. At most 31 days; weekends are skipped", emap));
	web_page(req, status, "admin/closure_days", "Closure days", ctx);
}

static void h_page(struct http_request *req)
{
	render(req, 200, NULL);
}

static void p_add(struct http_request *req)
{
	struct closure_in in;
	json_t *errors = json_array();
	read_input(req, &in, errors);
	const char *id = NULL;
	int rc = json_array_size(errors) ? 1 : add_closure(req, &in, errors, &id);
	if (rc == 1) {
		render(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, "/admin/closure-days?added=1");
}

/* ---- the API ---- */

static void h_api_list(struct http_request *req)
{
	struct buf err;
	buf_init(&err, 1024);
	json_t *list = closures(req, &err);
	if (!list) {
		web_error(req, 500, "The closure-day file could not be read", buf_str(&err));
		buf_free(&err);
		return;
	}
	buf_free(&err);
	struct app *app = req->app;
	http_json(req, 200, json_pack("{s:s, s:o}", "authority", app->cfg.authority, "closures", list));
}

static void h_api_add(struct http_request *req)
{
	struct closure_in in;
	json_t *errors = json_array();
	read_input(req, &in, errors);
	const char *id = NULL;
	int rc = json_array_size(errors) ? 1 : add_closure(req, &in, errors, &id);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	http_json(req, 201, json_pack("{s:s, s:s, s:s, s:b, s:s}", "id", id, "from", in.from, "to", in.to, "in_force", 0,
	                              "note", "Saved. Deadlines count the new day once Safeguard has been restarted."));
}

const struct route admin_calendar_routes[] = {
	{HTTP_GET, "/admin/closure-days", h_page, "calendar.manage"},
	{HTTP_POST, "/admin/closure-days", p_add, "calendar.manage"},
	{HTTP_GET, "/api/v1/calendar/closure-days", h_api_list, "calendar.manage"},
	{HTTP_POST, "/api/v1/calendar/closure-days", h_api_add, "calendar.manage"},
	{0},
};
