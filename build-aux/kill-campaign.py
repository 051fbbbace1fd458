#!/usr/bin/env python3
"""kill -9 campaign: SIGKILL clientele-cli at random moments of an import, a recompute, a
generate and the repair of a pending search index, on a small database; after each kill open
the database again (clientele-cli stats: that finishes an index a kill left pending) and check
that nothing is damaged or half done.

    build-aux/kill-campaign.py CLI [--kills 60] [--seed N] [--keep DIR]

After each kill:
- PRAGMA integrity_check is "ok", and the FTS5 index matches its content table
  ('integrity-check' with rank 1);
- import: all or none of the file's rows are there;
- recompute: the scores, tiers, stages and histories are those before the run or those of a
  complete run (made on a copy first), nothing in between;
- generate: all or none of the customers, orders and order lines;
- search index: no repair is left pending after the next open;
- no *.partial, *.part, -journal or -writer file is left in the folder, nor any other temporary
  file: an output file's temporary (".NAME.<random>.clientele-tmp", which a kill leaves only where
  O_TMPFILE is not used — every other import round runs with CLIENTELE_NO_TMPFILE=1 to take that
  way — or in the instant between naming it and renaming it) is acceptable only if the next
  write to the same target removes it, which is checked at once with an export to that target.

Prints "N kills, 0 integrity failures, 0 partial states" and exits 1 if either count is not
0 or fewer kills than asked for could be made.
"""
import argparse
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

OPS = ("import", "recompute", "generate", "search-index")


