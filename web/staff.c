/*
 * staff: accounts, passwords, sessions, the login and the audit log.
 *
 * Passwords are hashed with Argon2id (libargon2) at t=5, m=7 MiB, p=1
 * (one of the OWASP minimum settings, the one with the least memory, for
 * a small server), stored in the encoded form that carries its own salt
 * and parameters, so hashes made with other settings still verify.  One
 * hash is worked at a time (staff_argon2_lock): two logins at once would
 * otherwise hold the memory twice.  A session is a random 32-byte token
 * in a cookie (HttpOnly, SameSite=Strict, Secure when the public URL is
 * https); the database keeps only its SHA-256, with a CSRF token of its
 * own, and ends it after CYCLE_SESSION_IDLE_MS without use or
 * CYCLE_SESSION_MAX_MS in all.  The login form carries a double-submit
 * token (a cookie and a hidden field that must match), and failed logins
 * are limited per (e-mail, address), per e-mail and per address
 * (staff_login_allowed).
 */
#include <argon2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "cycle.h"
#include "log.h"
#include "store.h"
#include "utf8.h"

#define STAFF_T_COST 5
#define STAFF_M_COST 7168 /* KiB */
#define STAFF_SALT 16
#define STAFF_HASH_LEN 32
#define STAFF_ENCODED_MAX CYCLE_HASH_MAX
#define STAFF_LOGIN_WINDOW_MS (15LL * 60 * 1000)
#define STAFF_LOGIN_PER_EMAIL 5	     /* failures per e-mail and address */
#define STAFF_LOGIN_PER_EMAIL_ALL 50 /* failures per e-mail in all */
#define STAFF_LOGIN_PER_ADDRESS 30   /* failures per address */
#define STAFF_COOKIE "chorus_s"
#define STAFF_LOGIN_COOKIE "chorus_l"

static pthread_mutex_t staff_argon2_lock = PTHREAD_MUTEX_INITIALIZER;

int staff_hash_password(const char *pw, size_t len, char *out, size_t outlen)
{
	unsigned char salt[STAFF_SALT];
	int rc;

	if (crypto_random(salt, sizeof(salt)) < 0)
		return -1;
	pthread_mutex_lock(&staff_argon2_lock);
	rc = argon2id_hash_encoded(STAFF_T_COST, STAFF_M_COST, 1, pw, len, salt,
				   sizeof(salt), STAFF_HASH_LEN, out, outlen);
	pthread_mutex_unlock(&staff_argon2_lock);
	return rc == ARGON2_OK ? 0 : -1;
}

int staff_check_password(const char *hash, const char *pw, size_t len)
{
	int rc;

	pthread_mutex_lock(&staff_argon2_lock);
	rc = argon2id_verify(hash, pw, len);
	pthread_mutex_unlock(&staff_argon2_lock);
	return rc == ARGON2_OK;
}

/* ---- chorus user add ------------------------------------------------- */

static const char user_usage[] =
	"usage: chorus user add --db FILE --email ADDRESS\n"
	"         --role district|cluster|site|viewer"
	" [--site CODE | --cluster NAME]\n"
	"\n"
	"Creates a staff account in the central database FILE.  The password\n"
	"is read from standard input (one line, at least 10 characters).\n"
	"A district account sees every site; a cluster account needs\n"
	"--cluster, a site lead --site; a viewer may have either, or neither\n"
	"to see everything, and never changes anything.\n";

static int user_email_ok(const char *e)
{
	size_t n = strlen(e), i;
	const char *at = strchr(e, '@');

	if (n < 3 || n > CYCLE_EMAIL_MAX || at == NULL || at == e ||
	    at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)e[i] <= 0x20 || e[i] == 0x7f ||
		    e[i] == '<' || e[i] == '>' || e[i] == '"')
			return 0;
	return utf8_valid(e, n);
}

