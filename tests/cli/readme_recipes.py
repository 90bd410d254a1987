"""Runs every ```sh recipe block of README.md, each in a fresh scratch
directory that holds examples/ and build/ (links into the checkout), with the
built tools first on PATH, under bash -e -o pipefail. A ```sh block must say
`recipe`, `setup` or `bench`, so a new block cannot silently go untested.

usage: readme_recipes.py README.md SOURCE_DIR BUILD_DIR"""
import os
import re
import subprocess
import sys
import tempfile

readme, src, build = sys.argv[1:4]
text = open(readme).read()
blocks = re.findall(r"^```sh([^\n]*)\n(.*?)^```$", text, flags=re.S | re.M)
passed = failed = 0
recipes = 0
for info, body in blocks:
    kind = info.strip()
    if kind in ("setup", "bench"):
        continue
    if kind != "recipe":
        print(f"FAIL: a ```sh block marked {kind!r} (want recipe, setup or bench):\n{body}", file=sys.stderr)
        failed += 1
        continue
    recipes += 1
    # bash -e ignores a failure on the left of && or ||: such a recipe could
    # rot unnoticed.
    if re.search(r"&&|\|\|", body):
        print(f"FAIL: a recipe uses && or ||, whose failures bash -e does not catch:\n{body}", file=sys.stderr)
        failed += 1
        continue
    with tempfile.TemporaryDirectory() as work:
        os.symlink(os.path.join(src, "examples"), os.path.join(work, "examples"))
        os.symlink(build, os.path.join(work, "build"))
        env = dict(os.environ, PATH=os.path.join(build, "bin") + os.pathsep + os.environ["PATH"],
                   VYRE_CACHE_DIR=os.path.join(work, ".cache"))
        env.pop("VYRE_SERVER", None)
        try:
            r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", body], cwd=work, env=env, capture_output=True,
                               text=True, timeout=300)
            ok, detail = r.returncode == 0, f"exit {r.returncode}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}"
        except subprocess.TimeoutExpired:
            ok, detail = False, "timed out after 300 s"
    first = body.strip().splitlines()[0]
    if ok:
        passed += 1
        print(f"ok: {first}")
    else:
        failed += 1
        print(f"FAIL: recipe starting `{first}`: {detail}", file=sys.stderr)
if recipes < 10:
    print(f"FAIL: only {recipes} recipes found in {readme}", file=sys.stderr)
    failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
