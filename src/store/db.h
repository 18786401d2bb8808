/* db.h — the storage driver interface and the connection pool.
 *
 * SQL is written once, with `?` placeholders, in the subset SQLite and
 * PostgreSQL share (RETURNING, ON CONFLICT, partial indexes, text dates,
 * integer money).  A driver is a table of function pointers; db.c picks one
 * by the URL: `postgresql://` or `postgres://` → PostgreSQL, anything else
 * is a SQLite file path.
 *
 * Ownership: a `struct db` belongs to one thread at a time (the pool hands
 * it out); a `struct db_stmt` belongs to its db and must be finalized before
 * the db goes back to the pool.  Text returned by db_col_text() lives until
 * the next db_step() or db_finalize() of that statement.
 */
#ifndef BANGFU_DB_H
#define BANGFU_DB_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "../core/err.h"

struct db;
struct db_stmt;

enum db_kind { DB_SQLITE, DB_PG };

/* db_step() results (positive); errors are negative err codes. */
enum { DB_DONE = 0, DB_ROW = 1 };

/* The kind of a database failure, kept on the connection after an error
 * so that services can tell a unique violation from an outage. */
enum db_fail {
	DBF_NONE = 0,
	DBF_UNIQUE,     /* unique / primary key violated */
	DBF_CHECK,      /* CHECK or NOT NULL violated */
	DBF_FOREIGN,    /* foreign key violated */
	DBF_BUSY,       /* lock timeout, serialization failure, deadlock */
	DBF_OTHER,
};

enum db_coltype { DBC_NULL, DBC_INT, DBC_TEXT, DBC_REAL };

struct db_driver {
	const char *name;
	enum db_kind kind;
	int (*open)(const char *url, struct db **out, struct err *e);
	void (*close)(struct db *c);
	/* Runs one or more statements with no parameters (migrations). */
	int (*exec)(struct db *c, const char *sql, struct err *e);
	int (*prepare)(struct db *c, const char *sql, struct db_stmt **out, struct err *e);
	/* idx is 1-based, like sqlite3_bind_*. */
	int (*bind_int)(struct db_stmt *s, int idx, int64_t v);
	int (*bind_text)(struct db_stmt *s, int idx, const char *v); /* NULL binds NULL */
	/* As bind_text, without a copy: v must outlive the statement's use
	 * (db_run, db_int, db_insert step it to the end before returning).
	 * NULL when the driver copies anyway. */
	int (*bind_text_static)(struct db_stmt *s, int idx, const char *v);
	int (*bind_null)(struct db_stmt *s, int idx);
	int (*step)(struct db_stmt *s, struct err *e); /* DB_ROW, DB_DONE or <0 */
	/* Sends n bound, unstepped statements of one connection together
	 * (db_run_ahead); NULL when each runs at its first step anyway. */
	int (*run_ahead)(struct db_stmt **s, int n, struct err *e);
	int (*col_count)(struct db_stmt *s);
	const char *(*col_name)(struct db_stmt *s, int i);
	enum db_coltype (*col_type)(struct db_stmt *s, int i);
	int64_t (*col_int)(struct db_stmt *s, int i);
	const char *(*col_text)(struct db_stmt *s, int i); /* NULL for SQL NULL */
	void (*finalize)(struct db_stmt *s);
	enum db_fail (*last_fail)(struct db *c);
	/* The key of the row the last INSERT wrote, 0 when it wrote none;
	 * NULL when the engine answers through RETURNING instead (db_insert). */
	int64_t (*inserted_id)(struct db *c);
	/* Writes one row (key_col = key, col = the len bytes of data) of a
	 * blob table whose key is its INTEGER PRIMARY KEY (SQLite: the rowid),
	 * without holding a second whole copy of the bytes.  0 or <0. */
	int (*blob_insert)(struct db *c, const char *table, const char *key_col, const char *col,
			   int64_t key, const void *data, size_t len, struct err *e);
	/* Reads the len bytes of col in the row `attachment_id = key` into buf;
	 * E_NOT_FOUND when there is none, E_INTERNAL when its length differs. */
	int (*blob_read)(struct db *c, const char *table, const char *col, int64_t key, void *buf,
			 size_t len, struct err *e);
	/* As blob_read, the n bytes at off of a blob of len bytes (a piece
	 * of a download read while it is sent); NULL when the engine reads a
	 * blob only whole (PostgreSQL: a bytea slice of a compressed value
	 * decompresses from its start). */
	int (*blob_read_at)(struct db *c, const char *table, const char *col, int64_t key, size_t len,
			    size_t off, void *buf, size_t n, struct err *e);
	/* Text substituted for {{ID}} in migrations: an auto-increment key. */
	const char *id_column;
};