/* The scope flags that go with role; 0 or -1 with a message. */
static int user_scope_ok(const char *role, const char *site,
			 const char *cluster)
{
	if (site != NULL && cluster != NULL) {
		cli_fail("user add: give --site or --cluster, not both");
		return -1;
	}
	if (strcmp(role, "district") == 0 && (site || cluster)) {
		cli_fail("user add: a district account sees every site;"
			 " drop --site and --cluster");
		return -1;
	}
	if (strcmp(role, "cluster") == 0 && cluster == NULL) {
		cli_fail("user add: a cluster account needs --cluster NAME");
		return -1;
	}
	if (strcmp(role, "site") == 0 && site == NULL) {
		cli_fail("user add: a site account needs --site CODE");
		return -1;
	}
	if (strcmp(role, "district") != 0 && strcmp(role, "cluster") != 0 &&
	    strcmp(role, "site") != 0 && strcmp(role, "viewer") != 0) {
		cli_fail("user add: --role must be district, cluster, site or"
			 " viewer");
		return -1;
	}
	if ((strcmp(role, "site") == 0 && cluster) ||
	    (strcmp(role, "cluster") == 0 && site)) {
		cli_fail("user add: a %s account takes --%s only", role, role);
		return -1;
	}
	return 0;
}

/* Reads the password line from standard input into pw.  0 or -1. */
static int user_read_password(char *pw, size_t pwmax, size_t *len)
{
	size_t n = 0;
	ssize_t got;

	while (n < pwmax) {
		got = read(0, pw + n, pwmax - n);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		n += (size_t)got;
		if (memchr(pw, '\n', n) != NULL)
			break;
	}
	if (memchr(pw, '\n', n) != NULL)
		n = (size_t)((char *)memchr(pw, '\n', n) - pw);
	if (n > 0 && pw[n - 1] == '\r')
		n--;
	if (n >= pwmax)
		return -1;
	pw[n] = '\0';
	*len = n;
	return 0;
}

/* 1 when site or cluster exists (whichever is given), else 0 or -1. */
static int user_scope_exists(sqlite3 *db, const char *site, const char *cluster)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (site == NULL && cluster == NULL)
		return 1;
	if (sqlite3_prepare_v2(db,
			       site ? "SELECT 1 FROM sites WHERE code = ?"
				      " AND token_hash <> '-'"
				    : "SELECT 1 FROM sites WHERE cluster = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, site ? site : cluster, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int user_insert(sqlite3 *db, const char *email, const char *hash,
		       const char *role, const char *site, const char *cluster)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"INSERT INTO staff (email, pw_hash, role, site,"
				" cluster, created_at) VALUES (?,?,?,?,?,?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, cluster, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, store_now_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = cycle_audit(db, 0, "user.add", email, role);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int user_store(const char *path, const char *email, const char *hash,
		      const char *role, const char *site, const char *cluster)
{
	char err[512], rolebuf[16];
	sqlite3 *db = NULL;
	int rc, ret = CLI_FAIL;

	if (store_open(path, STORE_CREATE, &db, err, sizeof(err)) < 0) {
		cli_fail("user add: %s", err);
		return CLI_FAIL;
	}
	if (store_begin(db) != SQLITE_OK ||
	    store_role(db, rolebuf, sizeof(rolebuf)) < 0)
		goto fail;
	if (strcmp(rolebuf, "site") == 0) {
		cli_fail("user add: '%s' is a site database, not the central"
			 " one",
			 path);
		goto done;
	}
	rc = user_scope_exists(db, site, cluster);
	if (rc == 0) {
		cli_fail("user add: no such %s '%s' (add it with 'chorus site"
			 " add' first)",
			 site ? "site" : "cluster", site ? site : cluster);
		goto done;
	}
	rc = rc < 0 ? SQLITE_ERROR : store_meta_set(db, "role", "central");
	if (rc == SQLITE_OK)
		rc = user_insert(db, email, hash, role, site, cluster);
	if (rc == SQLITE_CONSTRAINT || rc == SQLITE_CONSTRAINT_UNIQUE) {
		cli_fail("user add: '%s' has an account already", email);
		goto done;
	}
	if (rc != SQLITE_OK || store_commit(db) != SQLITE_OK)
		goto fail;
	ret = CLI_OK;
	goto done;

fail:
	cli_fail("user add: cannot write '%s': %s", path, sqlite3_errmsg(db));
done:
	if (ret != CLI_OK)
		store_rollback(db);
	store_close(db);
	return ret;
}

