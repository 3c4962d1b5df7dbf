#!/usr/bin/env python3
"""Credfolio's benchmark: whole processes, side by side with SQLite's own shell.

Run it through Scripts/bench, which builds the release binary first:

    Scripts/bench small     # 10,000 learners, ~100,000 awards: a couple of minutes
    Scripts/bench large     # 100,000 learners, ~1,000,000 awards
    Scripts/bench site      # report html at 20,000 learners against export progress

It generates a synthetic population from a fixed seed, then times each
credfolio command against its baseline, alternating the two, and reports
medians, the ratio credfolio / baseline, and credfolio's peak resident memory.
The results go to BENCHMARKS.md.
"""

import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time

SIZES = {
    "small": {"learners": 10_000, "runs": 5},
    "large": {"learners": 100_000, "runs": 3},
    "site": {"learners": 20_000, "runs": 8},
    "huge": {"learners": 1_000_000, "runs": 1},
}
CREDENTIALS = 500
SKILLS = 60
STACKS = 20
SEED = 20261129
AS_OF = "2026-11-29"

SUBJECTS = ["Data Analytics", "Cloud Security", "Project Management", "Web Development", "Digital Marketing",
            "Medical Coding", "Network Administration", "Agile Leadership", "Python Programming", "UX Research"]
LEVELS = ["Foundations", "Associate", "Professional", "Expert"]
ISSUERS = ["Metro College", "State University", "Google", "Microsoft", "CompTIA", "AAPC", "PMI", "Scrum.org"]