/* Every driver-specific struct begins with this, so db.c can reach the
 * driver from any connection or statement. */
/* SQLite's page cache per connection (PRAGMA cache_size: negative is KiB). */
#define DB_SQLITE_CACHE "-32768"

struct db {
	const struct db_driver *drv;
	int in_tx;
	int writer; /* holds this process's SQLite writer turn (db_writer.c) */
	int batch;  /* the pool's writer connection: writes by group commit */
	int bulk;   /* SQLite: db_begin_bulk turned foreign keys off until the end */
};
struct db_stmt {
	struct db *conn;
};

int db_open(const char *url, struct db **out, struct err *e);
const char *db_sqlite_file(struct db *c); /* a SQLite connection's database file (absolute) */
void db_close(struct db *c);
enum db_kind db_kind(const struct db *c);
int db_exec(struct db *c, const char *sql, struct err *e);
int db_prepare(struct db *c, const char *sql, struct db_stmt **out, struct err *e);
int db_bind_int(struct db_stmt *s, int idx, int64_t v);
int db_bind_text(struct db_stmt *s, int idx, const char *v);
int db_bind_null(struct db_stmt *s, int idx);
int db_step(struct db_stmt *s, struct err *e);
int db_col_count(struct db_stmt *s);
const char *db_col_name(struct db_stmt *s, int i);
enum db_coltype db_col_type(struct db_stmt *s, int i);
int64_t db_col_int(struct db_stmt *s, int i);
const char *db_col_text(struct db_stmt *s, int i);
int db_col_is_null(struct db_stmt *s, int i);
void db_finalize(struct db_stmt *s); /* NULL is fine */
/* The driver's blob_insert / blob_read (table and columns are constants). */
int db_blob_insert(struct db *c, const char *table, const char *key_col, const char *col, int64_t key,
		   const void *data, size_t len, struct err *e);
int db_blob_read(struct db *c, const char *table, const char *col, int64_t key, void *buf, size_t len,
		 struct err *e);
/* The driver's blob_read_at; db_blob_pieces() says whether it has one. */
int db_blob_pieces(const struct db *c);
int db_blob_read_at(struct db *c, const char *table, const char *col, int64_t key, size_t len, size_t off,
		    void *buf, size_t n, struct err *e);
enum db_fail db_last_fail(struct db *c);

/* Transactions.  A write transaction takes the write lock at once (SQLite
 * BEGIN IMMEDIATE), so two writers never deadlock on a lock upgrade. */
int db_begin(struct db *c, int write, struct err *e);
int db_commit(struct db *c, struct err *e);
/* A commit whose answer may start before it is on disk (RULE
 * privacy.download): returns once it is committed and visible; on the
 * pool's SQLite writer the flush runs meanwhile, and *ticket (0 when there
 * is none) is waited for with db_wait_flushed before the answer goes. */
int db_commit_early(struct db *c, uint64_t *ticket, struct err *e);
int db_wait_flushed(uint64_t ticket, struct err *e);
void db_rollback(struct db *c); /* safe when no transaction is open */
/* A write transaction for a bulk load whose every reference the caller
 * has made itself (the census import's fast ways: a household's rows point
 * at the household just inserted, its unit checked in scope).  SQLite:
 *  - foreign keys are not checked until db_commit/db_rollback turns them
 *    back on (`bangfu check` reads pragma_foreign_key_check); checked,
 *    each INSERT that fires triggers keeps a statement journal of every
 *    page it touches;
 *  - statement journals are in memory, not in a temporary file written a
 *    page at a time once one statement has passed 64 KiB (a quarter of
 *    the import's CPU, docs/benchmarks.md); temporary tables stay on disk.
 *  - the page cache is 4 MiB instead of DB_SQLITE_CACHE (32 MiB): the
 *    import's memory stays flat in the file's size, and its CPU time did
 *    not grow (it shrank a little: docs/benchmarks.md).
 * c must have no temporary table.  PostgreSQL: db_begin. */