static int user_add(int argc, char **argv)
{
	const char *path = NULL, *email = NULL, *role = NULL, *site = NULL;
	const char *cluster = NULL;
	struct cli_opt opts[] = {
		{"db", &path, 0, 1},	     {"email", &email, 0, 1},
		{"role", &role, 0, 1},	     {"site", &site, 0, 0},
		{"cluster", &cluster, 0, 0}, {NULL, NULL, 0, 0},
	};
	char pw[CYCLE_PW_MAX + 2], hash[STAFF_ENCODED_MAX];
	size_t len;
	int rc;

	rc = cli_parse("user add", user_usage, opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? CLI_OK : CLI_USAGE;
	if (!user_email_ok(email)) {
		cli_fail("user add: '%s' is not an e-mail address", email);
		return CLI_USAGE;
	}
	if (user_scope_ok(role, site, cluster) < 0)
		return CLI_USAGE;
	if ((site && !code_site_valid(site)) ||
	    (cluster && (strlen(cluster) > CYCLE_CLUSTER_MAX ||
			 !utf8_valid(cluster, strlen(cluster))))) {
		cli_fail("user add: a bad --site or --cluster");
		return CLI_USAGE;
	}
	if (user_read_password(pw, sizeof(pw), &len) < 0 ||
	    utf8_count(pw, len) < CYCLE_PW_MIN || !utf8_valid(pw, len)) {
		cli_fail("user add: give a password of at least %d characters"
			 " (and at most %d bytes) on standard input",
			 CYCLE_PW_MIN, CYCLE_PW_MAX);
		return CLI_USAGE;
	}
	rc = staff_hash_password(pw, len, hash, sizeof(hash));
	explicit_bzero(pw, sizeof(pw));
	if (rc < 0) {
		cli_fail("user add: cannot hash the password");
		return CLI_FAIL;
	}
	return user_store(path, email, hash, role, site, cluster);
}

int user_cmd(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (argc >= 1 &&
	    (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		fputs(user_usage, stdout);
		return CLI_OK;
	}
	cli_fail("user: expected 'user add' (see chorus user --help)");
	return CLI_USAGE;
}

/* ---- sessions -------------------------------------------------------- */

static const char *staff_secure(struct cyc *x)
{
	return strncmp(x->w->public_url, "https:", 6) == 0 ? "; Secure" : "";
}

static void staff_copy(char *dst, size_t dstlen, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	snprintf(dst, dstlen, "%s", s != NULL ? s : "");
}

/* Moves seen_at on, at most once a minute, so reading costs no write. */
static void staff_touch(struct cyc *x, const char *hash, int64_t seen)
{
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();

	if (now - seen < 60000)
		return;
	if (sqlite3_prepare_v2(x->db,
			       "UPDATE sessions SET seen_at = ?"
			       " WHERE token_hash = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

int staff_session(struct cyc *x)
{
	const char *tok;
	char hash[CRYPTO_SHA256_HEX];
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms(), seen;
	int ret = -1;

	x->logged_in = 0;
	tok = MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND, STAFF_COOKIE);
	if (tok == NULL || strlen(tok) != 64)
		return 0;
	crypto_sha256_hex(tok, 64, hash);
	if (sqlite3_prepare_v2(x->db,
			       "SELECT s.id, s.email, s.role, s.site,"
			       " s.cluster, x.csrf, x.seen_at, x.expires_at"
			       " FROM sessions x JOIN staff s ON s.id = x.staff"
			       " WHERE x.token_hash = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto done;
	seen = sqlite3_column_int64(st, 6);
	if (now > sqlite3_column_int64(st, 7) ||
	    now - seen > CYCLE_SESSION_IDLE_MS) {
		ret = 0;
		goto done;
	}
	x->me.id = sqlite3_column_int64(st, 0);
	staff_copy(x->me.email, sizeof(x->me.email), st, 1);
	staff_copy(x->me.role, sizeof(x->me.role), st, 2);
	staff_copy(x->me.site, sizeof(x->me.site), st, 3);
	staff_copy(x->me.cluster, sizeof(x->me.cluster), st, 4);
	staff_copy(x->me.csrf, sizeof(x->me.csrf), st, 5);
	x->logged_in = 1;
	sqlite3_finalize(st);
	staff_touch(x, hash, seen);
	return 0;

done:
	sqlite3_finalize(st);
	return ret;
}

/* ---- login ----------------------------------------------------------- */

enum MHD_Result staff_login_page(struct cyc *x, const char *error_key,
				 unsigned status)
{
	char tok[CRYPTO_SHA256_HEX];
	int rc = 0;

	if (crypto_random_hex(tok, 32) < 0)
		return MHD_NO;
	snprintf(x->cookie, sizeof(x->cookie),
		 STAFF_LOGIN_COOKIE "=%s; Path=/staff/login; HttpOnly;"
				    " SameSite=Strict%s",
		 tok, staff_secure(x));
	x->logged_in = 0;
	rc |= cyc_public_top(x, cyc_t(x, "staff.login.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.login.title");
	rc |= buf_puts(&x->out, "</h1>\n");
	if (error_key != NULL) {
		rc |= buf_puts(&x->out, "<p class=\"error\" role=\"alert\">");
		rc |= cyc_tx(x, error_key);
		rc |= buf_puts(&x->out, "</p>\n");
	}
	rc |= buf_puts(&x->out,
		       "<form class=\"login\" method=\"post\""
		       " action=\"/staff/login\"><p><label for=\"email\">");
	rc |= cyc_tx(x, "staff.login.email");
	/* A refused login keeps the address typed; never the password. */
	rc |= buf_puts(&x->out, "</label><br><input id=\"email\" name=\"email\""
				" type=\"email\" autocomplete=\"username\""
				" required maxlength=\"254\" value=\"");
	rc |= cyc_e(x, cyc_str(&x->f, "email", 254));
	rc |= buf_puts(&x->out, "\"></p><p><label for=\"password\">");
	rc |= cyc_tx(x, "staff.login.password");
	rc |= buf_puts(&x->out,
		       "</label><br><input id=\"password\" name=\"password\""
		       " type=\"password\" autocomplete=\"current-password\""
		       " required></p><input type=\"hidden\" name=\"l\""
		       " value=\"");
	rc |= cyc_e(x, tok);
	rc |= buf_puts(&x->out, "\"><input type=\"hidden\" name=\"lang\""
				" value=\"");
	rc |= cyc_e(x, x->lang);
	rc |= buf_puts(&x->out, "\"><button type=\"submit\">");
	rc |= cyc_tx(x, "staff.login.button");
	rc |= buf_puts(&x->out, "</button></form>\n");
	return cyc_send(x, status, rc);
}

/* The account for email: id and hash, 1 when found, 0 not, -1 error. */
static int staff_find(sqlite3 *db, const char *email, int64_t *id,
		      char hash[STAFF_ENCODED_MAX])
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT id, pw_hash FROM staff WHERE email = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		staff_copy(hash, STAFF_ENCODED_MAX, st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Makes the session row; tok gets the cookie's value. */
static int staff_session_new(sqlite3 *db, int64_t id,
			     char tok[CRYPTO_SHA256_HEX])
{
	char hash[CRYPTO_SHA256_HEX], csrf[CRYPTO_SHA256_HEX];
	sqlite3_stmt *st = NULL;
	int64_t now = store_now_ms();
	int rc;

	if (crypto_random_hex(tok, 32) < 0 || crypto_random_hex(csrf, 32) < 0)
		return SQLITE_ERROR;
	crypto_sha256_hex(tok, 64, hash);
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO sessions (token_hash, staff, csrf,"
				" created_at, seen_at, expires_at)"
				" VALUES (?, ?, ?, ?, ?, ?)",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now + CYCLE_SESSION_MAX_MS);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int staff_login_commit(struct cyc *x, int64_t id,
			      char tok[CRYPTO_SHA256_HEX])
{
	char sql[128];
	int rc;

	rc = store_begin(x->db);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM sessions WHERE expires_at < %lld",
		 (long long)store_now_ms());
	if (rc == SQLITE_OK)
		rc = store_exec(x->db, sql);
	if (rc == SQLITE_OK)
		rc = staff_session_new(x->db, id, tok);
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, id, "login", NULL, NULL);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK)
		store_rollback(x->db);
	return rc;
}

/*
 * The three limits of a login, counted before the password is checked
 * and given back when it was right, so that only failures count: per
 * (e-mail, address), tight, so that a stranger typing someone's e-mail
 * with bad passwords locks out only the stranger's own address; per
 * e-mail across all addresses, looser; and per address.
 */
struct staff_limits {
	char key[3][CYCLE_EMAIL_MAX + 96];
	unsigned counted; /* how many of key[] were counted */
};

static const unsigned staff_login_limit[3] = {
	STAFF_LOGIN_PER_ADDRESS,
	STAFF_LOGIN_PER_EMAIL,
	STAFF_LOGIN_PER_EMAIL_ALL,
};

static void staff_limit_keys(struct cyc *x, const char *email,
			     struct staff_limits *l)
{
	char addr[64], lower[CYCLE_EMAIL_MAX + 1];
	size_t i;

	for (i = 0; email[i] != '\0' && i < CYCLE_EMAIL_MAX; i++)
		lower[i] = (email[i] >= 'A' && email[i] <= 'Z')
				   ? (char)(email[i] - 'A' + 'a')
				   : email[i];
	lower[i] = '\0';
	cyc_client(x->c, addr, sizeof(addr));
	snprintf(l->key[0], sizeof(l->key[0]), "login-address:%s", addr);
	snprintf(l->key[1], sizeof(l->key[1]), "login-email-address:%s %s",
		 addr, lower);
	snprintf(l->key[2], sizeof(l->key[2]), "login-email:%s", lower);
	l->counted = 0;
}

/* Counts a try against each limit in turn; 1 when all let it go. */
static int staff_login_allowed(struct cyc *x, struct staff_limits *l)
{
	unsigned i;

	for (i = 0; i < 3; i++) {
		if (!cycle_rate(x->w, l->key[i], staff_login_limit[i],
				STAFF_LOGIN_WINDOW_MS))
			return 0;
		l->counted = i + 1;
	}
	return 1;
}

/* The password was right: the try does not count. */
static void staff_login_refund(struct cyc *x, const struct staff_limits *l)
{
	unsigned i;

	for (i = 0; i < l->counted; i++)
		cycle_rate_refund(x->w, l->key[i]);
}

/* The hidden field l matches the login cookie. */
static int staff_login_token_ok(struct cyc *x)
{
	const char *c = MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND,
						    STAFF_LOGIN_COOKIE);
	size_t len;
	const char *f = cyc_field(&x->f, "l", 128, &len);

	return c != NULL && f != NULL && len == 64 &&
	       crypto_equal(c, strlen(c), f, len);
}

enum MHD_Result staff_login_post(struct cyc *x)
{
	char hash[STAFF_ENCODED_MAX], tok[CRYPTO_SHA256_HEX];
	struct staff_limits limits;
	const char *email, *pw;
	size_t pwlen;
	int64_t id = 0;
	int found;

	email = cyc_field(&x->f, "email", CYCLE_EMAIL_MAX, NULL);
	pw = cyc_field(&x->f, "password", CYCLE_PW_MAX, &pwlen);
	if (email == NULL || pw == NULL)
		return staff_login_page(x, "staff.login.bad", 400);
	if (!staff_login_token_ok(x))
		return staff_login_page(x, "staff.login.expired", 403);
	staff_limit_keys(x, email, &limits);
	if (!staff_login_allowed(x, &limits))
		return staff_login_page(x, "staff.login.slow", 429);
	found = staff_find(x->db, email, &id, hash);
	if (found < 0) {
		staff_login_refund(x, &limits);
		return staff_login_page(x, "staff.login.error", 503);
	}

	/* Check a dummy hash when there is no account, so the time taken
	 * does not tell which addresses have one. */
	if (!staff_check_password(found ? hash : cycle_dummy_hash(x->w), pw,
				  pwlen) ||
	    !found) {
		log_info("web: a staff login failed");
		return staff_login_page(x, "staff.login.bad", 403);
	}
	staff_login_refund(x, &limits);
	if (staff_login_commit(x, id, tok) != SQLITE_OK)
		return staff_login_page(x, "staff.login.error", 503);
	snprintf(x->cookie, sizeof(x->cookie),
		 STAFF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict;"
			      " Max-Age=%lld%s",
		 tok, (long long)(CYCLE_SESSION_MAX_MS / 1000),
		 staff_secure(x));
	return cyc_redirect(x, "/staff");
}

enum MHD_Result staff_logout_post(struct cyc *x)
{
	const char *tok;
	char hash[CRYPTO_SHA256_HEX];
	sqlite3_stmt *st = NULL;
	int rc;

	tok = MHD_lookup_connection_value(x->c, MHD_COOKIE_KIND, STAFF_COOKIE);
	if (tok == NULL || strlen(tok) != 64)
		return cyc_redirect(x, "/staff/login");
	crypto_sha256_hex(tok, 64, hash);
	rc = store_begin(x->db);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(x->db,
					"DELETE FROM sessions"
					" WHERE token_hash = ?",
					-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = cycle_audit(x->db, x->me.id, "logout", NULL, NULL);
	if (rc == SQLITE_OK)
		rc = store_commit(x->db);
	if (rc != SQLITE_OK) {
		store_rollback(x->db);
		return cyc_message(x, 503, "staff.error.title",
				   "staff.error.body");
	}
	snprintf(x->cookie, sizeof(x->cookie),
		 STAFF_COOKIE "=; Path=/; HttpOnly; SameSite=Strict;"
			      " Max-Age=0%s",
		 staff_secure(x));
	return cyc_redirect(x, "/staff/login");
}

/* ---- dates and the audit log ----------------------------------------- */

int staff_date(struct cyc *x, int64_t ms)
{
	char iso[STORE_TIME_LEN], key[24];
	long day = 0, month = 0;
	int rc = 0;

	/* iso is "2026-12-03T14:05:09.123Z" on the central clock. */
	store_format_time(ms, iso);
	month = strtol(iso + 5, NULL, 10);
	day = strtol(iso + 8, NULL, 10);
	if (month < 1 || month > 12)
		return cyc_e(x, iso);
	snprintf(key, sizeof(key), "date.mon.%ld", month);
	rc |= buf_puts(&x->out, "<time datetime=\"");
	rc |= cyc_e(x, iso);
	rc |= buf_printf(&x->out, "\">%ld ", day);
	rc |= cyc_tx(x, key);
	rc |= buf_printf(&x->out, " %.4s %.5s ", iso, iso + 11);
	rc |= cyc_tx(x, "date.utc");
	rc |= buf_puts(&x->out, "</time>");
	return rc;
}

/* An audit action in words ("idea.merge": "Merged an item ..."). */
static int staff_audit_action(struct cyc *x, sqlite3_stmt *st, int col)
{
	const char *a = (const char *)sqlite3_column_text(st, col);
	char key[64];
	const char *t;

	if (a == NULL || snprintf(key, sizeof(key), "audit.action.%s", a) >=
				 (int)sizeof(key))
		return cyc_col(x, st, col);
	t = cyc_t(x, key);
	return strcmp(t, key) == 0 ? cyc_col(x, st, col) : cyc_e(x, t);
}

enum MHD_Result staff_audit_page(struct cyc *x)
{
	static const char *const cols[] = {
		"staff.audit.when",   "staff.audit.who",    "staff.audit.what",
		"staff.audit.target", "staff.audit.detail", NULL,
	};
	sqlite3_stmt *st = NULL;
	int rc = 0, all = strcmp(x->me.role, "district") == 0;

	rc |= cyc_staff_top(x, cyc_t(x, "staff.audit.title"));
	rc |= buf_puts(&x->out, "<h1>");
	rc |= cyc_tx(x, "staff.audit.title");
	rc |= buf_puts(&x->out, "</h1>\n");
	rc |= cyc_table_head(x, "list", cols);
	if (sqlite3_prepare_v2(x->db,
			       "SELECT a.at, s.email, a.action, a.target,"
			       " a.detail FROM audit a LEFT JOIN staff s"
			       " ON s.id = a.staff WHERE ?1 OR a.staff = ?2"
			       " ORDER BY a.n DESC LIMIT 300",
			       -1, &st, NULL) != SQLITE_OK)
		return cyc_send(x, 500, -1);
	sqlite3_bind_int(st, 1, all);
	sqlite3_bind_int64(st, 2, x->me.id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rc |= buf_puts(&x->out, "<tr><td>");
		rc |= staff_date(x, sqlite3_column_int64(st, 0));
		rc |= buf_puts(&x->out, "</td><td>");
		rc |= cyc_col(x, st, 1);
		rc |= buf_puts(&x->out, "</td><td>");
		rc |= staff_audit_action(x, st, 2);
		rc |= buf_puts(&x->out, "</td><td>");
		rc |= cyc_col(x, st, 3);
		rc |= buf_puts(&x->out, "</td><td>");
		rc |= cyc_col(x, st, 4);
		rc |= buf_puts(&x->out, "</td></tr>\n");
	}
	sqlite3_finalize(st);
	rc |= buf_puts(&x->out, "</tbody></table>\n");
	return cyc_send(x, MHD_HTTP_OK, rc);
}
