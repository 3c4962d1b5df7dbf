"""Scripts/bench postgres: credfolio on PostgreSQL against psql on the same server and data, and the
SQLite build's start-up against the release before PostgreSQL came (PREVIOUS, default 678c533).

- imports: `import learners` and `import awards` into a database holding the catalog (and, for awards,
  the learners), against psql doing `\\copy` of the same CSV into a staging table and the same
  `INSERT ... SELECT`;
- `export progress` against psql running a grouped query over the same learners and awards;
- peak memory of `export progress` at two sizes: a streamed read stays flat;
- start-up on SQLite: `--version` and `progress` against the previous release, 61 runs alternating.
"""
import os
import random
import shutil
import subprocess

LEARNERS = (20_000, 80_000)
RUNS = 5


def main(binary, run, compare, write_section, generate, build_previous, seed, as_of):
    work = os.path.abspath(".build/bench-postgres")
    subprocess.run(["rm", "-rf", work], check=True)
    os.makedirs(work)
    env = subprocess.run(["Scripts/postgres-cluster", "start"], check=True, capture_output=True, text=True).stdout
    settings = dict(line.split("=", 1) for line in env.replace("export ", "").strip().splitlines())
    conninfo = settings["CREDFOLIO_TEST_POSTGRES"].strip("'")
    cluster = settings["CREDFOLIO_TEST_POSTGRES_DIR"].strip("'")
    pairs = dict(pair.split("=", 1) for pair in conninfo.split())
    host, user = pairs["host"], pairs["user"]
    try:
        rows, memory = measure(binary, run, compare, generate, work, host, user, seed, as_of)
    finally:
        subprocess.run(["Scripts/postgres-cluster", "stop", cluster], check=True, capture_output=True)
    startup = measure_startup(binary, run, compare, build_previous, generate, work, seed, as_of)
    report(write_section, rows, memory, startup)


def url(host, user, database):
    return f"postgresql:///{database}?host={host}&user={user}"


def psql(host, user, database, *arguments):
    return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url(host, user, database), *arguments]


def measure(binary, run, compare, generate, work, host, user, seed, as_of):
    rows, memory = [], []
    admin = lambda sql: subprocess.run(psql(host, user, "postgres", "-c", sql), check=True, capture_output=True)
    for count in LEARNERS:
        data = f"{work}/data-{count}"
        awards = generate(data, count, random.Random(seed))
        # Templates: the catalog alone, then the catalog and the learners; each run starts from a copy.
        for template, kinds in ((f"catalog_{count}", ["skills", "credentials"]), (f"people_{count}", ["skills", "credentials", "learners"])):
            admin(f"CREATE DATABASE {template}")
            for kind in kinds:
                run([binary, "import", kind, f"{data}/{kind}.csv", "--db", url(host, user, template)])
            run([binary, "import", "stacks", f"{data}/stacks.json", "--db", url(host, user, template)])
        loaded = f"loaded_{count}"
        admin(f"CREATE DATABASE {loaded} TEMPLATE people_{count}")
        run([binary, "import", "awards", f"{data}/awards.csv", "--db", url(host, user, loaded)])
        subprocess.run(psql(host, user, loaded, "-c", "VACUUM ANALYZE"), check=True)

        def fresh(template):
            def prepare():
                admin("DROP DATABASE IF EXISTS target WITH (FORCE)")
                admin(f"CREATE DATABASE target TEMPLATE {template}")
            return prepare

        if count == LEARNERS[0]:
            learners_sql = f"{work}/learners.sql"
            with open(learners_sql, "w") as f:
                f.write(f"""
CREATE TEMP TABLE staging (handle text, name text, email text, cohort text);
\\copy staging FROM '{data}/learners.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO learner (handle, name, email, cohort, notes, created_on)
  SELECT handle, name, nullif(email, ''), nullif(cohort, ''), '', current_date FROM staging;
""")
            awards_sql = f"{work}/awards.sql"
            with open(awards_sql, "w") as f:
                f.write(f"""
CREATE TEMP TABLE staging (learner text, credential text, status text, earned_on text, expires_on text, evidence_url text);
\\copy staging FROM '{data}/awards.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO award (learner_id, credential_id, status, earned_on, expires_on, evidence_url, notes)
  SELECT l.id, c.id, s.status, CAST(nullif(s.earned_on, '') AS date), CAST(nullif(s.expires_on, '') AS date),
         nullif(s.evidence_url, ''), ''
  FROM staging s JOIN learner l ON l.handle = s.learner JOIN credential c ON c.code = s.credential;
""")
            target = url(host, user, "target")
            rows.append(compare(f"import learners ({count:,})",
                                lambda: run([binary, "import", "learners", f"{data}/learners.csv", "--db", target]),
                                lambda: run(psql(host, user, "target", "-f", learners_sql)), RUNS, prepare=fresh(f"catalog_{count}")))
            rows.append(compare(f"import awards ({awards:,})",
                                lambda: run([binary, "import", "awards", f"{data}/awards.csv", "--db", target]),
                                lambda: run(psql(host, user, "target", "-f", awards_sql)), RUNS, prepare=fresh(f"people_{count}")))
            grouped = f"""
SELECT l.handle, l.name, l.cohort, count(a.id) FILTER (WHERE a.status = 'earned'), max(a.earned_on)
FROM learner l LEFT JOIN award a ON a.learner_id = l.id GROUP BY l.id ORDER BY l.handle
"""
            rows.append(compare(f"export progress ({count:,} learners)",
                                lambda: run([binary, "export", "progress", "--as-of", as_of, "--db", url(host, user, loaded)]),
                                lambda: run(psql(host, user, loaded, "-A", "-c", grouped)), RUNS))
        peak = compare(f"export progress ({count:,} learners), peak memory",
                       lambda: run([binary, "export", "progress", "--as-of", as_of, "--db", url(host, user, loaded)]), None, 1)
        memory.append((count, awards, peak["memory"]))
    return rows, memory