int db_begin_bulk(struct db *c, struct err *e);

/* A read transaction on c that sees one committed state throughout
 * (PostgreSQL: REPEATABLE READ, READ ONLY; SQLite: a deferred read, whose
 * WAL snapshot is fixed by its first read).  End it with db_rollback(). */
int db_begin_snapshot(struct db *c, struct err *e);
/* SQLite: opens n more connections to url, each inside a read transaction,
 * all reading the same committed state (so that a long read can be split
 * over threads).  c must be outside a transaction; it is left so.  The
 * caller rolls back and closes out[0..n-1].  0 or <0 (none left open). */
int db_snapshot_readers(struct db *c, const char *url, int n, struct db **out, struct err *e);

/* --- convenience: one statement, parameters from a format string ------
 * `fmt` has one letter per `?`: 'i' int64_t, 's' const char * (NULL binds
 * NULL), 'z' int64_t with 0 bound as NULL, 'n' NULL (takes no argument).
 * Integer arguments must really be int64_t: cast literals and ints.  Example:
 *     db_q(c, e, "SELECT id FROM orgs WHERE path LIKE ? AND level=?", "ss", p, l)
 */
struct db_stmt *db_q(struct db *c, struct err *e, const char *sql, const char *fmt, ...);
/* Independent statements of one connection from db_q, not yet stepped,
 * sent to PostgreSQL in one round trip (pipeline mode; at most 8); each
 * is then stepped as usual, and reports its own error there.  A no-op on
 * SQLite, whose statements cost no round trip.  0 or <0. */
int db_run_ahead(struct db_stmt **s, int n, struct err *e);
/* Runs a statement that returns no rows (or ignores them); returns 0/<0. */
int db_run(struct db *c, struct err *e, const char *sql, const char *fmt, ...);
/* An INSERT of one row (written without RETURNING): *id is the new row's
 * `id`, or 0 when it wrote none (ON CONFLICT DO NOTHING).  SQLite asks the
 * connection, PostgreSQL appends RETURNING id: on SQLite RETURNING makes
 * every INSERT keep a statement journal (a page copy per index touched)
 * and its rows in a temporary b-tree opened and closed each time.  SQLite,
 * a table WITHOUT ROWID (archive_people): *id only tells whether a row was
 * written (not 0), as it has no key to tell. */
int db_insert(struct db *c, struct err *e, int64_t *id, const char *sql, const char *fmt, ...);
/* First column of the first row as an integer; *found = 0 when no row. */
int db_int(struct db *c, struct err *e, int64_t *out, int *found, const char *sql,
	   const char *fmt, ...);
/* The current row as a JSON object: INT columns → integers, TEXT → strings,
 * NULL → null.  New reference. */
json_t *db_row_json(struct db_stmt *s);
/* The same of columns [from, to) alone (a row that joins two records). */
json_t *db_row_json_cols(struct db_stmt *s, int from, int to);
/* The first row of `sql` with one integer parameter, as an object (new
 * reference); NULL when no row (e: E_NOT_FOUND) or on error. */
json_t *db_one_json(struct db *c, struct err *e, const char *sql, int64_t id);
/* Every row as an array of objects (new reference), NULL on error. */
json_t *db_rows_json(struct db_stmt *s, struct err *e);

