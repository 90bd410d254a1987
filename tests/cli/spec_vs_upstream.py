"""Encodes ring specs built from the upstream golden manifest with
`vyre encode-ring` and requires the exact bytes upstream's publish paths
wrote (publish_slot, publish_packed_slot, batch_publish, publish_work_items,
encode_work_items_ring_into, encode_load_miss).

A chain of upstream calls becomes one spec when it starts from a zeroed ring
and each step's input is the previous step's output.

Usage: spec_vs_upstream.py VYRE GOLDEN_DIR WORK_DIR
"""
import json
import pathlib
import subprocess
import sys

vyre, golden, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
manifest = json.loads((golden / "manifest.json").read_text())
passed = failed = 0


def bin_of(name):
    return (golden / name).read_bytes()


def slots_for(entry):
    p = entry["params"]
    f = entry["function"]
    if f == "Megakernel::publish_slot":
        return [{"slot": p["slot_idx"], "tenant": p["tenant_id"], "opcode": p["opcode"], "args": p["args"]}], None
    if f == "Megakernel::publish_packed_slot":
        ops = [{"opcode": o["op_id"], "args": o["args"]} for o in p["ops"]]
        return [{"slot": p["slot_idx"], "tenant": p["tenant_id"], "opcode": "PACKED_SLOT", "ops": ops}], None
    if f == "Megakernel::batch_publish":
        slots = [{"slot": p["start_slot"] + i, "tenant": p["tenant_id"], "opcode": it["opcode"], "args": it["args"]}
                 for i, it in enumerate(p["items"])]
        return slots, {"tag": p["batch_tag"], "tenant": p["tenant_id"], "start": p["start_slot"]}
    if f in ("Megakernel::publish_work_items", "Megakernel::encode_work_items_ring_into"):
        start = p.get("start_slot", 0)
        return [{"slot": start + i, "tenant": p["tenant_id"],
                 "work_item": {"op": it["op_handle"], "input": it["input_handle"], "output": it["output_handle"],
                               "param": it["param"]}} for i, it in enumerate(p["items"])], None
    return None, None


def check(name, spec, expected):
    global passed, failed
    spec_path = work / f"{name}.json"
    out_path = work / f"{name}.bin"
    spec_path.write_text(json.dumps(spec))
    out_path.unlink(missing_ok=True)
    r = subprocess.run([vyre, "encode-ring", str(spec_path), "-o", str(out_path)], capture_output=True, text=True)
    if not expected:
        # Upstream encodes a 0-slot ring; the tools refuse one (no tool reads
        # it back), so the spec must fail with its reason and write nothing.
        if r.returncode == 2 and "a ring needs at least one slot" in r.stderr and not out_path.exists():
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: a 0-slot ring must be refused: exit {r.returncode}: {r.stderr}", file=sys.stderr)
    elif r.returncode != 0:
        failed += 1
        print(f"FAIL {name}: exit {r.returncode}: {r.stderr}", file=sys.stderr)
    elif out_path.read_bytes() != expected:
        failed += 1
        print(f"FAIL {name}: bytes differ from upstream", file=sys.stderr)
    else:
        passed += 1


# Chains of ok publish steps over one ring.
chains = {}
for e in manifest:
    if "error" in e or "output" not in e:
        continue
    slots, fence = slots_for(e)
    if slots is None:
        continue
    if e["function"] == "Megakernel::encode_work_items_ring_into":
        if any(bin_of(e["input"])) and len(bin_of(e["input"])) == len(bin_of(e["output"])):
            pass  # a fresh ring replaces the input whatever it held
        chains[e["name"]] = [(e, slots, fence, True)]
        continue
    key = e["name"].rsplit("_", 1)[0] if "_chain_" in e["name"] else e["name"]
    chains.setdefault(key, []).append((e, slots, fence, False))

for key, steps in chains.items():
    all_slots, fence, last_out = [], None, None
    for i, (e, slots, f, fresh) in enumerate(steps):
        inp = bin_of(e["input"])
        if not fresh and ((i == 0 and any(inp)) or (i > 0 and inp != last_out)):
            break
        if f is not None and fence is not None:
            break  # one batch fence per spec
        if f is not None and all_slots:
            break  # a fence counts only its own batch's slots
        all_slots += slots
        fence = f or fence
        last_out = bin_of(e["output"])
        spec = {"slot_count": len(last_out) // 64, "slots": list(all_slots)}
        if fence is not None:
            spec["tenant"] = fence["tenant"]
            spec["batch_fence"] = {"tag": fence["tag"]}
            if not all_slots and fence["start"] != 0:
                break  # an empty batch at another start cannot be expressed
        check(e["name"], spec, last_out)

# encode_load_miss: one 64-byte slot.
for e in manifest:
    if e["function"] == "encode_load_miss":
        p = e["params"]
        check(e["name"], {"slot_count": 1, "slots": [{"opcode": "LOAD_MISS", "resource_id": p["resource_id"],
                                                      "prefetch": p["prefetch"]}]}, bin_of(e["output"]))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed < 20 else 0)