class Campaign:
    def __init__(self, cli, workdir, rng):
        self.cli = cli
        self.dir = workdir
        self.db = os.path.join(workdir, "shop.db")
        self.rng = rng
        self.round = 0
        self.kills = {op: 0 for op in OPS}
        self.completed = {op: 0 for op in OPS}
        self.integrity_failures = 0
        self.partial_states = 0
        self.durations = {}
        self.tmp_cleaned = 0

    # ---- running the CLI -------------------------------------------------------------

    def run(self, *args, db=None, check=True):
        cmd = [self.cli, "--database", db or self.db, *args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
        return p

    def kill_during(self, op, args, env=None):
        """Runs the CLI with @args and SIGKILLs it at a random moment of its usual run time."""
        # Most runs are shorter than the first, timed one (caches are warm by then).
        delay = self.rng.uniform(0.0, self.durations[op] * 0.8)
        p = subprocess.Popen([self.cli, "--database", self.db, *args], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        try:
            p.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, err = p.communicate(timeout=120)
        if p.returncode == -signal.SIGKILL:
            self.kills[op] += 1
            return True
        if p.returncode != 0:
            raise RuntimeError("%s %s: exit %d: %s" % (op, args, p.returncode, err.strip()))
        self.completed[op] += 1
        return False

    def timed(self, op, *args, db):
        start = time.monotonic()
        self.run(*args, db=db)
        self.durations[op] = time.monotonic() - start

    # ---- state -----------------------------------------------------------------------

    def query(self, sql, db=None):
        con = sqlite3.connect("file:%s?mode=ro" % (db or self.db), uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def scalar(self, sql, db=None):
        return self.query(sql, db)[0][0]

    def recompute_state(self, db=None):
        """What a recompute writes, without the times of the run."""
        h = hashlib.sha256()
        for sql in ("SELECT customer_id, r_days, frequency, monetary, r_score, f_score, m_score, segment"
                    " FROM customer_rfm ORDER BY customer_id",
                    "SELECT customer_id, tier_id, lifecycle, deleted FROM customer_state ORDER BY customer_id",
                    "SELECT customer_id, from_tier, to_tier, reason FROM tier_history ORDER BY id",
                    "SELECT customer_id, from_stage, to_stage FROM lifecycle_history ORDER BY id",
                    "SELECT key, value FROM settings WHERE key NOT LIKE 'search.%' AND key NOT LIKE '%computed_at'"
                    " ORDER BY key"):
            h.update(repr(self.query(sql, db)).encode())
        return h.hexdigest()

    def counts(self):
        return tuple(self.scalar("SELECT count(*) FROM %s" % t) for t in ("customers", "orders", "order_lines"))

    TMP_SUFFIX = ".clientele-tmp"

    def leftovers(self):
        bad = []
        for name in os.listdir(self.dir):
            if (name.endswith((".partial", ".part", "-journal", "-writer", self.TMP_SUFFIX)) or ".partial" in name
                    or name.startswith(".")):
                bad.append(name)
        return bad

    def tmp_target(self, name):
        """The target whose temporary file @name is (".NAME.<8 random>.clientele-tmp"), or None."""
        if not (name.startswith(".") and name.endswith(self.TMP_SUFFIX)):
            return None
        stem = name[1:-len(self.TMP_SUFFIX)]
        if len(stem) < 10 or stem[-9] != ".":
            return None
        return stem[:-9]

    def clean_by_next_write(self, left):
        """Output temporaries a kill left: the next write to the same target must remove them.
        Returns what is still left after that."""
        targets = {self.tmp_target(n) for n in left} - {None}
        for target in targets:
            self.run("export", "customers", "-o", os.path.join(self.dir, target))
        still = [n for n in self.leftovers()]
        self.tmp_cleaned += len([n for n in left if self.tmp_target(n) and n not in still])
        return still

    # ---- after a kill ------------------------------------------------------------------

    def check(self, op, partial_ok):
        """Opens the database again and checks it; partial_ok() says whether the op is whole."""
        problems = []
        p = self.run("stats", check=False)
        if p.returncode != 0:
            problems.append("open after the kill failed: " + p.stderr.strip())
        try:
            ic = self.query("PRAGMA integrity_check")
            if ic != [("ok",)]:
                self.integrity_failures += 1
                problems.append("integrity_check: %r" % ic[:5])
            con = sqlite3.connect(self.db)
            try:
                con.execute("INSERT INTO customers_fts (customers_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as e:
                self.integrity_failures += 1
                problems.append("FTS index does not match its content: %s" % e)
            finally:
                con.close()
        except sqlite3.DatabaseError as e:
            self.integrity_failures += 1
            problems.append("cannot read the database: %s" % e)
            return problems

        partial = []
        if self.scalar("SELECT count(*) FROM settings WHERE key = 'search.pending_from'"):
            partial.append("search index still pending after the next open")
        partial += partial_ok()
        left = self.leftovers()
        sizes = {n: os.path.getsize(os.path.join(self.dir, n)) for n in left}
        if left:
            left = self.clean_by_next_write(left)
        partial += ["left behind and not removed by the next write: %s (%d bytes)" % (n, sizes.get(n, 0))
                    for n in left]
        if partial:
            self.partial_states += 1
            problems += partial
        return problems

    # ---- the operations ------------------------------------------------------------------

    def import_args(self, k):
        path = os.path.join(self.dir, "round-%d.csv" % k)
        with open(path, "w", encoding="utf-8") as f:
            f.write("name,email,phone,city\n")
            for i in range(self.import_rows):
                f.write("Kamp R%d-%d,r%d.%d@kill.example,+86 137 %04d %04d,Kstadt%dq\n" % (k, i, k, i, k % 10000, i, k))
        # A rejects file too (one row is refused: nothing in it can name a customer, its e-mail
        # cell being no address): a kill must not leave a half-written one.
        with open(path, "a", encoding="utf-8") as f:
            f.write(",Kamp R%d-bad,,Kstadt%dq\n" % (k, k))
        return ["import", "customers", path, "--rejects", os.path.join(self.dir, "rejects-%d.csv" % k)]

    def round_import(self, k):
        args = self.import_args(k)
        before = self.counts()[0]
        # Every other round the output files take the way of file systems without O_TMPFILE.
        env = dict(os.environ)
        env.pop("CLIENTELE_NO_TMPFILE", None)
        if (self.kills["import"] + self.completed["import"]) % 2:
            env["CLIENTELE_NO_TMPFILE"] = "1"
        killed = self.kill_during("import", args, env=env)

        def whole():
            n = self.scalar("SELECT count(*) FROM customers WHERE name LIKE 'Kamp R%d-%%'" % k)
            total = self.counts()[0]
            fts = self.scalar("SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '\"Kstadt%dq\"'" % k)
            bad = []
            if n not in (0, self.import_rows) or total != before + n:
                bad.append("import: %d of %d rows (customers %d -> %d)" % (n, self.import_rows, before, total))
            if fts != n:
                bad.append("import: %d rows, %d found by search" % (n, fts))
            rejects = os.path.join(self.dir, "rejects-%d.csv" % k)
            if os.path.exists(rejects):
                with open(rejects, encoding="utf-8-sig") as f:
                    text = f.read()
                if ("Kamp R%d-bad" % k) not in text or not text.endswith("\n"):
                    bad.append("import: a half-written rejects file (%d bytes)" % len(text))
            return bad
        return killed, self.check("import", whole)

    def round_recompute(self, k):
        args = ["recompute", "--as-of", "2024-12-31", "--window-days", str(self.rng.choice((90, 180, 365, 730)))]
        before = self.recompute_state()
        # The complete run's result, on a copy (SQLite's backup API, never a file copy).
        ref = os.path.join(self.dir, "reference.db")
        src, dst = sqlite3.connect(self.db), sqlite3.connect(ref)
        src.backup(dst)
        src.close()
        dst.close()
        self.run(*args, db=ref)
        after = self.recompute_state(ref)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(ref + suffix):
                os.unlink(ref + suffix)
        killed = self.kill_during("recompute", args)

        def whole():
            now = self.recompute_state()
            return [] if now in (before, after) else ["recompute: neither the state before nor a whole run"]
        return killed, self.check("recompute", whole)

    def round_generate(self, k):
        before = self.counts()
        # --force: the database holds customers already, which generate refuses otherwise.
        killed = self.kill_during("generate", ["generate", "--customers", "400", "--orders", "1600",
                                               "--seed", str(k), "--as-of", "2024-12-31", "--force"])

        def whole():
            now = self.counts()
            delta = tuple(a - b for a, b in zip(now, before))
            if delta[0] == 0 and delta[1] == 0 and delta[2] == 0:
                return []
            if delta[0] == 400 and delta[1] == 1600 and delta[2] > 0:
                return []
            return ["generate: customers/orders/lines grew by %r" % (delta,)]
        return killed, self.check("generate", whole)

    def mark_pending(self):
        con = sqlite3.connect(self.db)
        con.execute("INSERT INTO customers_fts (customers_fts) VALUES ('delete-all')")
        con.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('search.pending_from', '1')")
        con.commit()
        con.close()

    def round_search_index(self, k):
        # As an import killed after its commit leaves it: rows in, full-text index pending.
        self.mark_pending()
        killed = self.kill_during("search-index", ["stats"])
        return killed, self.check("search-index", lambda: [])

    # ---- the campaign ------------------------------------------------------------------------

    def setup(self):
        self.import_rows = 300
        self.run("generate", "--customers", "1500", "--orders", "6000", "--seed", "1", "--as-of", "2024-12-31")
        self.run("recompute", "--as-of", "2024-12-31")
        # How long each operation runs here, on a copy: kills land within that time.
        cal = os.path.join(self.dir, "calibrate.db")
        src, dst = sqlite3.connect(self.db), sqlite3.connect(cal)
        src.backup(dst)
        src.close()
        dst.close()
        self.timed("import", *self.import_args(0), db=cal)
        self.timed("recompute", "recompute", "--as-of", "2024-12-31", "--window-days", "180", db=cal)
        self.timed("generate", "generate", "--customers", "400", "--orders", "1600", "--seed", "9", "--as-of",
                   "2024-12-31", "--force", db=cal)
        saved, self.db = self.db, cal
        self.mark_pending()
        self.db = saved
        self.timed("search-index", "stats", db=cal)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(cal + suffix):
                os.unlink(cal + suffix)
        for name in ("round-0.csv", "rejects-0.csv"):
            if os.path.exists(os.path.join(self.dir, name)):
                os.unlink(os.path.join(self.dir, name))

    def go(self, wanted, verbose):
        per_op = -(-wanted // len(OPS))
        attempts = 0
        while min(self.kills.values()) < per_op and attempts < wanted * 6:
            for op in OPS:
                if self.kills[op] >= per_op:
                    continue
                attempts += 1
                self.round += 1
                killed, problems = getattr(self, "round_" + op.replace("-", "_"))(self.round)
                if verbose or problems:
                    print("%-12s round %3d: %s%s" % (op, self.round, "killed" if killed else "finished",
                                                    "" if not problems else " — " + "; ".join(problems)))
                for name in os.listdir(self.dir):
                    if name.startswith(("round-", "rejects-")) and name.endswith(".csv"):
                        os.unlink(os.path.join(self.dir, name))
                # Keep the database small: back to a fresh one now and then.
                if self.counts()[0] > 6000:
                    for suffix in ("", "-wal", "-shm"):
                        if os.path.exists(self.db + suffix):
                            os.unlink(self.db + suffix)
                    self.setup_db_only()

    def setup_db_only(self):
        self.run("generate", "--customers", "1500", "--orders", "6000", "--seed", "1", "--as-of", "2024-12-31")
        self.run("recompute", "--as-of", "2024-12-31")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cli", help="the clientele-cli binary")
    ap.add_argument("--kills", type=int, default=60, help="at least this many kills (default 60)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: the time)")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    ap.add_argument("--verbose", action="store_true", help="a line per round")
    args = ap.parse_args()

    seed = args.seed if args.seed is not None else int(time.time())
    workdir = args.keep or tempfile.mkdtemp(prefix="clientele-kill-")
    os.makedirs(workdir, exist_ok=True)
    start = time.monotonic()
    c = Campaign(os.path.abspath(args.cli), workdir, random.Random(seed))
    try:
        c.setup()
        c.go(args.kills, args.verbose)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    total = sum(c.kills.values())
    print("kill campaign (seed %d, %.0f s): %s; %d runs finished before their kill" % (
        seed, time.monotonic() - start,
        ", ".join("%s %d" % (op, c.kills[op]) for op in OPS), sum(c.completed.values())))
    print("output temporaries left by a kill and removed by the next write: %d" % c.tmp_cleaned)
    print("%d kills, %d integrity failures, %d partial states" % (total, c.integrity_failures, c.partial_states))
    ok = c.integrity_failures == 0 and c.partial_states == 0 and total >= args.kills
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
