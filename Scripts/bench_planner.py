"""The planner's benchmark (`Scripts/bench planner`), beside Scripts/bench.py.

For generated catalogs of 300, 1,000 and 3,000 credentials, each with a stack
of each hard kind, and a learner who holds 12 credentials:

- every `next LEARNER STACK --by hours|cost|weeks` must be proven optimal, and
  its total must equal the optimum that the `cbc` command finds from the same
  model, written with `--write-model`;
- the median `next` is compared with the median `cbc` solving that LP file
  (process start and parsing included on both sides): target at most 3×;
- `next LEARNER` over all 20 stacks of the 3,000-credential catalog is timed;
- start-up: `credfolio --version` and `progress` against the previous release
  (commit PREVIOUS, built beside) and against a build that links CBC at load
  time instead of opening it on first use.
"""

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys

SEED = 9_2026
AS_OF = "2026-11-29"
SIZES = [300, 1000, 3000]
RUNS = 5


def catalog(folder, count, rng):
    """Writes skills, credentials, one learner holding 12, and 20 stacks."""
    os.makedirs(folder, exist_ok=True)
    skills = [f"sk-{i:02d}" for i in range(40)]
    with open(f"{folder}/skills.csv", "w") as f:
        f.write("code,name\n" + "".join(f"{s},Skill {s}\n" for s in skills))
    codes = [f"c-{i:04d}" for i in range(count)]
    with open(f"{folder}/credentials.csv", "w") as f:
        f.write("code,title,hours,cost,weeks,credits,credit_unit,format,skills\n")
        for code in codes:
            hours = rng.choice([6, 8, 12, 16, 20, 24, 30, 40, 45, 60, 80, 120])
            credits = rng.choice(["", "", "", "2,ECTS", "3,ECTS", "5,ECTS", "6,ECTS"])
            credits = credits if credits else ","
            fmt = rng.choice(["online", "online", "hybrid", "in-person"])
            taught = ";".join(rng.sample(skills, rng.randint(0, 2)))
            f.write(f"{code},Credential {code},{hours},{rng.randint(0, 900)}.{rng.choice(['00', '50', '99'])},"
                    f"{max(1, hours // 8 + rng.randint(0, 3))},{credits},{fmt},{taught}\n")
    held = rng.sample(codes, 12)
    with open(f"{folder}/learners.csv", "w") as f:
        f.write("handle,name\nplanner,Pat Planner\n")
    with open(f"{folder}/awards.csv", "w") as f:
        f.write("learner,credential,earned_on\n" + "".join(f"planner,{c},2026-01-15\n" for c in held))

    def kind_a(s):
        # choose 5 of 60 credentials + 400 hours from any + 12 ECTS credits + 12 skills
        return {"code": f"k{s:02d}-choose-hours-credits-skills", "requires": {"all": [
            {"choose": 5, "of": [{"credential": c} for c in rng.sample(codes, 60)]},
            {"hours": 400}, {"credits": 12, "unit": "ECTS"}]
            + [{"skill": k} for k in rng.sample(skills, 12)]}}

    def kind_b(s):
        # 3 of 12 four-credential tracks + 900 hours from a list of 200
        return {"code": f"k{s:02d}-tracks-hours", "requires": {"all": [
            {"choose": 3, "of": [{"all": [{"credential": c} for c in rng.sample(codes, 4)]} for _ in range(12)]},
            {"hours": 900, "from": rng.sample(codes, 200)}]}}

    def kind_c(s):
        # 10 of 25 pairs, each chosen from six credentials of one shared pool
        pool = rng.sample(codes, 40)
        return {"code": f"k{s:02d}-pairs", "requires": {
            "choose": 10, "of": [{"choose": 2, "of": [{"credential": c} for c in rng.sample(pool, 6)]} for _ in range(25)]}}

    stacks = [[kind_a, kind_b, kind_c][s % 3](s) for s in range(20)]
    with open(f"{folder}/stacks.json", "w") as f:
        json.dump(stacks, f)
    return [st["code"] for st in stacks[:3]], [st["code"] for st in stacks]


def build_variant(name, extra):
    """A release build of this tree in its own scratch folder, with `extra` flags."""
    scratch = f".build-{name}"
    command = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", scratch] + extra
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(command + ["--show-bin-path"], check=True, capture_output=True, text=True).stdout.strip() + "/credfolio"


def build_previous(revision):
    """The release binary of `revision` (a worktree under .build-previous), or None."""
    folder = os.path.abspath(".build-previous")
    if subprocess.run(["git", "cat-file", "-e", revision + "^{commit}"], capture_output=True).returncode != 0:
        return None
    if not os.path.exists(folder):
        subprocess.run(["git", "worktree", "add", "--detach", folder, revision], check=True, capture_output=True)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"], cwd=folder,
                          check=True, capture_output=True, text=True).stdout.strip() + "/credfolio"


