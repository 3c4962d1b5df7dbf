"""Scripts/bench ctdl: import ctdl of a 10,000-record graph (Scripts/ctdl-catalog) against the sqlite3 shell
loading the same catalog rows from CSV into the same tables; peak memory at 10,000 and 40,000 records."""
import os
import shutil
import subprocess


def main(binary, run, compare, write_section):
    sqlite = shutil.which("sqlite3")
    work = os.path.abspath(".build/bench-ctdl")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    sizes = {10_000: f"{work}/10k", 40_000: f"{work}/40k"}
    for count, folder in sizes.items():
        subprocess.run(["Scripts/ctdl-catalog", str(count), folder], check=True, stdout=subprocess.DEVNULL)
    empty = f"{work}/empty.db"
    run([binary, "learner", "add", "bench", "--name", "Bench", "--db", empty])
    target = f"{work}/target.db"

    def fresh():
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(target + suffix): os.remove(target + suffix)
        shutil.copyfile(empty, target)

    data = sizes[10_000]
    script = f"{work}/load.sql"
    with open(script, "w") as f:
        f.write(f"""
.bail on
.import --csv {data}/credentials.csv staging_credential
.import --csv {data}/skills.csv staging_skill
.import --csv {data}/links.csv staging_link
.import --csv {data}/occupations.csv staging_occupation
INSERT INTO skill (code, name, framework, framework_id) SELECT code, name, framework, framework_id FROM staging_skill;
INSERT INTO credential (code, title, issuer, kind, hours, cost_cents, currency, weeks, format, url, registry_ctid, description, validity_unknown)
  SELECT code, title, issuer, kind, CAST(hours AS INTEGER), CAST(round(CAST(cost AS REAL) * 100) AS INTEGER), currency,
         CAST(weeks AS INTEGER), format, url, ctid, description, 1 FROM staging_credential;
INSERT INTO credential_skill (credential_id, skill_id)
  SELECT c.id, s.id FROM staging_link l JOIN credential c ON c.code = l.credential JOIN skill s ON s.code = l.skill;
INSERT INTO credential_occupation (credential_id, code)
  SELECT c.id, o.code FROM staging_occupation o JOIN credential c ON c.code = o.credential;
DROP TABLE staging_credential; DROP TABLE staging_skill; DROP TABLE staging_link; DROP TABLE staging_occupation;
""")
    runs = 8
    print(f"timing import ctdl ({runs} runs, alternating with the baseline)", flush=True)
    ours = [binary, "import", "ctdl", f"{data}/catalog.jsonld", "--format", "csv", "--db", target]
    result = compare("import ctdl (10,000 records)", lambda: run(ours), lambda: run([sqlite, target, f".read {script}"]),
                     runs, prepare=fresh)
    # The rows it stored are the rows the baseline loads: checked, not assumed.
    fresh()
    run(ours)
    query = ("SELECT code, title, issuer, kind, hours, cost_cents, weeks, format, url, registry_ctid FROM credential "
             "WHERE registry_ctid IS NOT NULL ORDER BY code")
    stored = subprocess.run([sqlite, "-csv", target, query], capture_output=True, text=True, check=True).stdout
    fresh()
    run([sqlite, target, f".read {script}"])
    loaded = subprocess.run([sqlite, "-csv", target, query], capture_output=True, text=True, check=True).stdout
    if stored != loaded:
        raise SystemExit("bench: import ctdl stored other rows than the CSV holds")
    larger = []
    for count in (40_000,):
        fresh()
        seconds, memory = run([binary, "import", "ctdl", f"{sizes[count]}/catalog.jsonld", "--format", "csv", "--db", target])
        larger.append((count, seconds, memory))
        print(f"  import ctdl ({count:,} records): {seconds:.3f} s, peak RSS {memory:.1f} MiB", flush=True)
    size = os.path.getsize(f"{data}/catalog.jsonld")
    met = "met" if result["ratio"] <= 1.5 else "missed"
    per_record = (larger[0][2] - result["memory"]) / (larger[0][0] - 10_000) * 2**20
    lines = [
        "## `Scripts/bench ctdl`",
        "",
        f"`Scripts/bench ctdl`: a CTDL graph of 10,000 records ({size / 2**20:.1f} MiB of JSON-LD: 70% credentials, 30% learning "
        "opportunities, with costs, durations, delivery, competencies, occupations, one in ten with a prerequisite, 200 "
        "organizations, 50 pathways), written by `Scripts/ctdl-catalog` from the documented mapping, which also writes the same "
        "catalog as CSV. Baseline: the `sqlite3` shell loading those CSV rows (credentials, skills, their links, occupations) into "
        f"the same tables of a new database. Release build, medians of {runs} runs alternating with the baseline; the bench checks "
        "that both stored the same rows.",
        "",
        "| benchmark | credfolio | baseline | ratio | target | peak RSS |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
        f"| {result['name']} | {result['ours']:.3f} s | {result['baseline']:.3f} s | {result['ratio']:.2f}× | ≤ 1.5× ({met}) "
        f"| {result['memory']:.1f} MiB |",
    ]
    for count, seconds, memory in larger:
        lines.append(f"| import ctdl ({count:,} records, one run) | {seconds:.3f} s | — | — | (memory) | {memory:.1f} MiB |")
    lines += [
        "",
        f"Memory grows by about {per_record / 1024:.1f} KiB a record between 10,000 and 40,000 records. Reproduce: `Scripts/bench ctdl`.",
        "",
    ]
    write_section("ctdl", lines)