/* --- dynamic queries: SQL built piece by piece, arguments kept beside it */
#define DB_ARGS_MAX 48
struct db_args {
	int n;
	char type[DB_ARGS_MAX];      /* 'i' or 's' */
	int64_t i[DB_ARGS_MAX];
	const char *s[DB_ARGS_MAX];  /* not copied: must outlive the query */
};
void db_arg_int(struct db_args *a, int64_t v);
void db_arg_str(struct db_args *a, const char *v);
struct db_stmt *db_q_args(struct db *c, struct err *e, const char *sql, const struct db_args *a);
/* A statement that starts with DB_PLAN_EACH is planned with its values at
 * every run on PostgreSQL, not prepared once: a list page whose scope is
 * `path LIKE $1` and whose rows are cut by `LIMIT $n` got a generic plan
 * (after five runs) that joined every unit's archives and sorted them, 4 ms
 * where the plan for the values reads 50 index entries in order (0.5 ms).
 * SQLite plans every statement with its values anyway; to it this is a
 * comment. */
#define DB_PLAN_EACH "/* plan each */ "
/* db_insert() with the arguments of a */
int db_insert_args(struct db *c, struct err *e, int64_t *id, const char *sql, const struct db_args *a);

/* Runs sql with a and hands every row, as db_row_json() makes it, to fn
 * (the row is borrowed: fn takes a reference to keep it).  Rows are not
 * gathered: memory stays flat however many there are (PostgreSQL: as
 * libpq delivers them).  Stops at fn's first error.  0 or <0. */
typedef int (*db_row_fn)(void *arg, json_t *row, struct err *e);
int db_each(struct db *c, struct err *e, const char *sql, const struct db_args *a, db_row_fn fn,
	    void *arg);
/* RULE workflow.optimistic: the one guarded step of every workflow table.
 *     UPDATE <table> SET status = to, version = version + 1, updated_at = now
 *            <set> WHERE id = ? AND status = from AND version = ?
 * `table` and `set` are constants (never input); `set` (", x = ?, ...", or
 * NULL) takes its arguments from `a` (may be NULL).  Returns 1 when the row
 * moved, 0 when it was no longer in `from` at `version` (someone acted
 * first), <0 on error. */
int db_move_status(struct db *c, struct err *e, const char *table, int64_t id, const char *from,
		   int64_t version, const char *to, const char *now, const char *set,
		   const struct db_args *a);

/* A page of a list: `SELECT COUNT(*) <from>` for *total, then
 * `SELECT <cols> <from> ORDER BY <order> LIMIT ? OFFSET ?` as rows.  The
 * arguments in `a` belong to <from>; limit and offset are added here.
 * *items is a new reference.  0 or <0 with e set. */
int db_page(struct db *c, struct err *e, const char *cols, const char *from, const char *order,
	    struct db_args *a, int64_t limit, int64_t offset, json_t **items, int64_t *total);
/* As db_page, with the total counted over count_from: the same rows and
 * arguments as from, written for the planner to count them another way; or,
 * when it starts with "SELECT ", the whole statement that answers the total
 * from the same arguments (a kept count). */
int db_page_counted(struct db *c, struct err *e, const char *cols, const char *from, const char *count_from,
		    const char *order, struct db_args *a, int64_t limit, int64_t offset, json_t **items,
		    int64_t *total);

/* As db_page, but the answer is the finished JSON text
 * {"items":[...],"total":N}, written straight from the rows without building
 * JSON objects (lists are the hot path).  *text is malloc'd; caller frees. */
int db_page_text(struct db *c, struct err *e, const char *cols, const char *from, const char *order,
		 struct db_args *a, int64_t limit, int64_t offset, char **text);

/* --- the pool: one connection per worker --------------------------------- */
struct db_pool;
int db_pool_open(const char *url, int size, struct db_pool **out, struct err *e);
struct db *db_pool_get(struct db_pool *p);     /* blocks until one is free */
void db_pool_put(struct db_pool *p, struct db *c); /* rolls back an open tx */
void db_pool_close(struct db_pool *p);
/* SQLite: the pool's writer connection, shared by the request writers in
 * turn (group commit, db_writer.c); call writer_end() on it when the
 * request ends.  NULL on PostgreSQL. */
struct db *db_pool_writer(struct db_pool *p);

/* Driver tables, defined in db_sqlite.c and db_pg.c. */
extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