def main(binary, run, compare, write_section):
    cbc = shutil.which("cbc") or sys.exit("bench: the cbc command is missing (apt-get install coinor-cbc)")
    work = os.path.abspath(".build/bench-planner")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rng = random.Random(SEED)
    rows, checks, medians = [], [], []
    all_stacks_row = None
    for count in SIZES:
        folder = f"{work}/c{count}"
        hard, every = catalog(folder, count, rng)
        db = f"{folder}/p.db"
        for kind in ("skills", "credentials", "learners", "awards"):
            run([binary, "import", kind, f"{folder}/{kind}.csv", "--db", db])
        run([binary, "import", "stacks", f"{folder}/stacks.json", "--db", db])
        print(f"catalog of {count} credentials", flush=True)
        for stack in hard:
            for measure in ("hours", "cost", "weeks"):
                model = f"{folder}/{stack}-{measure}.lp"
                out = subprocess.run([binary, "next", "planner", stack, "--by", measure, "--as-of", AS_OF, "--format", "json",
                                      "--write-model", model, "--db", db], check=True, capture_output=True, text=True).stdout
                plan = json.loads(out)
                total = plan["total_hours"] if measure == "hours" else plan["total_weeks"] if measure == "weeks" \
                    else round(plan["total_cost"] * 100)
                solved = subprocess.run([cbc, model, "solve"], capture_output=True, text=True).stdout
                found = re.search(r"Objective value:\s*([-0-9.e+]+)", solved)
                optimum = round(float(found.group(1))) if found else None
                checks.append((count, stack, measure, plan["optimal"], total, optimum))
                if not plan["optimal"] or total != optimum:
                    print(f"  MISMATCH {count} {stack} {measure}: optimal {plan['optimal']}, total {total}, cbc {optimum}")
                row = compare(f"next {stack} --by {measure} ({count:,} credentials)",
                              lambda: run([binary, "next", "planner", stack, "--by", measure, "--as-of", AS_OF, "--db", db]),
                              lambda: run([cbc, model, "solve"]), RUNS)
                row["count"] = count
                medians.append(row)
        if count == SIZES[-1]:
            all_stacks_row = compare(f"next planner, all {len(every)} stacks ({count:,} credentials)",
                                     lambda: run([binary, "next", "planner", "--as-of", AS_OF, "--db", db]), None, 3)
            progress_db = db

    print("start-up: building the previous release and a build that links CBC at load time", flush=True)
    previous_revision = os.environ.get("PREVIOUS", "750dc00")
    previous = build_previous(previous_revision)
    linked = build_variant("linked-cbc", ["-Xlinker", "--no-as-needed", "-Xlinker", "-lCbcSolver"])
    startup = []
    if previous:
        startup.append(compare(f"--version, against the previous release ({previous_revision})",
                               lambda: run([binary, "--version"]), lambda: run([previous, "--version"]), 31))
        startup.append(compare(f"progress planner, against the previous release ({previous_revision})",
                               lambda: run([binary, "progress", "planner", "--as-of", AS_OF, "--db", progress_db]),
                               lambda: run([previous, "progress", "planner", "--as-of", AS_OF, "--db", progress_db]), 31))
    startup.append(compare("--version: CBC opened on first use, against CBC linked at load",
                           lambda: run([binary, "--version"]), lambda: run([linked, "--version"]), 31))
    startup.append(compare("progress planner: CBC opened on first use, against CBC linked at load",
                           lambda: run([binary, "progress", "planner", "--as-of", AS_OF, "--db", progress_db]),
                           lambda: run([linked, "progress", "planner", "--as-of", AS_OF, "--db", progress_db]), 31))
    report(write_section, checks, medians, all_stacks_row, startup, previous_revision if previous else None)


def report(write_section, checks, medians, all_stacks, startup, previous):
    def seconds(value):
        return f"{value:.3f} s" if value >= 1 else f"{value * 1000:.1f} ms"

    proven = sum(1 for c in checks if c[3])
    agree = sum(1 for c in checks if c[4] == c[5])
    ratios = [m["ratio"] for m in medians]
    median_ratio = statistics.median(ratios)
    lines = [
        "## `Scripts/bench planner`",
        "",
        f"Generated catalogs of {', '.join(f'{n:,}' for n in SIZES)} credentials (seed {SEED}); a learner who holds 12 of them; "
        "in each catalog a stack of each kind: choose 5 of 60 credentials + 400 hours from any + 12 ECTS credits + 12 skills; "
        "3 of 12 four-credential tracks + 900 hours from a list of 200; 10 of 25 pairs, each 2 of 6 from one pool of 40. "
        f"Release build, whole processes, medians of {RUNS} runs alternating with the baseline: the `cbc` command solving the "
        "same model from the LP file that `--write-model` wrote (process start and parsing included on both sides).",
        "",
        f"Plans proven optimal: **{proven} of {len(checks)}**. Totals equal to the optimum `cbc` finds from the model file: "
        f"**{agree} of {len(checks)}**.",
        "",
        "| next | credfolio | cbc on the LP file | ratio | optimal | total = cbc's |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for m, c in zip(medians, checks):
        lines.append(f"| {m['name']} | {seconds(m['ours'])} | {seconds(m['baseline'])} | {m['ratio']:.2f}× | "
                     f"{'yes' if c[3] else 'no'} | {'yes' if c[4] == c[5] else f'no ({c[4]} vs {c[5]})'} |")
    met = "met" if median_ratio <= 3 else "missed"
    lines += [
        "",
        f"Median ratio over the {len(medians)} plans: **{median_ratio:.2f}×** (target ≤ 3×: {met}).",
        "",
        f"`next planner` over all 20 stacks of the 3,000-credential catalog: **{seconds(all_stacks['ours'])}** "
        f"(peak RSS {all_stacks['memory']:.1f} MiB).",
        "",
        "Start-up (medians of 31 runs, alternating; target: no more than 10% slower):",
        "",
        "| command | this build | compared with | ratio | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in startup:
        lines.append(f"| {row['name']} | {seconds(row['ours'])} | {seconds(row['baseline'])} | {row['ratio']:.2f}× | "
                     f"{row['memory']:.1f} MiB |")
    if previous is None:
        lines += ["", "The previous release's commit is not in this clone, so only the linked build is compared."]
    lines += [
        "",
        "Reproduce: `Scripts/bench planner` (`PREVIOUS=REV` names the release to compare start-up with).",
    ]
    write_section("planner", lines)