def measure_startup(binary, run, compare, build_previous, generate, work, seed, as_of):
    previous_revision = os.environ.get("PREVIOUS", "678c533")
    print(f"start-up on SQLite: building the previous release ({previous_revision})", flush=True)
    previous = build_previous(previous_revision)
    if not previous:
        return []
    data = f"{work}/startup"
    generate(data, 2_000, random.Random(seed))
    db = f"{data}/s.db"
    for kind in ("skills", "credentials", "learners", "awards"):
        run([previous, "import", kind, f"{data}/{kind}.csv", "--db", db])
    run([previous, "import", "stacks", f"{data}/stacks.json", "--db", db])
    learner = open(f"{data}/learners.csv").read().splitlines()[1].split(",")[0]
    # The same data at each build's schema: this build migrates its copy to schema 7 once, before the timing;
    # the previous release refuses a schema newer than its own.
    ours_db = f"{data}/ours.db"
    shutil.copyfile(db, ours_db)
    run([binary, "progress", learner, "--as-of", as_of, "--db", ours_db])
    return [
        compare(f"--version, against the previous release ({previous_revision})",
                lambda: run([binary, "--version"]), lambda: run([previous, "--version"]), 61),
        compare(f"progress {learner}, against the previous release ({previous_revision})",
                lambda: run([binary, "progress", learner, "--as-of", as_of, "--db", ours_db]),
                lambda: run([previous, "progress", learner, "--as-of", as_of, "--db", db]), 61),
    ]


def report(write_section, rows, memory, startup):
    def ms(seconds):
        return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"
    lines = [
        "## `Scripts/bench postgres`",
        "",
        "A throwaway PostgreSQL 15 cluster on a Unix socket (Scripts/postgres-cluster), the generated population of",
        "`Scripts/bench` (seed 20261129). Release build, whole processes, medians of "
        f"{RUNS} runs alternating with the baseline, each run on a fresh copy of a template database. The baseline is",
        "psql on the same server: `\\copy` of the same CSV into a staging table and the same `INSERT ... SELECT` for",
        "an import; for `export progress`, a grouped query over the same learners and awards.",
        "",
        "| command | credfolio | psql | ratio | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(f"| {row['name']} | {ms(row['ours'])} | {ms(row['baseline'])} | {row['ratio']:.2f}× | {row['memory']:.1f} MiB |")
    lines += ["", "Peak memory of `export progress` (rows are streamed through a cursor, a thousand at a time):", "",
              "| learners | awards | peak RSS |", "| ---: | ---: | ---: |"]
    for count, awards, peak in memory:
        lines.append(f"| {count:,} | {awards:,} | {peak:.1f} MiB |")
    if startup:
        lines += ["", "Start-up of the SQLite build (medians of 61 runs, alternating; target: within 5%):", "",
                  "| command | this build | previous release | ratio | peak RSS |", "| --- | ---: | ---: | ---: | ---: |"]
        for row in startup:
            lines.append(f"| {row['name']} | {ms(row['ours'])} | {ms(row['baseline'])} | {row['ratio']:.2f}× | {row['memory']:.1f} MiB |")
    lines += ["", "Reproduce: `Scripts/bench postgres` (`PREVIOUS=REV` names the release to compare start-up with)."]
    write_section("postgres", lines)
