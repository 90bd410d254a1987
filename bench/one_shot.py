#!/usr/bin/env python3
"""What a user waits for from one `vyre dispatch` of examples/dispatch-spec.json,
measured side by side in one run, fresh processes interleaved:

  - the direct one-shot: process wall, and the report's device_ms (finding the
    device and creating its context), build_ms (program cache hit), transfers,
    kernel and total_ms;
  - bench/bare_context on the same device: only the platform query, context and
    queue, the floor of device_ms (target: device_ms within 1.1x of it);
  - VYRE_SERVER=auto: the 2nd..Nth dispatch's wall once the server is up
    (target: 10 ms on an H100, 15 ms on PoCL here);
  - /bin/true: the floor of any process.

  bench/one_shot.py [BUILD_DIR] [ROUNDS]
  (VYRE_DEVICE picks the device; on the GPU machine set OCL_ICD_FILENAMES)
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(root, "build")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
vyre = os.path.join(build, "bin", "vyre")
bare = os.path.join(build, "bench", "bare_context")
spec = os.path.join(root, "examples", "dispatch-spec.json")
resources = os.path.join(root, "examples", "resources.json")
work = tempfile.mkdtemp()
env = dict(os.environ, VYRE_CACHE_DIR=os.path.join(work, "cache"), XDG_RUNTIME_DIR=work)
os.chmod(work, 0o700)
env.pop("VYRE_SERVER", None)


def timed(cmd, extra_env=None):
    e = dict(env, **(extra_env or {}))
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=e, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = (time.perf_counter() - t0) * 1e3
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr}")
    return wall, r.stdout


def device_selector():
    devices = json.loads(subprocess.run([vyre, "devices", "--json"], env=env, check=True, stdout=subprocess.PIPE).stdout)
    wanted = os.environ.get("VYRE_DEVICE", "")
    for d in devices:
        if wanted and (wanted == d["selector"] or wanted in d["name"] or wanted in d["platform"]):
            return d
    gpus = [d for d in devices if d["type"] == "GPU"]
    return (gpus or devices)[0]


dev = device_selector()
dispatch = [vyre, "dispatch", "--ring-spec", spec, "--resources", resources, "--out-dir", "out", "--report", "-",
            "--device", dev["selector"]]
timed(dispatch)  # fills the program cache
rows = {k: [] for k in ("wall", "device_ms", "build_ms", "upload_ms", "kernel_ms", "readback_ms", "total_ms",
                        "bare", "auto", "true")}
auto_cmd = [a for a in dispatch if a not in ("--device", dev["selector"])]
auto_env = {"VYRE_SERVER": "auto", "VYRE_DEVICE": dev["selector"], "VYRE_SERVER_IDLE_EXIT": "30"}
timed(auto_cmd, auto_env)  # the 1st: starts the server
for _ in range(rounds):
    wall, out = timed(dispatch)
    t = json.loads(out)["timings"]
    assert t["build_cache_hit"], t
    rows["wall"].append(wall)
    for k in ("device_ms", "build_ms", "upload_ms", "kernel_ms", "readback_ms", "total_ms"):
        rows[k].append(t[k])
    rows["bare"].append(json.loads(timed([bare, dev["selector"]])[1])["context_ms"])
    rows["auto"].append(timed(auto_cmd, auto_env)[0])
    rows["true"].append(timed(["/bin/true"])[0])
subprocess.run(["pkill", "-f", f"serve --socket {work}/"])

med = {k: statistics.median(v) for k, v in rows.items()}
print(f"vyre dispatch of examples/dispatch-spec.json (--resources, --out-dir) on {dev['name']} ({dev['platform']}),")
print(f"{rounds} fresh processes of each, interleaved; {time.strftime('%Y-%m-%d %H:%M %Z')}")
print(f"{'':44} {'median ms':>10} {'min':>8} {'max':>8}")
labels = [("wall", "direct one-shot: process wall"),
          ("device_ms", "  device_ms (device + context + queue)"),
          ("build_ms", "  build_ms (program cache hit)"),
          ("upload_ms", "  upload_ms"), ("kernel_ms", "  kernel_ms"), ("readback_ms", "  readback_ms"),
          ("total_ms", "  total_ms (inputs in memory to report)"),
          ("bare", "bare platform + context + queue (floor)"),
          ("auto", "VYRE_SERVER=auto, 2nd..Nth: process wall"),
          ("true", "/bin/true: process wall (floor)")]
for k, label in labels:
    print(f"{label:44} {med[k]:10.3f} {min(rows[k]):8.3f} {max(rows[k]):8.3f}")
print(f"device_ms / bare context: {med['device_ms'] / med['bare']:.3f}x (target <= 1.1x)")
print(f"auto server wall - /bin/true: {med['auto'] - med['true']:.3f} ms")