def generate(folder, learners, rng):
    """Writes skills, credentials, learners, awards (CSV) and stacks (JSON)."""
    os.makedirs(folder, exist_ok=True)
    skills = [f"skill-{i:02d}" for i in range(SKILLS)]
    with open(f"{folder}/skills.csv", "w") as f:
        f.write("code,name,category\n")
        for i, code in enumerate(skills):
            f.write(f"{code},Skill {i},{['Technology', 'Business', 'Healthcare'][i % 3]}\n")

    credentials = []
    with open(f"{folder}/credentials.csv", "w") as f:
        f.write("code,title,issuer,kind,hours,cost,weeks,validity_months,skills\n")
        for i in range(CREDENTIALS):
            code = f"cr-{i:04d}"
            hours = rng.choice([8, 12, 16, 20, 30, 40, 60, 80, 120, 160])
            validity = rng.choice(["", "", "", "12", "24", "36"])
            taught = rng.sample(skills, rng.randint(1, 3))
            title = f"\"{rng.choice(SUBJECTS)}, {rng.choice(LEVELS)} {i}\""
            kind = rng.choice(["badge", "certificate", "certification", "course"])
            cost = f"{rng.randint(0, 120) * 5}.{rng.choice(['00', '99', '50'])}"
            f.write(f"{code},{title},{rng.choice(ISSUERS)},{kind},{hours},{cost},{max(1, hours // 10)},{validity},{';'.join(taught)}\n")
            credentials.append((code, taught))

    stacks = []
    for s in range(STACKS):
        pool = rng.sample(credentials, 12)
        children = [
            {"credential": pool[0][0]},
            {"credential": pool[1][0]},
            {"choose": 2, "of": [{"credential": c[0]} for c in pool[2:6]]},
            {"skill": rng.choice(pool[6][1])},
            {"hours": rng.choice([60, 100, 150]), "from": [c[0] for c in pool[:10]]},
        ]
        if s % 4 == 3:
            children.append({"stack": f"stack-{s - 1:02d}"})
        if s % 5 == 0:
            children.append({"choose": 1, "of": [{"credential": pool[10][0]}, {"credential": pool[11][0]}, {"hours": 40}]})
        stacks.append({"code": f"stack-{s:02d}", "title": f"{rng.choice(SUBJECTS)} Pathway {s}",
                       "issuer": rng.choice(ISSUERS), "requires": {"all": children}})
    with open(f"{folder}/stacks.json", "w") as f:
        json.dump(stacks, f, indent=1)

    # Learners favour the credentials their stacks name, as real ones do.
    stacked = sorted({leaf["credential"] for st in stacks for leaf in walk(st["requires"]) if "credential" in leaf})
    awards = 0
    with open(f"{folder}/learners.csv", "w") as lf, open(f"{folder}/awards.csv", "w") as af:
        lf.write("handle,name,email,cohort\n")
        af.write("learner,credential,status,earned_on,expires_on,evidence_url\n")
        for i in range(learners):
            handle = f"learner-{i:06d}"
            lf.write(f"{handle},\"Learner {i}, Cohort {i % 40}\",{handle}@example.org,cohort-{i % 40:02d}\n")
            count = rng.randint(5, 15)
            chosen = set(rng.sample(stacked, min(len(stacked), count // 2)))
            while len(chosen) < count:
                chosen.add(rng.choice(credentials)[0])
            for code in sorted(chosen):
                roll = rng.random()
                status = "earned" if roll < 0.78 else "in-progress" if roll < 0.88 else "planned" if roll < 0.96 else "revoked"
                earned = "" if status in ("in-progress", "planned") else random_day(rng, 2019, 2026)
                evidence = f"https://badges.example.org/{handle}/{code}" if status == "earned" and rng.random() < 0.3 else ""
                af.write(f"{handle},{code},{status},{earned},,{evidence}\n")
                awards += 1
                if status == "earned" and rng.random() < 0.03 and earned < "2025":
                    af.write(f"{handle},{code},earned,{random_day(rng, 2025, 2026)},,\n")  # a renewal
                    awards += 1
    return awards


def walk(node):
    yield node
    for key in ("all", "of"):
        for child in node.get(key, []):
            yield from walk(child)


def random_day(rng, first, last):
    year = rng.randint(first, last)
    month = rng.randint(1, 10 if year == 2026 else 12)
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def run(command, stdout=subprocess.DEVNULL, stdin=None):
    """Runs one process; returns (seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, stdin=stdin)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode()
    process.stderr.close()
    if process.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({process.returncode}): {error}")
    return elapsed, usage.ru_maxrss / 1024


def compare(name, ours, baseline, runs, prepare=None):
    """Alternates ours and baseline `runs` times; returns a result row."""
    times, base_times, memory = [], [], []
    for _ in range(runs):
        if prepare: prepare()
        t, m = ours()
        times.append(t)
        memory.append(m)
        if baseline:
            if prepare: prepare()
            base_times.append(baseline()[0])
    row = {"name": name, "ours": statistics.median(times), "memory": max(memory)}
    if base_times:
        row["baseline"] = statistics.median(base_times)
        row["ratio"] = row["ours"] / row["baseline"]
    print(f"  {name}: credfolio {row['ours']:.4f} s" + (f", baseline {row['baseline']:.4f} s, ratio {row['ratio']:.2f}"
          if base_times else "") + f", peak RSS {row['memory']:.1f} MiB", flush=True)
    return row


def main():
    size = sys.argv[1] if len(sys.argv) > 1 else "small"
    binary = sys.argv[2]
    if size == "planner":
        import bench_planner
        bench_planner.main(binary, run, compare, write_section)
        return
    if size == "ctdl":
        import bench_ctdl
        bench_ctdl.main(binary, run, compare, write_section)
        return
    if size == "postgres":
        import bench_planner
        import bench_postgres
        bench_postgres.main(binary, run, compare, write_section, generate, bench_planner.build_previous, SEED, AS_OF)
        return
    if size not in SIZES:
        sys.exit("usage: Scripts/bench [small|large|site|huge|planner|ctdl|postgres]")
    config = SIZES[size]
    sqlite = shutil.which("sqlite3") or sys.exit("bench: the sqlite3 shell is missing (apt-get install sqlite3)")
    work = os.path.abspath(f".build/bench-{size}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rng = random.Random(SEED)
    print(f"generating the {size} population (seed {SEED})", flush=True)
    awards = generate(f"{work}/data", config["learners"], rng)
    data = f"{work}/data"
    if size == "huge":
        huge(binary, sqlite, work, data, awards, config)
        return

    base = f"{work}/base.db"
    for kind in ("skills", "credentials", "learners"):
        run([binary, "import", kind, f"{data}/{kind}.csv", "--db", base])
    run([binary, "import", "stacks", f"{data}/stacks.json", "--db", base])
    target = f"{work}/target.db"

    def fresh():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix): os.remove(target + suffix)
        shutil.copyfile(base, target)

    runs = config["runs"]
    results = []
    print(f"timing ({runs} runs each, alternating with the baseline)", flush=True)
    staging = f"""
.bail on
.import --csv {data}/awards.csv staging
INSERT INTO award (learner_id, credential_id, status, earned_on, expires_on, evidence_url)
  SELECT l.id, c.id, s.status, nullif(s.earned_on, ''), nullif(s.expires_on, ''), nullif(s.evidence_url, '')
  FROM staging s JOIN learner l ON l.handle = s.learner JOIN credential c ON c.code = s.credential;
DROP TABLE staging;
"""
    script = f"{work}/load.sql"
    with open(script, "w") as f:
        f.write(staging)
    results.append(compare(
        f"import awards ({awards:,} rows)",
        lambda: run([binary, "import", "awards", f"{data}/awards.csv", "--db", target]),
        lambda: run([sqlite, target, f".read {script}"]),
        runs, prepare=fresh))

    # The loaded database, for the read benchmarks.
    fresh()
    run([binary, "import", "awards", f"{data}/awards.csv", "--db", target])
    loaded = f"{work}/loaded.db"
    shutil.copyfile(target, loaded)
    if size == "site":
        site_report(binary, work, loaded, awards, config)
        return
    grouped = f"""
SELECT l.handle, count(*), sum(c.hours)
FROM learner l JOIN award a ON a.learner_id = l.id JOIN credential c ON c.id = a.credential_id
WHERE a.status = 'earned' AND a.earned_on <= '{AS_OF}'
  AND ifnull(a.expires_on, date(a.earned_on, '+' || c.validity_months || ' months')) IS NOT '{AS_OF}'
  AND (ifnull(a.expires_on, date(a.earned_on, '+' || c.validity_months || ' months')) IS NULL
       OR ifnull(a.expires_on, date(a.earned_on, '+' || c.validity_months || ' months')) > '{AS_OF}')
GROUP BY l.id ORDER BY l.handle;
"""
    rows = config["learners"] * STACKS
    out = f"{work}/out.csv"
    results.append(compare(
        f"export progress ({rows:,} rows)",
        lambda: run([binary, "export", "progress", "--as-of", AS_OF, "-o", out, "--db", loaded]),
        lambda: run([sqlite, "-csv", loaded, grouped], stdout=open(out + ".base", "w")),
        runs))

    # The coach's reports against export progress, in the same run: the
    # same rows, as a table, CSV and JSON (target: at most 1.5x).
    for fmt in ("table", "csv", "json"):
        results.append(compare(
            f"report cohort --format {fmt} ({rows:,} rows)",
            lambda: run([binary, "report", "cohort", "--as-of", AS_OF, "--format", fmt, "--db", loaded], stdout=open(out + ".cohort", "w")),
            lambda: run([binary, "export", "progress", "--as-of", AS_OF, "-o", out, "--db", loaded]),
            runs))
    results.append(compare(
        f"award list, no filter ({awards:,} awards)",
        lambda: run([binary, "award", "list", "--as-of", AS_OF, "--format", "csv", "--db", loaded], stdout=open(out + ".awards", "w")),
        lambda: run([binary, "export", "awards", "-o", out + ".export", "--db", loaded]),
        runs))

    handle = f"learner-{config['learners'] // 2:06d}"
    lookup = f"""SELECT c.code, a.status, a.earned_on FROM award a JOIN learner l ON l.id = a.learner_id
                 JOIN credential c ON c.id = a.credential_id WHERE l.handle = '{handle}';"""
    quick = max(runs, 15)
    results.append(compare(
        f"progress {handle}",
        lambda: run([binary, "progress", handle, "--as-of", AS_OF, "--db", loaded]),
        lambda: run([sqlite, loaded, lookup]),
        quick))
    results.append(compare(
        f"next {handle} stack-03",
        lambda: run([binary, "next", handle, "stack-03", "--as-of", AS_OF, "--db", loaded]),
        None, quick))

    write_report(size, awards, runs, results, binary, sqlite)


def huge(binary, sqlite, work, data, awards, config):
    """A million learners: every import against the sqlite3 shell loading the same CSV into the same columns,
    a second import of the unchanged awards against the first, the reads, doctor and backup; one run each."""
    runs = config["runs"]
    empty, db = f"{work}/empty.db", f"{work}/db.db"
    with open(f"{work}/none.csv", "w") as f:
        f.write("code,name\n")
    run([binary, "import", "skills", f"{work}/none.csv", "--db", empty])  # the schema, nothing else

    def copy(source):
        def prepare():
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix): os.remove(db + suffix)
            shutil.copyfile(source, db)
        return prepare

    def shell(name, sql):
        path = f"{work}/{name}.sql"
        with open(path, "w") as f:
            f.write(".bail on\n" + sql)
        return lambda: run([sqlite, db, f".read {path}"])

    def keep(name):
        shutil.copyfile(db, f"{work}/{name}.db")
        return f"{work}/{name}.db"

    results = []
    results.append(compare("import skills (60 rows)", lambda: run([binary, "import", "skills", f"{data}/skills.csv", "--db", db]),
                           shell("skills", f""".import --csv {data}/skills.csv staging
INSERT INTO skill (code, name, category) SELECT code, name, nullif(category, '') FROM staging;
DROP TABLE staging;
"""), runs, prepare=copy(empty)))
    run([binary, "import", "skills", f"{data}/skills.csv", "--db", db])
    with_skills = keep("skills")
    results.append(compare(f"import credentials ({CREDENTIALS} rows)",
                           lambda: run([binary, "import", "credentials", f"{data}/credentials.csv", "--db", db]),
                           shell("credentials", f""".import --csv {data}/credentials.csv staging
INSERT INTO credential (code, title, issuer, kind, hours, cost_cents, weeks, validity_months)
  SELECT code, title, issuer, kind, hours, cast(round(cost * 100) AS INTEGER), weeks, nullif(validity_months, '') FROM staging;
WITH RECURSIVE parts(code, rest, one) AS (
  SELECT code, skills || ';', NULL FROM staging
  UNION ALL SELECT code, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1) FROM parts WHERE rest <> '')
INSERT INTO credential_skill (credential_id, skill_id)
  SELECT c.id, s.id FROM parts p JOIN credential c ON c.code = p.code JOIN skill s ON s.code = p.one WHERE p.one <> '';
DROP TABLE staging;
"""), runs, prepare=copy(with_skills)))
    run([binary, "import", "credentials", f"{data}/credentials.csv", "--db", db])
    run([binary, "import", "stacks", f"{data}/stacks.json", "--db", db])
    catalog = keep("catalog")
    results.append(compare(f"import learners ({config['learners']:,} rows)",
                           lambda: run([binary, "import", "learners", f"{data}/learners.csv", "--db", db]),
                           shell("learners", f""".import --csv {data}/learners.csv staging
INSERT INTO learner (handle, name, email, cohort, created_on)
  SELECT handle, name, nullif(email, ''), nullif(cohort, ''), date('now') FROM staging;
DROP TABLE staging;
"""), runs, prepare=copy(catalog)))
    run([binary, "import", "learners", f"{data}/learners.csv", "--db", db])
    people = keep("people")
    first = compare(f"import awards ({awards:,} rows)", lambda: run([binary, "import", "awards", f"{data}/awards.csv", "--db", db]),
                    shell("awards", f""".import --csv {data}/awards.csv staging
INSERT INTO award (learner_id, credential_id, status, earned_on, expires_on, evidence_url)
  SELECT l.id, c.id, s.status, nullif(s.earned_on, ''), nullif(s.expires_on, ''), nullif(s.evidence_url, '')
  FROM staging s JOIN learner l ON l.handle = s.learner JOIN credential c ON c.code = s.credential;
DROP TABLE staging;
"""), runs, prepare=copy(people))
    results.append(first)
    run([binary, "import", "awards", f"{data}/awards.csv", "--db", db])
    loaded = keep("loaded")
    again = compare(f"import awards again, all unchanged ({awards:,} rows)",
                    lambda: run([binary, "import", "awards", f"{data}/awards.csv", "--db", db]), None, runs, prepare=copy(loaded))
    again["baseline"], again["ratio"] = first["ours"], again["ours"] / first["ours"]
    results.append(again)
    out = f"{work}/out.csv"
    results.append(compare(f"export progress ({config['learners'] * STACKS:,} rows)",
                           lambda: run([binary, "export", "progress", "--as-of", AS_OF, "-o", out, "--db", loaded]), None, runs))
    results.append(compare("report cohort --cohort cohort-07 --format csv",
                           lambda: run([binary, "report", "cohort", "--cohort", "cohort-07", "--as-of", AS_OF, "--format", "csv",
                                        "--db", loaded], stdout=open(out + ".cohort", "w")),
                           lambda: run([binary, "export", "progress", "--cohort", "cohort-07", "--as-of", AS_OF, "-o", out, "--db", loaded]),
                           runs))
    results.append(compare("doctor", lambda: run([binary, "doctor", "--db", loaded]),
                           lambda: run([sqlite, loaded, "PRAGMA integrity_check; PRAGMA foreign_key_check;"]), runs))
    copy_path = f"{work}/backup.db"

    def clear():
        if os.path.exists(copy_path): os.remove(copy_path)
    results.append(compare("backup", lambda: run([binary, "backup", copy_path, "--db", loaded]),
                           lambda: run([sqlite, loaded, f".backup {copy_path}"]), runs, prepare=clear))

    def seconds(value):
        return f"{value:.3f} s" if value >= 1 else f"{value * 1000:.1f} ms"

    targets = {"import skills": "≤ 1.0×", "import credentials": "≤ 1.0×", "import learners": "≤ 1.0×",
               "import awards (": "≤ 1.0×, < 100 MiB", "import awards again": "≤ 1.0× the first"}
    lines = [
        "## `Scripts/bench huge`",
        "",
        f"`Scripts/bench huge`: {config['learners']:,} learners, {CREDENTIALS} credentials, {awards:,} awards, {STACKS} stacks "
        f"(seed {SEED}, as of {AS_OF}); release build, {runs} run each, alternating with the baseline. Database: "
        f"{os.path.getsize(loaded) / 2**30:.2f} GiB.",
        "",
        "| benchmark | credfolio | baseline | ratio | target | peak RSS |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for row in results:
        target = next((t for k, t in targets.items() if row["name"].startswith(k)), "")
        met = ""
        if target and "ratio" in row:
            ok = row["ratio"] <= 1.0 and (row["memory"] < 100 if "MiB" in target else True)
            met = " (met)" if ok else " (missed)"
        base = seconds(row["baseline"]) if "baseline" in row else "—"
        ratio = f"{row['ratio']:.2f}×" if "ratio" in row else "—"
        lines.append(f"| {row['name']} | {seconds(row['ours'])} | {base} | {ratio} | {target}{met} | {row['memory']:.1f} MiB |")
    lines += [
        "",
        "Baselines: the `sqlite3` shell loading the same CSV into a staging table and inserting the same columns (for awards,",
        "joining learners and credentials to resolve ids; for credentials, splitting the skills into their links); the first",
        "import, for the second; `export progress` of the same cohort, for the report; `PRAGMA integrity_check` and",
        "`foreign_key_check`, for doctor; the shell's `.backup`, for backup. Reproduce: `Scripts/bench huge` (it takes a while).",
        "",
    ]
    write_section("huge", lines)


def site_report(binary, work, loaded, awards, config):
    """report html against export progress of the same learners, in the same run."""
    runs = config["runs"]
    rows = config["learners"] * STACKS
    out, site = f"{work}/out.csv", f"{work}/site"
    site_command = [binary, "report", "html", "-o", site, "--as-of", AS_OF, "--db", loaded]
    export_command = [binary, "export", "progress", "--as-of", AS_OF, "-o", out, "--db", loaded]
    # Each command once, untimed, first: every timed run then rewrites what the one before wrote (a coach's
    # weekly site, the export's file). Otherwise the first site run alone makes 20,000 files, just after the
    # previous bench's were deleted, and the median is the slower of the other two runs.
    run(site_command)
    run(export_command)
    result = compare(
        f"report html ({config['learners']:,} learners, {rows:,} rows)",
        lambda: run(site_command), lambda: run(export_command), runs)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(site) for f in files)
    pages = sum(len(files) for _, _, files in os.walk(site))
    met = "met" if result["ratio"] <= 3.0 else "missed"
    # A site written into a new folder: every page a new file (one run; no target).
    new_site = f"{work}/new-site"
    # The timed runs leave gigabytes for the kernel to write back; time this command, not that.
    os.sync()
    first, first_memory = run([binary, "report", "html", "-o", new_site, "--as-of", AS_OF, "--db", loaded])
    shutil.rmtree(new_site, ignore_errors=True)
    print(f"  report html into a new folder: {first:.4f} s, {first / result['baseline']:.2f}× the export, "
          f"peak RSS {first_memory:.1f} MiB", flush=True)

    def seconds(value):
        return f"{value:.3f} s" if value >= 1 else f"{value * 1000:.1f} ms"

    lines = [
        "## `Scripts/bench site`",
        "",
        f"`Scripts/bench site`: {config['learners']:,} learners, {CREDENTIALS} credentials, {awards:,} awards, {STACKS} stacks "
        f"(seed {SEED}, as of {AS_OF}); release build, medians of {runs} runs alternating with the baseline, "
        "`export progress` of the same learners in the same run. Each command runs once, untimed, before the timed "
        "runs, so that each timed run rewrites the site (or the export's file) the run before wrote, as a coach's "
        "weekly run does; a site written into a new folder, every page a new file, is timed once after them.",
        "",
        "| benchmark | credfolio | baseline | ratio | target | peak RSS |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
        f"| {result['name']} | {seconds(result['ours'])} | {seconds(result['baseline'])} | {result['ratio']:.2f}× | ≤ 3.0× ({met}) "
        f"| {result['memory']:.1f} MiB |",
        f"| report html into a new folder (one run) | {seconds(first)} | {seconds(result['baseline'])} | "
        f"{first / result['baseline']:.2f}× | (none) | {first_memory:.1f} MiB |",
        "",
        f"The site: {pages:,} files, {size / 2**20:,.0f} MiB. Reproduce: `Scripts/bench site`.",
        "",
    ]
    write_section("site", lines)


def command_output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"


def write_report(size, awards, runs, results, binary, sqlite):
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    swift = command_output(["swift", "--version"]).splitlines()
    lines = [
        "# Benchmarks",
        "",
        f"## `Scripts/bench {size}`",
        "",
        f"`Scripts/bench {size}`: {SIZES[size]['learners']:,} learners, {CREDENTIALS} credentials, {awards:,} awards, "
        f"{STACKS} stacks (seed {SEED}, as of {AS_OF}). Whole processes, release build (`--static-swift-stdlib`), "
        f"medians of {runs} runs ({max(runs, 15)} for the single-learner commands), each run alternating with its baseline "
        "on the same machine. Ratio = credfolio / baseline: below 1 is faster.",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB memory, {platform.system()} {platform.release()}; "
        f"SQLite {command_output([sqlite, '--version']).split(' ')[0]}; {swift[0] if swift else 'Swift'}.",
        "",
        "| benchmark | credfolio | baseline | ratio | target | peak RSS |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    targets = ["≤ 1.0×", "≤ 2.0×", "≤ 1.5×", "≤ 1.5×", "≤ 1.5×", "(memory)", "≤ 3.0×", "(no baseline)"]

    def seconds(value):
        return f"{value:.3f} s" if value >= 1 else f"{value * 1000:.1f} ms"

    for row, target in zip(results, targets):
        base = seconds(row["baseline"]) if "baseline" in row else "—"
        ratio = f"{row['ratio']:.2f}×" if "ratio" in row else "—"
        met = ""
        if "ratio" in row and target.startswith("≤"):
            met = " (met)" if row["ratio"] <= float(target[2:-1]) else " (missed)"
        if target == "(memory)":
            target = "< 100 MiB" + (" (met)" if row["memory"] < 100 else " (missed)")
        lines.append(f"| {row['name']} | {seconds(row['ours'])} | {base} | {ratio} | {target}{met} | {row['memory']:.1f} MiB |")
    lines += [
        "",
        "Baselines: the `sqlite3` shell on a copy of the same database, or another credfolio command in the same run:",
        "1. import: `.import --csv` into a staging table, then `INSERT … SELECT` joining learners and credentials to resolve ids.",
        "2. export progress: `sqlite3 -csv` running a grouped query over the same awards (per learner: credentials held on the date, and their hours).",
        "3. report cohort: `export progress` of the same rows, in the same run (the coach's report must cost at most 1.5 times the export).",
        "4. award list: `export awards` of the same awards; its target is memory, flat in the number of awards.",
        "5. progress: `sqlite3` looking up one learner's awards by handle: the floor for any command.",
        "",
        f"Reproduce: `Scripts/bench {size}`.",
        "",
        "What bounds each figure, from profiles, is in [BENCHMARKS.notes.md](BENCHMARKS.notes.md): written by hand,",
        "it cites this table instead of repeating it.",
        "",
    ]
    write_section(size, lines[2:])


def write_section(name, lines):
    """Replaces (or appends) the section `name` of BENCHMARKS.md, keeping the others."""
    path = "BENCHMARKS.md"
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = begin + "\n" + "\n".join(lines).rstrip() + "\n" + end
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote the {name} section of BENCHMARKS.md")


if __name__ == "__main__":
    main()
